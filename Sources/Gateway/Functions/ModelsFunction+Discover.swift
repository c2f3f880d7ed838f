import FunctionRuntime
import GatewayProviders
import GatewayStore

/// `GET /discover`: what a sync would change, fetched live from the caller's providers, written nowhere.
extension ModelsFunction {
    static func discover(_ context: FunctionContext) async throws -> JSONValue {
        let caller = context.caller
        let (catalogue, keys) = try await context.withStore { store in
            let catalogue = Dictionary(uniqueKeysWithValues: try store.catalogueProviders(caller).map { ($0.id, $0) })
            var seen = Set<String>()
            let keys = try store.userProviders(caller).filter {
                $0.isActive && catalogue[$0.providerID]?.isActive == true && seen.insert($0.providerID).inserted
            }
            return (catalogue, keys)
        }
        let sealer = try context.sealer()
        let fetcher = CatalogueFetcher.fromEnvironment(context.services.environment)
        let owner = caller.isService ? "" : caller.userID
        let entries = await withTaskGroup(of: (Int, JSONValue).self) { group in
            for (index, key) in keys.enumerated() {
                guard let provider = catalogue[key.providerID] else { continue }
                group.addTask {
                    var entry: [String: JSONValue] = [
                        "provider": .string(provider.name), "provider_id": .string(provider.id),
                        "user_provider_id": .string(key.id),
                    ]
                    do {
                        let apiKey = try sealer.open(key)
                        let listing = try await fetcher.listing(provider, apiKey: apiKey, settings: key.settings)
                        let diff = CatalogueDiff(
                            stored: try await context.withStore { try $0.ownedModels(caller, providerID: provider.id, ownerUserID: owner) },
                            listing: listing)
                        entry["would_add"] = .array(diff.added.map { ModelResponse($0, providerName: provider.name).json })
                        entry["would_update"] = .array(diff.updated.map { .string($0.modelID) })
                        entry["would_remove"] = .array(diff.removed.map { .string($0.modelID) })
                        entry["unchanged"] = .int(diff.unchanged)
                        entry["total"] = .int(diff.added.count + diff.updated.count + diff.unchanged)
                    } catch let error as CatalogueFetchError {
                        entry["error"] = ["code": .string(error.code), "message": .string(error.message)]
                    } catch {
                        entry["error"] = ["code": "key_unreadable", "message": "The stored key cannot be decrypted with the configured vault keys."]
                    }
                    return (index, .object(entry))
                }
            }
            var results: [(Int, JSONValue)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return ["providers": .array(entries)]
    }
}
