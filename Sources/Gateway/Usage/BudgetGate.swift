import FunctionRuntime
import GatewayStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// v1-chat's check before calling upstream: a user-wide budget or limit that is used up refuses the
/// request (429, with the limit in `code` and the reset time); a provider's own budget takes that
/// provider out of the candidates. The monthly budget's alert thresholds become a response header.
struct BudgetGate {
    struct Decision: Sendable {
        var blockedProviders: [String: APIError] = [:]
        /// `X-Budget-Alert` value when a threshold of the user-wide monthly budget is crossed.
        var alert: String?
    }

    static let alertHeader = "X-Budget-Alert"

    static func check(store: any Store, caller: Caller, reservationID: String, model: String?, now: Int64) throws -> Decision {
        let states = try store.admitRequest(caller, reservationID: reservationID, modelRequested: model, now: now) { states in
            states.allSatisfy { !$0.budget.providerID.isEmpty || refusal($0, now: now) == nil }
        }
        var decision = Decision()
        for state in states {
            guard let error = refusal(state, now: now) else { continue }
            if state.budget.providerID.isEmpty { throw error }
            decision.blockedProviders[state.budget.providerID] = error
        }
        if let overall = states.first(where: { $0.budget.providerID.isEmpty }), let alert = alert(overall) {
            decision.alert = alert
        }
        return decision
    }

    /// The 429 this state calls for, if one of its limits is used up.
    static func refusal(_ state: BudgetState, now: Int64) -> APIError? {
        let budget = state.budget, used = state.consumption
        let periods = BudgetPeriods(now: now)
        let scope = budget.providerID.isEmpty ? "" : " for \(budget.providerID)"
        if let limit = budget.monthlyBudgetUSD, used.monthCostUSD >= limit {
            return error(
                "budget_exceeded", "The monthly budget of \(usd(limit))\(scope) is used up (\(usd(used.monthCostUSD)) spent).",
                resetsAt: periods.nextMonthStart, now: now)
        }
        if let limit = budget.tokensPerDay, used.dayTokens >= limit {
            return error(
                "token_limit_exceeded", "The limit of \(limit) tokens per day\(scope) is reached (\(used.dayTokens) used).",
                resetsAt: periods.nextDayStart, now: now)
        }
        if let limit = budget.requestsPerMinute, used.minuteRequests >= limit {
            let reset = max(now + 1000, (used.oldestInMinute ?? now) + 60_000)
            return error("rate_limited", "The limit of \(limit) requests per minute\(scope) is reached.", resetsAt: reset, now: now)
        }
        return nil
    }

    static func error(_ code: String, _ message: String, resetsAt reset: Int64, now: Int64) -> APIError {
        let when = ISO8601Milliseconds.format(reset, offsetSeconds: 0)
        var headers = HTTPHeaders()
        headers.set("Retry-After", String(max(1, (reset - now + 999) / 1000)))
        headers.set("X-RateLimit-Reset", when)
        return APIError(status: 429, message: "\(message) It resets at \(when).", code: code, headers: headers)
    }

    /// `threshold=80; used_percent=83.1; budget_usd=10` for the highest threshold the spend has crossed.
    static func alert(_ state: BudgetState) -> String? {
        guard let limit = state.budget.monthlyBudgetUSD, limit > 0 else { return nil }
        let percent = state.consumption.monthCostUSD / limit * 100
        guard let crossed = state.budget.alertThresholds.filter({ Double($0) <= percent }).max() else { return nil }
        return "threshold=\(crossed); used_percent=\((percent * 10).rounded() / 10); budget_usd=\(limit)"
    }

    static func usd(_ value: Double) -> String { "$\((value * 10_000).rounded() / 10_000)" }
}
