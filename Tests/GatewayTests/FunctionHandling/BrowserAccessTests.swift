import Foundation
import FunctionRuntime
import Gateway
import GatewayDevelopment
import GatewayStore
import TestSupport
import XCTest

/// What a browser console relies on: every answer names its usage row (`X-Request-ID`), and other
/// origins get CORS answers only when `GATEWAY_CORS_ORIGINS` lists them.
final class BrowserAccessTests: XCTestCase {
    private final class Capture: ResponseTransport, @unchecked Sendable {
        var bytes: [UInt8] = []
        func send(_ bytes: [UInt8]) throws { self.bytes += bytes }
        func finish() throws {}

        /// Header fields of the response head (lower-cased names).
        var headers: [String: String] {
            let head = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n\r\n").first ?? ""
            var fields: [String: String] = [:]
            for line in head.components(separatedBy: "\r\n").dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            return fields
        }
    }

    private let secret = String(repeating: "s", count: 40)
    private var store: SQLStore!

    override func setUp() async throws {
        store = try StoreBackends.fresh(.sqlite)!.store
    }

    private func handler(corsOrigins: String? = nil) async -> FunctionHandler {
        let store = self.store!
        var environment = ["GATEWAY_JWT_SECRET": secret]
        environment["GATEWAY_CORS_ORIGINS"] = corsOrigins
        return ProvidersFunction.makeHandler(
            services: await GatewayServices(
                functionName: "providers", environment: environment, logger: .init(label: "test"), openStore: { store }))
    }

    private func call(_ handler: FunctionHandler, _ method: String, _ path: String, headers: HTTPHeaders) async throws -> (
        status: Int?, headers: [String: String]
    ) {
        let capture = Capture()
        let writer = ResponseWriter(transport: capture)
        try await handler.handle(FunctionRequest(method: method, path: path, headers: headers), writer)
        return (writer.status, capture.headers)
    }

    private func token() async throws -> String {
        try await DevelopmentTokens.mint(subject: "user-browser", role: .authenticated, ttlSeconds: 60, secret: secret)
    }

    private static let preflight: HTTPHeaders = [
        "Origin": "https://console.example", "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "authorization, content-type",
    ]

    func testEveryAnswerCarriesTheIDOfItsUsageRow() async throws {
        let handler = await handler()
        let ok = try await call(handler, "GET", "/", headers: ["Authorization": "Bearer \(try await token())"])
        let refused = try await call(handler, "GET", "/", headers: [:])
        XCTAssertEqual(ok.status, 200)
        XCTAssertEqual(refused.status, 401)
        let rows = try store.usage(Fixtures.service, UsageFilter(scope: .allUsers))
        XCTAssertEqual(Set([ok.headers["x-request-id"], refused.headers["x-request-id"]].compactMap { $0 }), Set(rows.map(\.id)))
        XCTAssertEqual(rows.count, 2)
    }

    func testAPreflightFromAListedOriginIsAnsweredWithoutAToken() async throws {
        let handler = await handler(corsOrigins: "https://other.example, https://console.example/")
        let answer = try await call(handler, "OPTIONS", "/abc/test", headers: Self.preflight)
        XCTAssertEqual(answer.status, 204)
        XCTAssertEqual(answer.headers["access-control-allow-origin"], "https://console.example")
        XCTAssertEqual(answer.headers["vary"], "Origin")
        XCTAssertTrue(answer.headers["access-control-allow-methods"]?.contains("PUT") == true)
        XCTAssertTrue(answer.headers["access-control-allow-headers"]?.contains("Authorization") == true)
        let rows = try store.usage(Fixtures.service, UsageFilter(scope: .allUsers))
        XCTAssertEqual(rows.map(\.status), [.success], "a preflight reached the function: one row, of no user")
        XCTAssertEqual(rows.first?.userID, "")
    }

    func testAPreflightFromAnUnlistedOriginIsRefused() async throws {
        let handler = await handler(corsOrigins: "https://other.example")
        let answer = try await call(handler, "OPTIONS", "/", headers: Self.preflight)
        XCTAssertEqual(answer.status, 403)
        XCTAssertNil(answer.headers["access-control-allow-origin"])
        XCTAssertEqual(try store.usage(Fixtures.service, UsageFilter(scope: .allUsers)).first?.errorCode, "cors_origin_not_allowed")
    }

    func testNoOriginIsAllowedByDefaultAndAWildcardOpensNothing() async throws {
        for setting in [nil, "*", "null"] {
            let handler = await handler(corsOrigins: setting)
            let answer = try await call(handler, "OPTIONS", "/", headers: Self.preflight)
            XCTAssertEqual(answer.status, 403, "GATEWAY_CORS_ORIGINS=\(setting ?? "(unset)")")
            XCTAssertNil(answer.headers["access-control-allow-origin"])
        }
    }

    func testAnswersToAListedOriginExposeTheHeadersTheConsoleReads() async throws {
        let handler = await handler(corsOrigins: "https://console.example")
        let listed = try await call(
            handler, "GET", "/", headers: ["Origin": "https://console.example", "Authorization": "Bearer \(try await token())"])
        XCTAssertEqual(listed.status, 200)
        XCTAssertEqual(listed.headers["access-control-allow-origin"], "https://console.example")
        XCTAssertTrue(listed.headers["access-control-expose-headers"]?.contains("X-Request-ID") == true)
        let unlisted = try await call(
            handler, "GET", "/", headers: ["Origin": "https://evil.example", "Authorization": "Bearer \(try await token())"])
        XCTAssertEqual(unlisted.status, 200, "same-origin rules are the browser's: the answer is given, without CORS headers")
        XCTAssertNil(unlisted.headers["access-control-allow-origin"])
    }
}
