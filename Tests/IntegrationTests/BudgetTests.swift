import Foundation
import FunctionRuntime
import Gateway
import GatewayStore
import Synchronization
import TestSupport
import XCTest

/// Budgets and limits enforced by v1-chat before anything goes upstream: across concurrent CGI
/// processes, at the boundary, with alerts on the way, and reported by usage-stats.
final class BudgetTests: XCTestCase {
    private func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    private func testbed() throws -> (ChatTestbed, MockUpstream) {
        let bed = try ChatTestbed()
        // Slow enough that the concurrent requests overlap.
        let upstream = try MockUpstream { request in
            request.json?["stream"] == true
                ? .stream(events: ProviderWire.openAIStream(["a", "b", "c"], model: "gpt-4o-mini", prompt: 10, completion: 3), delayMs: 150)
                : .json(status: 200, body: ProviderWire.openAICompletion("via openai", model: "gpt-4o-mini", prompt: 10, completion: 3))
        }
        try bed.connect("openai", to: upstream.baseURL + "/v1")
        try bed.listModel("gpt-4o-mini", on: "openai", input: 0.15, output: 0.6)
        return (bed, upstream)
    }

    private func setBudget(_ bed: ChatTestbed, _ body: String) throws -> CGIInvocation.Result {
        try bed.gateway.invoke("usage-stats", "PUT", "/budgets", body: body, token: bed.token)
    }

    private func code(_ result: CGIInvocation.Result) -> String? { (result.json?["error"] as? [String: Any])?["code"] as? String }

