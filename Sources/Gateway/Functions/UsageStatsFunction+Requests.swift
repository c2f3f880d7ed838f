import FunctionRuntime
import GatewayProviders
import GatewayStore

/// `GET /requests` (the caller's latest requests, newest first; `function=v1-chat`, `api=messages` to narrow) and `GET /requests/{id}` (one request,
/// by the `X-Request-ID` every function answers with): what the console shows after a playground call.
extension UsageStatsFunction {
    static let requestNotFound = APIError.notFound(
        "No finished request with this id for this account (a request still in flight has no row yet).", code: "request_not_found")

    static func recentRequests(_ request: FunctionRequest, context: FunctionContext, writer: ResponseWriter) throws {
        let parameters = request.queryParameters
        var limit = 20
        if let text = parameters["limit"], !text.isEmpty {
            guard let number = Int(text), (1...100).contains(number) else {
                throw APIError.badRequest("'limit' must be an integer from 1 to 100.", param: "limit")
            }
            limit = number
        }
        let function = try InputLimits.identifier(parameters["function"].flatMap { $0.isEmpty ? nil : $0 }, param: "function", limit: 64)
        var api: ClientAPI?
        if let text = parameters["api"], !text.isEmpty {
            guard let parsed = ClientAPI(rawValue: text) else {
                throw APIError.badRequest("'api' must be one of \(ClientAPI.allCases.map(\.rawValue).joined(separator: ", ")).", param: "api")
            }
            api = parsed
        }
        let store = try context.store()
        let scope = try requestScope(parameters["user_id"], context.caller)
        let rows = try store.usage(context.caller, UsageFilter(scope: scope, function: function, api: api, limit: limit))
        let names = try providerNames(store, context.caller)
        try writer.respond(json: [
            "object": "list", "data": .array(rows.map { UsageJSON.record($0, providerName: $0.providerID.flatMap { names[$0] }) }),
        ])
    }

    static func oneRequest(_ id: String, context: FunctionContext, writer: ResponseWriter) throws {
        try InputLimits.checked(id, param: "id", limit: InputLimits.idBytes)
        let store = try context.store()
        guard let row = try store.usageRecord(context.caller, id: id) else { throw requestNotFound }
        try writer.respond(json: UsageJSON.record(row, providerName: try row.providerID.flatMap { try providerNames(store, context.caller)[$0] }))
    }

    private static func requestScope(_ user: String?, _ caller: Caller) throws -> UserScope {
        guard let user, !user.isEmpty else { return .caller }
        try InputLimits.checked(user, param: "user_id", limit: InputLimits.idBytes)
        guard caller.isService || user == caller.userID else {
            throw APIError(status: 403, message: "Only the service role may read another user's usage.", code: "forbidden")
        }
        return .user(user)
    }

    private static func providerNames(_ store: any Store, _ caller: Caller) throws -> [String: String] {
        Dictionary(try store.catalogueProviders(caller).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
