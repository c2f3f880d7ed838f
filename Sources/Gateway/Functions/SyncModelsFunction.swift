import FunctionRuntime
import GatewayProviders
import GatewayStore

/// `sync-models`: refreshes the model catalogue from the providers' own lists.
/// - an `authenticated` caller syncs its configured providers into its own rows (`{"provider_id": ...}` for one);
/// - the `service_role` syncs every provider it holds a key for into the shared catalogue, or, with
///   `{"user_id": ...}`, that user's providers into that user's rows.
package enum SyncModelsFunction: GatewayFunction {
    package static let name = "sync-models"

    package static func routes(_ routes: inout RouteTable<FunctionContext>) {
        routes.on("POST", "/") { request, _, context, writer in
            let targets = try await context.withStore { _ in try Self.targets(for: request, context: context) }
            let sync = CatalogueSync(
                store: context.services.storeWork, caller: context.caller, sealer: try context.sealer(),
                fetcher: .fromEnvironment(context.services.environment))
            let reports = await sync.run(targets)
            var body: [String: JSONValue] = [
                "count": .int(reports.reduce(0) { $0 + ($1.counts?.total ?? 0) }),
                "providers": .array(reports.map(\.json)),
            ]
            let failed = reports.filter { $0.error != nil }
            context.usage.update { $0.providerID = targets.count == 1 ? targets[0].provider.id : nil }
            if !reports.isEmpty && failed.count == reports.count {
                // Nothing synced: an error status, so a scheduled run notices; the entries say why.
                context.usage.update { $0.errorCode = "sync_failed" }
                body["error"] = [
                    "message": .string(
                        "No provider could be synced: \(failed.map { "\($0.target.provider.name): \($0.error?.code ?? "")" }.joined(separator: ", ")))"
                    ),
                    "type": "upstream_error", "code": "sync_failed",
                ]
                try writer.respond(status: 502, json: .object(body))
            } else {
                try writer.respond(json: .object(body))
            }
        }
    }

    static func targets(for request: FunctionRequest, context: FunctionContext) throws -> [CatalogueSync.Target] {
        let body =
            request.body.isEmpty ? SyncBody() : try SyncBody.decode(request.body, notAnObject: "The request body must be a JSON object (or empty).")
        if let filter = body.providerID, filter.isEmpty {
            throw APIError.badRequest(SyncBody.requirement(of: "provider_id"), param: "provider_id")
        }
        _ = try InputLimits.identifier(body.providerID, param: "provider_id", limit: InputLimits.idBytes)
        let caller = context.caller
        var owner = caller.userID
        var scope = UserScope.caller
        if let id = body.userID {
            guard caller.isService else {
                throw APIError(status: 403, message: "Only the service role may sync another user's providers.", code: "forbidden")
            }
            guard !id.isEmpty else { throw APIError.badRequest(SyncBody.requirement(of: "user_id"), param: "user_id") }
            try InputLimits.checked(id, param: "user_id", limit: InputLimits.idBytes)
            owner = id
            scope = .user(id)
        } else if caller.isService {
            owner = ""  // the service role's own keys are the system keys: they feed the shared catalogue
        }
        let store = try context.store()
        let catalogue = Dictionary(uniqueKeysWithValues: try store.catalogueProviders(caller).map { ($0.id, $0) })
        var seen = Set<String>()
        let wanted = body.providerID
        let targets: [CatalogueSync.Target] = try store.userProviders(caller, scope: scope).compactMap { key in
            guard key.isActive, let provider = catalogue[key.providerID], provider.isActive else { return nil }
            if let wanted, wanted != key.id, wanted != provider.id, wanted != provider.name { return nil }
            // One key per provider: the first in routing order (userProviders is ordered by priority).
            guard seen.insert(provider.id).inserted else { return nil }
            return CatalogueSync.Target(provider: provider, key: key, ownerUserID: owner)
        }
        if let wanted, targets.isEmpty {
            throw APIError.notFound("No active key for provider '\(wanted.prefix(80))' on this account.", code: "provider_not_found")
        }
        return targets
    }
}