    func testConcurrentRequestsFromSeparateProcessesStopExactlyAtTheRequestsPerMinuteLimit() throws {
        let (bed, _) = try testbed()
        XCTAssertEqual(try setBudget(bed, #"{"requests_per_minute": 5}"#).head?.status, 201)
        /// (status, error code, Retry-After) of each answer.
        let results = Mutex<[(Int?, String?, String?)]>([])
        nonisolated(unsafe) let shared = bed  // chat() only reads the testbed in CGI mode
        DispatchQueue.concurrentPerform(iterations: 12) { _ in
            if let result = try? shared.chat(#"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}"#) {
                let answer = (result.head?.status, (result.json?["error"] as? [String: Any])?["code"] as? String, result.head?.headers["Retry-After"])
                results.withLock { $0.append(answer) }
            }
        }
        let all = results.withLock { $0 }
        XCTAssertEqual(all.count, 12)
        XCTAssertEqual(all.filter { $0.0 == 200 }.count, 5, "in-flight requests hold their place: no overshoot at all")
        let refused = all.filter { $0.0 == 429 }
        XCTAssertEqual(refused.count, 7)
        XCTAssertTrue(refused.allSatisfy { $0.1 == "rate_limited" && $0.2 != nil }, "\(refused)")
        let rows = try bed.gateway.usageRows().filter { $0.function == "v1-chat" }
        XCTAssertEqual(rows.count, 12, "one usage row per request, refused ones included")
        XCTAssertEqual(rows.filter { $0.errorCode == "rate_limited" }.count, 7)
    }

    func testTheMonthlyBudgetAlertsOnTheWayAndBlocksAtTheBoundary() throws {
        let (bed, _) = try testbed()
        XCTAssertEqual(try setBudget(bed, #"{"monthly_budget_usd": 1.0, "alert_thresholds": [50, 80, 100]}"#).head?.status, 201)
        func spend(_ cost: Double) throws {
            try bed.store.recordUsage(
                bed.user,
                UsageRecord(
                    id: UUID().uuidString, userID: bed.user.userID, providerID: "openai",
                    modelServed: "gpt-4o-mini", costUSD: cost, status: .success, createdAt: now()))
        }
        let request = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#
        let quiet = try bed.chat(request)
        XCTAssertEqual(quiet.head?.status, 200, quiet.text)
        XCTAssertNil(quiet.head?.headers["X-Budget-Alert"], "nothing crossed yet")
        try spend(0.85)
        let warned = try bed.chat(request)
        XCTAssertEqual(warned.head?.status, 200)
        XCTAssertEqual(warned.head?.headers["X-Budget-Alert"]?.hasPrefix("threshold=80; used_percent=85"), true, warned.text)
        try spend(0.15)
        let blocked = try bed.chat(request)
        XCTAssertEqual(blocked.head?.status, 429, blocked.text)
        XCTAssertEqual(code(blocked), "budget_exceeded")
        let periods = BudgetPeriods(now: now())
        XCTAssertEqual(blocked.head?.headers["X-RateLimit-Reset"], ISO8601Milliseconds.format(periods.nextMonthStart, offsetSeconds: 0))
        XCTAssertTrue(blocked.text.contains("resets at"), blocked.text)

        let stats = try JSONValue.parse(try bed.gateway.invoke("usage-stats", "GET", "/", token: bed.token).body)
        XCTAssertEqual(stats["budget"]?["overall"]?["blocked_by"], "budget_exceeded")
        XCTAssertEqual(stats["budget"]?["overall"]?["alerts"], [50, 80, 100])
        XCTAssertEqual(
            try bed.gateway.invoke("usage-stats", "GET", "/budgets", token: try bed.gateway.token("user-other")).text.contains("monthly_budget_usd"),
            false, "another user sees no budget of alice's")
    }

    func testConcurrentRequestsAtTheSpendingBoundaryOvershootOnlyByRequestsInFlightThenAllAreRefused() throws {
        let (bed, _) = try testbed()
        XCTAssertEqual(try setBudget(bed, #"{"monthly_budget_usd": 1.0}"#).head?.status, 201)
        // Each chat costs 10 × 0.15 + 3 × 0.6 = 3.3 µUSD: the fourth carries 0.99999 past 1.0.
        try bed.store.recordUsage(
            bed.user,
            UsageRecord(
                id: UUID().uuidString, userID: bed.user.userID, providerID: "openai",
                modelServed: "gpt-4o-mini", costUSD: 0.99999, status: .success, createdAt: now()))
        func concurrentStatuses() -> [Int?] {
            let statuses = Mutex<[Int?]>([])
            nonisolated(unsafe) let shared = bed  // chat() only reads the testbed in CGI mode
            DispatchQueue.concurrentPerform(iterations: 12) { _ in
                let status = (try? shared.chat(#"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}"#))?.head?.status
                statuses.withLock { $0.append(status) }
            }
            return statuses.withLock { $0 }
        }
        let below = concurrentStatuses()
        let admitted = below.filter { $0 == 200 }.count
        // Three finished requests leave 0.9999999 spent, so at least four get in; beyond that only
        // requests admitted while others were still in flight (their cost unknown) may pass.
        XCTAssertTrue((4...12).contains(admitted), "\(below)")
        XCTAssertEqual(below.filter { $0 == 429 }.count, 12 - admitted, "\(below)")
        let spent = try bed.store.usage(bed.user, UsageFilter()).reduce(0) { $0 + ($1.costUSD ?? 0) }
        XCTAssertEqual(spent, 0.99999 + Double(admitted) * 3.3e-6, accuracy: 1e-12, "every admitted request is paid for")
        let atBoundary = concurrentStatuses()
        XCTAssertEqual(atBoundary, Array(repeating: 429, count: 12), "once spent, nobody gets through")
        let refusals = try bed.gateway.usageRows().filter { $0.function == "v1-chat" && $0.errorCode == "budget_exceeded" }
        XCTAssertEqual(refusals.count, 24 - admitted, "each refusal leaves its usage row")
    }

    func testAProvidersOwnBudgetSendsRequestsElsewhereAndTheDailyTokenLimitBlocks() throws {
        let (bed, _) = try testbed()
        let other = try MockUpstream { _ in
            .json(status: 200, body: ProviderWire.openAICompletion("via openrouter", model: "openai/gpt-4o-mini", prompt: 10, completion: 3))
        }
        try bed.connect("openrouter", to: other.baseURL + "/api/v1", priority: -1)
        try bed.listModel("gpt-4o-mini", on: "openrouter", input: 0.15, output: 0.6)
        let request = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#
        XCTAssertTrue(try bed.chat(request).text.contains("via openrouter"), "openrouter first by priority")
        XCTAssertEqual(try setBudget(bed, #"{"provider_id": "openrouter", "tokens_per_day": 10}"#).head?.status, 201)
        let rerouted = try bed.chat(request)
        XCTAssertEqual(rerouted.head?.status, 200, rerouted.text)
        XCTAssertFalse(rerouted.text.contains("via openrouter"), "openrouter's daily tokens are used up: openai serves it")

        XCTAssertEqual(try setBudget(bed, #"{"tokens_per_day": 20}"#).head?.status, 201)
        let blocked = try bed.chat(request)
        XCTAssertEqual(blocked.head?.status, 429, blocked.text)
        XCTAssertEqual(code(blocked), "token_limit_exceeded")
        XCTAssertEqual(try bed.gateway.invoke("usage-stats", "DELETE", "/budgets", token: bed.token).head?.status, 200)
        XCTAssertEqual(try bed.chat(request).head?.status, 200, "no user-wide limit any more")
        for bad in [
            #"{}"#, #"{"monthly_budget_usd": -5}"#, #"{"requests_per_minute": 1.5}"#, #"{"tokens_per_day": 5, "provider_id": "nowhere"}"#,
            #"{"tokens_per_day": 5, "user_id": "someone-else"}"#,
        ] {
            let result = try setBudget(bed, bad)
            XCTAssertTrue([400, 403].contains(result.head?.status ?? 0), "\(bad): \(result.text)")
        }
        let audit = try bed.store.auditEntries(bed.user).filter { $0.entity == "usage_budgets" }.map(\.action)
        XCTAssertEqual(audit.sorted(), ["create", "create", "delete"])
    }
}
