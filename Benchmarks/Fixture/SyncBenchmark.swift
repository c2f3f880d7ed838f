import Foundation
import Gateway
import GatewayProviders
import GatewayStore
import Synchronization
import TestSupport

/// `bench-fixture sync`: how long a catalogue sync takes, for the real 220-model OpenRouter snapshot and
/// a generated 5,000-model list, on SQLite and PostgreSQL (a throwaway cluster). Each figure sits beside
/// its baseline from the same run: fetching and parsing the same list without writing anything.
enum SyncBenchmark {
    static func run() throws {
        let snapshot = String(decoding: try CatalogueFixtures.openRouterSnapshot(), as: UTF8.self)
        let large = CatalogueFixtures.generatedOpenRouterList(count: 5_000)
        let largeRepriced = CatalogueFixtures.generatedOpenRouterList(count: 5_000, priceShift: 1)
        let lists = Mutex<[String: String]>(["snapshot": snapshot, "large": large])
        let upstream = try MockUpstream { request in
            let name = request.path.split(separator: "/").first.map(String.init) ?? ""
            return .json(status: 200, body: lists.withLock { $0[name] } ?? "{}")
        }
        let vault = Vault(current: VaultKey.generate(id: "bench"))
        let sealer = ProviderKeySealer(vault: vault)
        let service = Caller(userID: "bench-service", role: .serviceRole)
        var urls: [(String, String)] = [("sqlite", "sqlite://\(try temporaryDirectory("sync-bench"))/gateway.db")]
        if let server = try PostgresTestServer.shared() { urls.append(("postgres", try server.createDatabase())) }

        print("catalogue sync, median of 5 runs (ms); baseline = fetch + parse only, same mock upstream")
        print("backend    list              baseline   first sync   re-sync (no change)   re-sync (all prices changed)")
        for (backend, url) in urls {
            for (name, count) in [("snapshot", 220), ("large", 5_000)] {
                let provider = CatalogueProvider(
                    id: "openrouter", name: "openrouter", displayName: "OpenRouter", kind: .aggregator,
                    apiStandard: .openai, baseURL: "\(upstream.baseURL)/\(name)/api/v1")
                let fetcher = CatalogueFetcher()
                let baseline = try median(5) {
                    _ = try blockingAsync { try await fetcher.listing(provider, apiKey: "sk-bench", settings: [:]) }
                }
                var first: [Double] = [], unchanged: [Double] = [], changed: [Double] = []
                for _ in 0..<5 {
                    let url =
                        backend == "sqlite"
                        ? "sqlite://\(try temporaryDirectory("sync-bench"))/gateway.db"
                        : try PostgresTestServer.shared()!.createDatabase()
                    let store = try StoreFactory.open(try DatabaseURL(parsing: url))
                    try GatewaySchema.prepare(store)
                    try store.saveCatalogueProvider(service, provider)
                    let sealed = try sealer.seal("sk-bench-key-0123456789", rowID: "bench-key", userID: service.userID)
                    let key = UserProvider(
                        id: "bench-key", userID: service.userID, providerID: "openrouter", apiKeyEncrypted: sealed.encrypted,
                        apiKeyHash: sealed.hash, apiKeyLast4: sealed.last4)
                    try store.insertUserProvider(service, key)
                    let sync = CatalogueSync(store: StoreWork(onOwnThread: false) { store }, caller: service, sealer: sealer, fetcher: fetcher)
                    let target = CatalogueSync.Target(provider: provider, key: key, ownerUserID: "")
                    func timed() throws -> Double {
                        let start = DispatchTime.now().uptimeNanoseconds
                        let reports = try blockingAsync { await sync.run([target]) }
                        guard reports.first?.error == nil, reports.first?.counts?.total == count else {
                            throw CocoaError(.featureUnsupported, userInfo: ["report": "\(String(describing: reports.first?.error))"])
                        }
                        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                    }
                    first.append(try timed())
                    unchanged.append(try timed())
                    if name == "large" { lists.withLock { $0["large"] = largeRepriced } }
                    changed.append(try timed())
                    lists.withLock { $0["large"] = large }
                }
                func cell(_ values: [Double]) -> String {
                    let value = values.sorted()[values.count / 2]
                    return String(format: "%7.1f (%4.1fx)", value, value / baseline)
                }
                print(
                    backend.padding(toLength: 10, withPad: " ", startingAt: 0) + " "
                        + "\(name) (\(count))".padding(toLength: 17, withPad: " ", startingAt: 0) + String(format: " %7.1f   ", baseline)
                        + "\(cell(first))   \(cell(unchanged))       \(name == "large" ? cell(changed) : "   (snapshot unchanged)")")
                _ = url
            }
        }
    }

    static func median(_ runs: Int, _ body: () throws -> Void) throws -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return times.sorted()[runs / 2]
    }
}
