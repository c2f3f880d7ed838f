import FunctionRuntime
import XCTest

final class RouteTableTests: XCTestCase {
    private final class Writes: ResponseTransport, @unchecked Sendable {
        var bytes: [UInt8] = []
        func send(_ bytes: [UInt8]) throws { self.bytes += bytes }
        func finish() throws {}
    }

    private func call(_ routes: RouteTable<Void>, _ method: String, _ path: String) async throws -> String {
        let transport = Writes()
        let writer = ResponseWriter(transport: transport)
        try await routes.handle(FunctionRequest(method: method, path: path), writer)
        return String(decoding: transport.bytes, as: UTF8.self)
    }

    func testPlaceholdersCaptureDecodedSegmentsAndTrailingSlashesMatch() async throws {
        var routes = RouteTable<Void>()
        routes.on("GET", "/aliases/{alias}") { _, parameters, writer in
            try writer.respond(json: ["alias": .string(parameters["alias"] ?? "")])
        }
        let output = try await call(routes, "GET", "/aliases/my%20model/")
        XCTAssertTrue(output.hasSuffix(#"{"alias":"my model"}"#), output)
    }

    func testUnknownPathIs404AndWrongMethodIs405WithAllow() async throws {
        var routes = RouteTable<Void>()
        routes.on("GET", "/") { _, _, writer in try writer.respond(json: [:]) }
        routes.on("POST", "/") { _, _, writer in try writer.respond(json: [:]) }
        do {
            _ = try await call(routes, "GET", "/nothing/here")
            XCTFail("expected 404")
        } catch let error as APIError {
            XCTAssertEqual(error.status, 404)
            XCTAssertEqual(error.code, "route_not_found")
        }
        do {
            _ = try await call(routes, "DELETE", "/")
            XCTFail("expected 405")
        } catch let error as APIError {
            XCTAssertEqual(error.status, 405)
            XCTAssertEqual(error.headers["Allow"], "GET, POST")
        }
    }
}
