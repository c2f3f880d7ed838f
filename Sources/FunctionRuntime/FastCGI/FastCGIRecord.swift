/// One FastCGI 1.0 record: an 8-byte header, up to 65535 content bytes, padding.
package struct FastCGIRecord: Sendable, Equatable {
    package enum Kind: UInt8, Sendable {
        case beginRequest = 1
        case abortRequest = 2
        case endRequest = 3
        case params = 4
        case stdin = 5
        case stdout = 6
        case stderr = 7
        case data = 8
        case getValues = 9
        case getValuesResult = 10
        case unknownType = 11
    }

    package static let version: UInt8 = 1
    package static let headerLength = 8
    package static let maxContentLength = 65535
    /// Management records (GET_VALUES ...) use request id 0.
    package static let managementRequestID: UInt16 = 0

    /// Raw type byte: a peer may send types this side does not know.
    package var type: UInt8
    package var requestID: UInt16
    package var content: [UInt8]

    package init(type: UInt8, requestID: UInt16, content: [UInt8] = []) {
        precondition(content.count <= FastCGIRecord.maxContentLength)
        self.type = type
        self.requestID = requestID
        self.content = content
    }

    package init(_ kind: Kind, requestID: UInt16, content: [UInt8] = []) {
        self.init(type: kind.rawValue, requestID: requestID, content: content)
    }

    package var kind: Kind? { Kind(rawValue: type) }

    /// Header + content + padding to a multiple of 8 bytes (the spec's recommendation).
    package func encoded() -> [UInt8] {
        var out: [UInt8] = []
        append(to: &out)
        return out
    }

    package func append(to out: inout [UInt8]) {
        let padding = (8 - content.count % 8) % 8
        out.reserveCapacity(out.count + FastCGIRecord.headerLength + content.count + padding)
        out.append(FastCGIRecord.version)
        out.append(type)
        out.append(UInt8(requestID >> 8))
        out.append(UInt8(requestID & 0xFF))
        out.append(UInt8(content.count >> 8))
        out.append(UInt8(content.count & 0xFF))
        out.append(UInt8(padding))
        out.append(0)
        out.append(contentsOf: content)
        out.append(contentsOf: repeatElement(0, count: padding))
    }

    /// A byte stream (STDIN, STDOUT ...) as records of at most 65535 bytes each.
    /// Empty input gives no records; the empty end-of-stream record is separate.
    package static func stream(_ kind: Kind, requestID: UInt16, bytes: [UInt8]) -> [FastCGIRecord] {
        stride(from: 0, to: bytes.count, by: 65528).map { start in
            FastCGIRecord(kind, requestID: requestID, content: Array(bytes[start..<min(start + 65528, bytes.count)]))
        }
    }
}

package enum FastCGIProtocolError: Error, Sendable, Equatable {
    case unsupportedVersion(UInt8)
    case malformedBody(String)
}

/// Reassembles records from a byte stream that may split them anywhere.
package struct FastCGIRecordDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0

    package init() {}

    package mutating func append(_ bytes: [UInt8]) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 65536 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Bytes received but not yet part of a complete record.
    package var pendingByteCount: Int { buffer.count - start }

    /// The next complete record, or nil when more bytes are needed.
    package mutating func next() throws(FastCGIProtocolError) -> FastCGIRecord? {
        guard buffer.count - start >= FastCGIRecord.headerLength else { return nil }
        let header = buffer[start..<start + FastCGIRecord.headerLength]
        let base = header.startIndex
        guard header[base] == FastCGIRecord.version else { throw .unsupportedVersion(header[base]) }
        let type = header[base + 1]
        let requestID = UInt16(header[base + 2]) << 8 | UInt16(header[base + 3])
        let contentLength = Int(header[base + 4]) << 8 | Int(header[base + 5])
        let paddingLength = Int(header[base + 6])
        let total = FastCGIRecord.headerLength + contentLength + paddingLength
        guard buffer.count - start >= total else { return nil }
        let contentStart = start + FastCGIRecord.headerLength
        let content = Array(buffer[contentStart..<contentStart + contentLength])
        start += total
        return FastCGIRecord(type: type, requestID: requestID, content: content)
    }
}
