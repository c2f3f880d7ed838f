import FunctionRuntime

/// The record decoder over an arbitrary byte stream cut at arbitrary points: the records (or the
/// protocol error) must not depend on where the reads ended, every record must re-encode to a
/// record that decodes back to itself, and every byte must be accounted for.
enum FastCGIRecordHarness {
    static func run(_ input: [UInt8]) {
        let pieces = Pieces(input)
        let whole = decode([pieces.stream[...]])
        let cut = decode(pieces.pieces)
        check(whole.records == cut.records, "records depend on where the reads ended")
        check(whole.error == cut.error, "the protocol error depends on where the reads ended")
        // After an error the reader stops: what is left unread then depends on the reads.
        check(whole.error != nil || whole.pending == cut.pending, "pending bytes depend on where the reads ended")
        for record in whole.records {
            check(record.content.count <= FastCGIRecord.maxContentLength, "a record longer than 65535 bytes")
            var decoder = FastCGIRecordDecoder()
            decoder.append(record.encoded())
            check((try? decoder.next()) == record, "a record does not survive encoding and decoding")
            check(decoder.pendingByteCount == 0, "encoding left bytes over")
        }
        // Headers and content (padding aside) plus the pending tail fit in what was read.
        if whole.error == nil {
            let contentBytes = whole.records.reduce(0) { $0 + FastCGIRecord.headerLength + $1.content.count }
            check(contentBytes + whole.pending <= pieces.stream.count, "more bytes decoded than were read")
        }
    }

    private struct Outcome {
        var records: [FastCGIRecord] = []
        var error: FastCGIProtocolError?
        var pending = 0
    }

    private static func decode(_ pieces: [ArraySlice<UInt8>]) -> Outcome {
        var decoder = FastCGIRecordDecoder()
        var outcome = Outcome()
        for piece in pieces {
            decoder.append(Array(piece))
            do {
                while let record = try decoder.next() { outcome.records.append(record) }
            } catch {
                outcome.error = error
                break
            }
        }
        outcome.pending = decoder.pendingByteCount
        return outcome
    }
}
