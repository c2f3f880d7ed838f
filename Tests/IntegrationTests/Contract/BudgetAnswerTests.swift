import Foundation
import FunctionRuntime
import GatewayStore
import TestSupport
import XCTest

/// A budget's answers keep their shape whatever its numbers. Found by schemathesis: a monthly budget of a
/// few 1e-320 USD against real spend made `used_percent` infinite, and the whole answer came back `{}`.
final class BudgetAnswerTests: XCTestCase {
    private func spend(_ bed: ChatTestbed, _ cost: Double) throws {
        try bed.store.recordUsage(
            bed.user,
            UsageRecord(
                id: UUID().uuidString, userID: bed.user.userID, providerID: "openai", modelServed: "gpt-4o-mini", costUSD: cost,
                status: .success, createdAt: Int64((Date().timeIntervalSince1970 * 1000).rounded())))
    }

    func testAMonthlyBudgetBelowAMillionthOfADollarIsRefused() throws {
        let bed = try ChatTestbed()
        let refused = try bed.gateway.invoke("usage-stats", "PUT", "/budgets", body: #"{"monthly_budget_usd": 1e-7}"#, token: bed.token)
        XCTAssertEqual(refused.head?.status, 400, refused.text)
        XCTAssertEqual(try JSONValue.parse(refused.body)["error"]?["param"], "monthly_budget_usd")
        let least = try bed.gateway.invoke("usage-stats", "PUT", "/budgets", body: #"{"monthly_budget_usd": 0.000001}"#, token: bed.token)
        XCTAssertEqual(least.head?.status, 201, least.text)
    }

    /// A budget stored before the least one was enforced (or by hand) is still answered whole.
    func testABudgetFarBelowItsSpendIsAnsweredWithAFiniteUsedPercent() throws {
        let bed = try ChatTestbed()
        try spend(bed, 0.5)
        _ = try bed.store.saveBudget(bed.user, UsageBudget(id: "tiny", userID: bed.user.userID, monthlyBudgetUSD: 1e-320))
        let listed = try bed.gateway.invoke("usage-stats", "GET", "/budgets", token: bed.token)
        XCTAssertEqual(listed.head?.status, 200, listed.text)
        let budget = try JSONValue.parse(listed.body)["data"]?[0]
        XCTAssertEqual(budget?["blocked_by"], "budget_exceeded", listed.text)
        XCTAssertEqual(budget?["used_percent"]?.doubleValue?.isFinite, true, listed.text)
        let report = try JSONValue.parse(try bed.gateway.invoke("usage-stats", "GET", "/", token: bed.token).body)
        XCTAssertEqual(report["budget"]?["overall"]?["blocked"], true)
    }
}
