import Foundation
import FunctionRuntime
import GatewayStore
import TestSupport
import XCTest

/// A budget's answer keeps its shape whatever its numbers. Found by schemathesis: a monthly budget of a
/// few 1e-320 USD against real spend made `used_percent` infinite, and the whole answer came back `{}`.
final class BudgetAnswerTests: XCTestCase {
    func testABudgetFarBelowItsSpendIsAnsweredWithAFiniteUsedPercent() throws {
        let bed = try ChatTestbed()
        try bed.store.recordUsage(
            bed.user,
            UsageRecord(
                id: UUID().uuidString, userID: bed.user.userID, providerID: "openai", modelServed: "gpt-4o-mini", costUSD: 0.5,
                status: .success, createdAt: Int64((Date().timeIntervalSince1970 * 1000).rounded())))
        let saved = try bed.gateway.invoke("usage-stats", "PUT", "/budgets", body: #"{"monthly_budget_usd": 1e-320}"#, token: bed.token)
        XCTAssertEqual(saved.head?.status, 201, saved.text)
        let budget = try JSONValue.parse(saved.body)
        XCTAssertEqual(budget["blocked_by"], "budget_exceeded", saved.text)
        XCTAssertEqual(budget["used_percent"]?.doubleValue?.isFinite, true, saved.text)
        let report = try JSONValue.parse(try bed.gateway.invoke("usage-stats", "GET", "/", token: bed.token).body)
        XCTAssertEqual(report["budget"]?["overall"]?["blocked"], true)
    }
}
