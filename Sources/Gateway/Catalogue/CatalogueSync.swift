import FunctionRuntime
import GatewayProviders
import GatewayStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Syncs the model catalogue of several providers at once: each provider's list is fetched
/// concurrently and written in its own transaction, so one provider failing (bad key, timeout,
/// malformed list) is reported in its entry while the others still sync.
package struct CatalogueSync: Sendable {
    /// One provider to sync: whose key, and whose rows the listing replaces ('' = the shared catalogue).
    package struct Target: Sendable {
        package var provider: CatalogueProvider
        package var key: UserProvider
        package var ownerUserID: String

        package init(provider: CatalogueProvider, key: UserProvider, ownerUserID: String) {
            self.provider = provider
            self.key = key
            self.ownerUserID = ownerUserID
        }
    }

    package struct Report: Sendable {
        package var target: Target
        package var counts: CatalogueSyncCounts?
        package var error: CatalogueFetchError?
        package var durationMs: Int

        package var json: JSONValue {
            var entry: [String: JSONValue] = [
                "provider": .string(target.provider.name), "provider_id": .string(target.provider.id),
                "user_provider_id": .string(target.key.id), "scope": .string(target.ownerUserID.isEmpty ? "shared" : "user"),
                "added": .int(counts?.added ?? 0), "updated": .int(counts?.updated ?? 0), "removed": .int(counts?.removed ?? 0),
                "total": .int(counts?.total ?? 0), "duration_ms": .int(durationMs),
            ]
            if let error { entry["error"] = ["code": .string(error.code), "message": .string(error.message)] }
            return .object(entry)
        }
    }

    /// Where the store's calls run (a listing is fetched off it, then saved on it).
    let store: StoreWork
    let caller: Caller
    let sealer: ProviderKeySealer
    let fetcher: CatalogueFetcher

    package init(store: StoreWork, caller: Caller, sealer: ProviderKeySealer, fetcher: CatalogueFetcher) {
        self.store = store
        self.caller = caller
        self.sealer = sealer
        self.fetcher = fetcher
    }

    package func run(_ targets: [Target]) async -> [Report] {
        await withTaskGroup(of: (Int, Report).self) { group in
            for (index, target) in targets.enumerated() {
                group.addTask { (index, await sync(target)) }
            }
            var reports: [(Int, Report)] = []
            for await report in group { reports.append(report) }
            return reports.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    func sync(_ target: Target) async -> Report {
        let started = MonotonicClock.nanoseconds()
        func elapsed() -> Int { Int((MonotonicClock.nanoseconds() - started) / 1_000_000) }
        do {
            let apiKey: String
            do {
                apiKey = try sealer.open(target.key)
            } catch {
                throw CatalogueFetchError(code: "key_unreadable", message: "The stored key cannot be decrypted with the configured vault keys.")
            }
            let listing = try await fetcher.listing(target.provider, apiKey: apiKey, settings: target.key.settings)
            let caller = caller
            let counts = try await store.run { store in
                try store.syncModels(
                    caller, providerID: target.provider.id, ownerUserID: target.ownerUserID,
                    listing: listing, userProviderID: target.key.id)
            }
            await recordHealth(target.key, healthy: true)
            return Report(target: target, counts: counts, error: nil, durationMs: elapsed())
        } catch let error as CatalogueFetchError {
            await recordHealth(target.key, healthy: false)
            return Report(target: target, counts: nil, error: error, durationMs: elapsed())
        } catch {
            return Report(
                target: target, counts: nil, error: CatalogueFetchError(code: "store_error", message: "The catalogue could not be saved."),
                durationMs: elapsed())
        }
    }

    /// A sync is an authenticated call like a health test: keep the key's health current.
    private func recordHealth(_ key: UserProvider, healthy: Bool) async {
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        let (caller, change) = (caller, UserProviderChange(healthStatus: healthy ? .healthy : .unhealthy, lastHealthCheck: now))
        _ = try? await store.run { try $0.updateUserProvider(caller, id: key.id, change) }
    }
}
