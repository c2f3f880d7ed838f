import Foundation
import Gateway
import GatewayProviders
import TestSupport
import XCTest

/// Numbers and identifiers a client sends are checked before they reach arithmetic, storage or an
/// error message: out of range is a 400 in the caller's format, never a trap (which killed the
/// worker for everyone) or a 9 MiB echo.
final class InputBoundsTests: XCTestCase {
    private static let huge = String(repeating: "m", count: 9 * 1024 * 1024)

    private func assertRefused(
        _ result: CGIInvocation.Result, param: String? = nil, _ what: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(result.status, 0, "\(what): the process exited cleanly (no trap)", file: file, line: line)
        XCTAssertEqual(result.head?.status, 400, "\(what): \(result.text.prefix(500))", file: file, line: line)
        XCTAssertLessThan(result.output.count, 4096, "\(what): the answer does not echo the input", file: file, line: line)
        if let param { XCTAssertEqual((result.json?["error"] as? [String: Any])?["param"] as? String, param, what, file: file, line: line) }
    }

    func testPageAndPerPageOutOfRangeAre400() throws {
        let gateway = try GatewayTestEnvironment(label: "bounds-models")
        let token = try gateway.token("user-bounds")
        for query in ["page=9223372036854775807", "page=1000001", "page=0", "per_page=9223372036854775807", "page=-5"] {
            let parameter = String(query.prefix { $0 != "=" })
            assertRefused(try gateway.invoke("models", "GET", "/", query: query, token: token), param: parameter, query)
        }
        XCTAssertEqual(
            try gateway.invoke("models", "GET", "/", query: "page=1000000", token: token).head?.status, 200, "the largest page is an empty page")
    }

    func testChatNumbersAndIdentifiersOutOfRangeAre400AndStillLogged() throws {
        let gateway = try GatewayTestEnvironment(label: "bounds-chat")
        let token = try gateway.token("user-bounds")
        let message = #""messages":[{"role":"user","content":"Hi"}]"#
        let cases: [(String, String)] = [
            (#"{"model":"\#(Self.huge)",\#(message)}"#, "model"),
            (#"{"model":"gpt-4o\u0000x",\#(message)}"#, "model"),
            (#"{"model":"gpt-4o","max_tokens":9223372036854775807,\#(message)}"#, "max_tokens"),
            (#"{"model":"gpt-4o","max_completion_tokens":2147483648,\#(message)}"#, "max_completion_tokens"),
            (#"{"model":"gpt-4o","user":"\#(String(repeating: "u", count: 300))",\#(message)}"#, "user"),
            (#"{"model":"gpt-4o","metadata":{"k":"\#(String(repeating: "v", count: 600))"},\#(message)}"#, "metadata"),
        ]
        for (body, param) in cases {
            assertRefused(try gateway.invoke("v1-chat", "POST", "/v1/chat/completions", body: body, token: token), param: param, param)
        }
        let rows = try gateway.usageRows()
        XCTAssertEqual(rows.count, cases.count, "every refused request still leaves its row")
        XCTAssertTrue(rows.allSatisfy { ($0.modelRequested?.utf8.count ?? 0) <= InputLimits.modelBytes }, "and no row stores the oversized model")
    }

    func testOversizedIdentifiersInOtherFunctionsAre400() throws {
        let gateway = try GatewayTestEnvironment(label: "bounds-other")
        let token = try gateway.token("user-bounds")
        let long = String(repeating: "p", count: 300)
        assertRefused(try gateway.invoke("usage-stats", "GET", "/", query: "model=\(long)", token: token), param: "model", "stats model")
        assertRefused(
            try gateway.invoke("usage-stats", "GET", "/", query: "provider_id=\(long)", token: token), param: "provider_id", "stats provider")
        assertRefused(try gateway.invoke("usage-stats", "GET", "/", query: "start_date=2026-02-31", token: token), param: "start_date", "no such day")
        assertRefused(try gateway.invoke("usage-stats", "GET", "/compare", query: "model=\(long)", token: token), param: "model", "compare")
        assertRefused(
            try gateway.invoke("models", "PUT", "/aliases/\(String(repeating: "a", count: 200))", body: #"{"model":"gpt-4o"}"#, token: token),
            param: "alias", "alias name")
        assertRefused(
            try gateway.invoke("models", "PUT", "/aliases/fast", body: #"{"model":"\#(long)"}"#, token: token), param: "model", "alias target")
        assertRefused(
            try gateway.invoke("providers", "POST", "/", body: #"{"provider":"\#(long)","api_key":"k"}"#, token: token), param: "provider", "provider"
        )
        assertRefused(
            try gateway.invoke("sync-models", "POST", "/", body: #"{"provider_id":"\#(long)"}"#, token: token), param: "provider_id", "sync")
        assertRefused(try gateway.invoke("providers", "GET", "/\(String(repeating: "i", count: 5000))", token: token), "a path id")
    }
}
