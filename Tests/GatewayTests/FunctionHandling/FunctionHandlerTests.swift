import Foundation
import FunctionRuntime
import Gateway
import GatewayDevelopment
import GatewayStore
import TestSupport
import XCTest

/// Every gateway function: the caller first, errors as OpenAI JSON, one usage row per request.
final class FunctionHandlerTests: XCTestCase {
    private final class Capture: ResponseTransport, @unchecked Sendable {
        var bytes: [UInt8] = []
        func send(_ bytes: [UInt8]) throws { self.bytes += bytes }
        func finish() throws {}
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    private let secret = String(repeating: "s", count: 40)
    private var store: SQLStore!

    override func setUp() async throws {
        store = try StoreBackends.fresh(.sqlite)!.store
    }

    private func services(openStore: (@Sendable () throws -> any Store)? = nil) async -> GatewayServices {
        let store = self.store!
        return await GatewayServices(
            functionName: "providers", environment: ["GATEWAY_JWT_SECRET": secret],
            logger: .init(label: "test"), openStore: openStore ?? { store })
    }

    private func call(_ handler: FunctionHandler, _ method: String, _ path: String, token: String?) async throws -> (status: Int?, body: String) {
        let capture = Capture()
        let writer = ResponseWriter(transport: capture)
        let headers: HTTPHeaders = token.map { ["Authorization": "Bearer \($0)"] } ?? [:]
        try await handler.handle(FunctionRequest(method: method, path: path, headers: headers), writer)
        return (writer.status, capture.text)
    }

    private func token(_ user: String) async throws -> String {
        try await DevelopmentTokens.mint(subject: user, role: .authenticated, ttlSeconds: 60, secret: secret)
    }

    func testARequestWithoutATokenIsRefusedBeforeRoutingAndStillLeavesAUsageRow() async throws {
        let handler = ProvidersFunction.makeHandler(services: await services())
        let response = try await call(handler, "GET", "/no-such-route/at/all", token: nil)
        XCTAssertEqual(response.status, 401)
        XCTAssertTrue(response.body.contains(#""code":"missing_token""#), response.body)
        let rows = try store.usage(Fixtures.service, UsageFilter(scope: .allUsers))
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?.userID, "")
        XCTAssertEqual(rows.first?.status, .error)
        XCTAssertEqual(rows.first?.errorCode, "missing_token")
        XCTAssertEqual(rows.first?.function, "providers")
    }

    func testAnAuthenticatedRequestLeavesExactlyOneRowForItsCaller() async throws {
        let handler = ProvidersFunction.makeHandler(services: await services())
        let token = try await token("user-carol")
        _ = try await call(handler, "GET", "/unknown/route/x", token: token)
        _ = try await call(handler, "PATCH", "/", token: token)
        let rows = try store.usage(Caller(userID: "user-carol", role: .authenticated), UsageFilter())
        XCTAssertEqual(Set(rows.compactMap(\.errorCode)), ["route_not_found", "method_not_allowed"])
        XCTAssertTrue(rows.allSatisfy { $0.latencyMs != nil })
    }

    func testADatabaseThatCannotOpenIsA503NotACrash() async throws {
        struct Down: Error {}
        let handler = ProvidersFunction.makeHandler(services: await services(openStore: { throw Down() }))
        XCTAssertThrowsError(try handler.services.store()) { error in
            XCTAssertEqual((error as? APIError)?.status, 503)
            XCTAssertEqual((error as? APIError)?.code, "database_unavailable")
        }
        // The request itself is answered (its route needs no store yet); the lost row is logged, not fatal.
        let response = try await call(handler, "GET", "/", token: try await token("user-dave"))
        XCTAssertNotNil(response.status)
    }

    func testMissingTokenKeysAreA503ThatSaysSo() async throws {
        let services = await GatewayServices(
            functionName: "models", environment: [:], logger: .init(label: "test"),
            openStore: { [store] in store! })
        let response = try await call(ModelsFunction.makeHandler(services: services), "GET", "/", token: "x.y.z")
        XCTAssertEqual(response.status, 503)
        XCTAssertTrue(response.body.contains("server_misconfigured"), response.body)
    }
}
