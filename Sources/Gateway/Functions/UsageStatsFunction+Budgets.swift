import FunctionRuntime
import GatewayProviders
import GatewayStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `GET|PUT|DELETE /budgets`: a user's monthly budget and limits, user-wide or for one provider.
/// A user manages their own; the service role names a user with `user_id`.
extension UsageStatsFunction {
    static func budgetOwner(_ requested: String?, _ caller: Caller) throws -> String {
        guard let requested, !requested.isEmpty, requested != caller.userID else { return caller.userID }
        try InputLimits.checked(requested, param: "user_id", limit: InputLimits.idBytes)
        guard caller.isService else {
            throw APIError(status: 403, message: "Only the service role may manage another user's budgets.", code: "forbidden")
        }
        return requested
    }

    static func listBudgets(_ request: FunctionRequest, context: FunctionContext, writer: ResponseWriter) throws {
        let user = try budgetOwner(request.queryParameters["user_id"], context.caller)
        let now = now()
        let states = try context.store().budgetStates(context.caller, userID: user, now: now)
        try writer.respond(json: ["user_id": .string(user), "data": .array(states.map { BudgetResponse($0, now: now).json })])
    }

    static func saveBudget(_ request: FunctionRequest, context: FunctionContext, writer: ResponseWriter) throws {
        let body = try BudgetBody.decode(request.body)
        let user = try budgetOwner(body.userID, context.caller)
        let store = try context.store()
        var providerID = ""
        if let wanted = body.providerID ?? body.provider {
            guard let provider = try store.catalogueProviders(context.caller).first(where: { $0.id == wanted || $0.name == wanted })
            else {
                throw APIError.badRequest("'provider_id' must name a provider in the catalogue.", param: "provider_id")
            }
            providerID = provider.id
        }
        func positive(_ value: Double?, _ key: String) throws -> Double? {
            guard let value else { return nil }
            // A budget below a millionth of a dollar is no budget: spend over it overflows a percentage.
            let least = key == "monthly_budget_usd" ? BudgetBody.leastMonthlyBudgetUSD : .leastNonzeroMagnitude
            guard value >= least, value < 1e12 else { throw APIError.badRequest(BudgetBody.requirement(of: key), param: key) }
            return value
        }
        let monthly = try positive(body.monthlyBudgetUSD, "monthly_budget_usd")
        let rpm = try positive(body.requestsPerMinute, "requests_per_minute")
        let tokens = try positive(body.tokensPerDay, "tokens_per_day")
        for (key, value) in [("requests_per_minute", rpm), ("tokens_per_day", tokens)] where value.map({ $0.rounded() != $0 }) == true {
            throw APIError.badRequest("'\(key)' must be a whole number.", param: key)
        }
        guard monthly != nil || rpm != nil || tokens != nil else {
            throw APIError.badRequest("Set at least one of monthly_budget_usd, requests_per_minute, tokens_per_day.", code: "invalid_budget")
        }
        var thresholds = [50, 80, 100]
        if let items = body.alertThresholds {
            guard items.count <= 10, items.allSatisfy({ (1...1000).contains($0) }) else {
                throw APIError.badRequest(BudgetBody.requirement(of: "alert_thresholds"), param: "alert_thresholds")
            }
            thresholds = items.sorted()
        }
        let before = try store.budgets(context.caller, scope: .user(user)).first { $0.providerID == providerID }
        let saved = try store.saveBudget(
            context.caller,
            UsageBudget(
                id: before?.id ?? UUID().uuidString.lowercased(), userID: user, providerID: providerID, monthlyBudgetUSD: monthly,
                requestsPerMinute: rpm.map { Int($0) }, tokensPerDay: tokens.map { Int($0) }, alertThresholds: thresholds))
        try AuditTrail.record(
            context, action: before == nil ? "create" : "update", entity: "usage_budgets", entityID: saved.id,
            subjectUserID: user, before: before.map(budgetAudit), after: budgetAudit(saved))
        let now = now()
        let state = try store.budgetStates(context.caller, userID: user, now: now).first { $0.budget.providerID == providerID }
        try writer.respond(status: before == nil ? 201 : 200, json: state.map { BudgetResponse($0, now: now).json } ?? budgetAudit(saved))
    }

    static func deleteBudget(_ request: FunctionRequest, context: FunctionContext, writer: ResponseWriter) throws {
        let parameters = request.queryParameters
        let user = try budgetOwner(parameters["user_id"], context.caller)
        let store = try context.store()
        let wanted = parameters["provider_id"] ?? ""
        let providerID =
            wanted.isEmpty ? "" : (try store.catalogueProviders(context.caller).first { $0.id == wanted || $0.name == wanted }?.id ?? wanted)
        let before = try store.budgets(context.caller, scope: .user(user)).first { $0.providerID == providerID }
        guard let before, try store.deleteBudget(context.caller, userID: user, providerID: providerID) else {
            throw APIError.notFound("No such budget.", code: "budget_not_found")
        }
        try AuditTrail.record(
            context, action: "delete", entity: "usage_budgets", entityID: before.id, subjectUserID: user,
            before: budgetAudit(before), after: nil)
        try writer.respond(json: ["deleted": true, "provider_id": providerID.isEmpty ? .null : .string(providerID)])
    }

    static func budgetAudit(_ budget: UsageBudget) -> JSONValue {
        [
            "provider_id": .string(budget.providerID), "monthly_budget_usd": budget.monthlyBudgetUSD.map(JSONValue.double) ?? .null,
            "requests_per_minute": budget.requestsPerMinute.map(JSONValue.int) ?? .null,
            "tokens_per_day": budget.tokensPerDay.map(JSONValue.int) ?? .null,
            "alert_thresholds": .array(budget.alertThresholds.map(JSONValue.int)),
        ]
    }
}
