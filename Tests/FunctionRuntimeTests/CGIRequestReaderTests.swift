import FunctionRuntime
import XCTest

final class CGIRequestReaderTests: XCTestCase {
    /// A pipe holding `bytes`, write end closed unless `keepOpen`.
    private func input(_ bytes: [UInt8], keepOpen: Bool = false) throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        try FileDescriptorIO.writeAll(fds[1], bytes)
        if !keepOpen {
            close(fds[1])
            return (fds[0], -1)
        }
        return (fds[0], fds[1])
    }

    func testBodyIsReadUpToContentLength() throws {
        let fd = try input(Array("{\"a\":1}trailing".utf8))
        defer { close(fd.read) }
        let request = try CGIRequestReader.read(
            environment: ["REQUEST_METHOD": "POST", "CONTENT_LENGTH": "7"], input: fd.read, limits: InvocationLimits())
        XCTAssertEqual(String(decoding: request.body, as: UTF8.self), "{\"a\":1}")
    }

    func testBodyWithoutContentLengthIsReadToEndOfInput() throws {
        let payload = [UInt8](repeating: 65, count: 200_000)
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        // More than a pipe buffer: write concurrently, as a web server would.
        let writeEnd = fds[1]
        let writer = Thread {
            try? FileDescriptorIO.writeAll(writeEnd, payload)
            close(writeEnd)
        }
        writer.start()
        defer { close(fds[0]) }
        let request = try CGIRequestReader.read(environment: ["REQUEST_METHOD": "POST"], input: fds[0], limits: InvocationLimits())
        XCTAssertEqual(request.body.count, payload.count)
    }

    func testGetWithoutContentLengthDoesNotWaitForInput() throws {
        // The write end stays open: reading would block forever.
        let fd = try input([], keepOpen: true)
        defer {
            close(fd.read)
            close(fd.write)
        }
        let request = try CGIRequestReader.read(environment: ["REQUEST_METHOD": "GET"], input: fd.read, limits: InvocationLimits())
        XCTAssertEqual(request.body, [])
    }

    func testDeclaredLengthOverTheLimitIs413WithoutReading() throws {
        let fd = try input([], keepOpen: true)
        defer {
            close(fd.read)
            close(fd.write)
        }
        XCTAssertThrowsError(
            try CGIRequestReader.read(
                environment: ["REQUEST_METHOD": "POST", "CONTENT_LENGTH": "1001"], input: fd.read,
                limits: InvocationLimits(maxBodyBytes: 1000))
        ) { error in
            XCTAssertEqual((error as? APIError)?.status, 413)
            XCTAssertEqual((error as? APIError)?.code, "request_too_large")
        }
    }

    func testUndeclaredBodyOverTheLimitIs413() throws {
        let fd = try input([UInt8](repeating: 1, count: 1001))
        defer { close(fd.read) }
        XCTAssertThrowsError(
            try CGIRequestReader.read(
                environment: ["REQUEST_METHOD": "POST"], input: fd.read, limits: InvocationLimits(maxBodyBytes: 1000))
        ) { error in
            XCTAssertEqual((error as? APIError)?.status, 413)
        }
    }

    func testBodyAtExactlyTheLimitIsAccepted() throws {
        let fd = try input([UInt8](repeating: 1, count: 1000))
        defer { close(fd.read) }
        let request = try CGIRequestReader.read(
            environment: ["REQUEST_METHOD": "POST", "CONTENT_LENGTH": "1000"], input: fd.read,
            limits: InvocationLimits(maxBodyBytes: 1000))
        XCTAssertEqual(request.body.count, 1000)
    }

    func testShortBodyIs400() throws {
        let fd = try input(Array("abc".utf8))
        defer { close(fd.read) }
        XCTAssertThrowsError(
            try CGIRequestReader.read(
                environment: ["REQUEST_METHOD": "POST", "CONTENT_LENGTH": "10"], input: fd.read, limits: InvocationLimits())
        ) { error in
            XCTAssertEqual((error as? APIError)?.status, 400)
            XCTAssertEqual((error as? APIError)?.code, "incomplete_body")
        }
    }

    func testNonNumericContentLengthIs400() throws {
        let fd = try input([])
        defer { close(fd.read) }
        XCTAssertThrowsError(
            try CGIRequestReader.read(
                environment: ["REQUEST_METHOD": "POST", "CONTENT_LENGTH": "12abc"], input: fd.read, limits: InvocationLimits())
        ) { error in
            XCTAssertEqual((error as? APIError)?.code, "invalid_content_length")
        }
    }

    func testBodyLimitComesFromTheEnvironment() {
        XCTAssertEqual(InvocationLimits.fromEnvironment([:]).maxBodyBytes, 10 * 1024 * 1024)
        XCTAssertEqual(InvocationLimits.fromEnvironment(["GATEWAY_MAX_BODY_BYTES": "2048"]).maxBodyBytes, 2048)
        XCTAssertEqual(InvocationLimits.fromEnvironment(["GATEWAY_MAX_BODY_BYTES": "lots"]).maxBodyBytes, 10 * 1024 * 1024)
    }
}
