import FunctionRuntime
import XCTest

final class CGIResponseHeadTests: XCTestCase {
    func testHeadWithCRLFAndBodyStart() throws {
        let bytes = Array("Status: 404 Not Found\r\nContent-Type: application/json\r\nX-A: b\r\n\r\n{}".utf8)
        let (head, start) = try XCTUnwrap(try CGIResponseHead.parse(bytes))
        XCTAssertEqual(head.status, 404)
        XCTAssertEqual(head.headers["content-type"], "application/json")
        XCTAssertEqual(head.headers["X-A"], "b")
        XCTAssertEqual(String(decoding: bytes[start...], as: UTF8.self), "{}")
    }

    func testBareLineFeedsAndDefaultStatus() throws {
        let (head, start) = try XCTUnwrap(try CGIResponseHead.parse(Array("Content-Type: text/plain\n\nhi".utf8)))
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(start, 26)
    }

    func testIncompleteHeadNeedsMoreBytes() throws {
        XCTAssertNil(try CGIResponseHead.parse(Array("Status: 200 OK\r\nContent-".utf8)))
    }

    func testMalformedStatusIsAnError() {
        XCTAssertThrowsError(try CGIResponseHead.parse(Array("Status: abc\r\n\r\n".utf8)))
    }
}
