import FunctionRuntime
import XCTest

final class FastCGIRecordTests: XCTestCase {
    func testRecordsArePaddedToEightBytesAndRoundTrip() throws {
        let record = FastCGIRecord(.stdout, requestID: 258, content: Array("hello".utf8))
        let bytes = record.encoded()
        XCTAssertEqual(bytes.count, 16, "8 header + 5 content + 3 padding")
        XCTAssertEqual(Array(bytes[0..<8]), [1, 6, 1, 2, 0, 5, 3, 0])
        var decoder = FastCGIRecordDecoder()
        decoder.append(bytes)
        XCTAssertEqual(try decoder.next(), record)
        XCTAssertNil(try decoder.next())
    }

    func testRecordsSplitAcrossReadsAtEveryByteAreReassembled() throws {
        let records = [
            FastCGIRecord(.beginRequest, requestID: 1, content: FastCGIBeginRequest(role: 1, keepConnection: true).encoded),
            FastCGIRecord(.params, requestID: 1, content: FastCGINameValuePairs.encode([("REQUEST_METHOD", "GET")])),
            FastCGIRecord(.params, requestID: 1),
            FastCGIRecord(.stdin, requestID: 1, content: [UInt8](repeating: 7, count: 1000)),
        ]
        let stream = records.flatMap { $0.encoded() }
        var decoder = FastCGIRecordDecoder()
        var decoded: [FastCGIRecord] = []
        for byte in stream {
            decoder.append([byte])
            while let record = try decoder.next() { decoded.append(record) }
        }
        XCTAssertEqual(decoded, records)
        XCTAssertEqual(decoder.pendingByteCount, 0)
    }

    func testPaddingSentByThePeerIsSkipped() throws {
        // A peer may pad differently from us: 1 content byte + 255 bytes of padding.
        var bytes: [UInt8] = [1, 5, 0, 1, 0, 1, 255, 0, 42] + [UInt8](repeating: 0, count: 255)
        bytes += FastCGIRecord(.stdin, requestID: 1).encoded()
        var decoder = FastCGIRecordDecoder()
        decoder.append(bytes)
        XCTAssertEqual(try decoder.next(), FastCGIRecord(.stdin, requestID: 1, content: [42]))
        XCTAssertEqual(try decoder.next(), FastCGIRecord(.stdin, requestID: 1))
    }

    func testLargeStreamsAreSplitIntoRecordsOfAtMost65535Bytes() {
        let bytes = [UInt8](repeating: 9, count: 200_000)
        let records = FastCGIRecord.stream(.stdin, requestID: 3, bytes: bytes)
        XCTAssertEqual(records.count, 4)
        XCTAssertTrue(records.allSatisfy { $0.content.count <= FastCGIRecord.maxContentLength })
        XCTAssertEqual(records.flatMap(\.content), bytes)
        XCTAssertTrue(FastCGIRecord.stream(.stdin, requestID: 3, bytes: []).isEmpty)
    }

    func testWrongVersionIsAProtocolError() {
        var decoder = FastCGIRecordDecoder()
        decoder.append([2, 1, 0, 1, 0, 0, 0, 0])
        XCTAssertThrowsError(try decoder.next()) { error in
            XCTAssertEqual(error as? FastCGIProtocolError, .unsupportedVersion(2))
        }
    }

    func testNameValuePairsWithShortAndLongLengths() throws {
        let long = String(repeating: "v", count: 300)
        let pairs = [("A", "1"), ("LONG_VALUE", long), (String(repeating: "N", count: 200), ""), ("EMPTY", "")]
        let encoded = FastCGINameValuePairs.encode(pairs)
        XCTAssertEqual(encoded[0], 1, "short lengths take one byte")
        let decoded = try FastCGINameValuePairs.decode(encoded)
        XCTAssertEqual(decoded.map(\.0), pairs.map(\.0))
        XCTAssertEqual(decoded.map(\.1), pairs.map(\.1))
    }

    func testTruncatedNameValuePairsAreRejected() {
        XCTAssertThrowsError(try FastCGINameValuePairs.decode([5, 1, 65, 66]))
        XCTAssertThrowsError(try FastCGINameValuePairs.decode([0x80, 0, 1]))
    }

    func testBeginAndEndRequestBodies() throws {
        let begin = FastCGIBeginRequest(role: FastCGIRole.responder.rawValue, keepConnection: true)
        XCTAssertEqual(try FastCGIBeginRequest(parsing: begin.encoded), begin)
        XCTAssertThrowsError(try FastCGIBeginRequest(parsing: [0, 1]))
        let end = FastCGIEndRequest(appStatus: 0x01020304, protocolStatus: .cantMultiplexConnection)
        XCTAssertEqual(end.encoded, [1, 2, 3, 4, 1, 0, 0, 0])
        XCTAssertEqual(try FastCGIEndRequest(parsing: end.encoded), end)
    }
}
