import Shared
import XCTest

final class RouterTests: XCTestCase {
    private final class Writes: ResponseTransport, @unchecked Sendable {
        var bytes: [UInt8] = []
        func send(_ bytes: [UInt8]) throws { self.bytes += bytes }
        func finish() throws {}
    }

    private func call(_ router: Router<Void>, _ method: String, _ path: String) async throws -> String {
        let transport = Writes()
        let writer = ResponseWriter(transport: transport)
        try await router.handle(Request(method: method, path: path), writer)
        return String(decoding: transport.bytes, as: UTF8.self)
    }

    func testPlaceholdersCaptureDecodedSegmentsAndTrailingSlashesMatch() async throws {
        var router = Router<Void>()
        router.on("GET", "/aliases/{alias}") { _, parameters, writer in
            try writer.respond(json: ["alias": .string(parameters["alias"] ?? "")])
        }
        let output = try await call(router, "GET", "/aliases/my%20model/")
        XCTAssertTrue(output.hasSuffix(#"{"alias":"my model"}"#), output)
    }

    func testUnknownPathIs404AndWrongMethodIs405WithAllow() async throws {
        var router = Router<Void>()
        router.on("GET", "/") { _, _, writer in try writer.respond(json: [:]) }
        router.on("POST", "/") { _, _, writer in try writer.respond(json: [:]) }
        do {
            _ = try await call(router, "GET", "/nothing/here")
            XCTFail("expected 404")
        } catch let error as HTTPError {
            XCTAssertEqual(error.status, 404)
            XCTAssertEqual(error.code, "route_not_found")
        }
        do {
            _ = try await call(router, "DELETE", "/")
            XCTFail("expected 405")
        } catch let error as HTTPError {
            XCTAssertEqual(error.status, 405)
            XCTAssertEqual(error.headers["Allow"], "GET, POST")
        }
    }
}
