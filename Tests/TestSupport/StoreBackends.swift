import Foundation
import GatewayStore

/// One freshly migrated store per backend: the same test body runs on SQLite and on PostgreSQL.
package struct StoreUnderTest {
    package var store: SQLStore
    /// `GATEWAY_DATABASE_URL` of this store, for processes the test starts.
    package var url: String
    package var backend: StoreBackend { store.backend }
}

package enum StoreBackends {
    package static func fresh(_ backend: StoreBackend) throws -> StoreUnderTest? {
        switch backend {
        case .sqlite:
            let url = "sqlite://\(try temporaryDirectory("store"))/gateway.db"
            let store = try StoreFactory.open(try DatabaseURL(parsing: url))
            try TestCatalogue.prepare(store)
            return StoreUnderTest(store: store, url: url)
        case .postgres:
            guard let server = try PostgresTestServer.shared() else { return nil }
            let url = try server.createDatabase()
            let store = try StoreFactory.open(try DatabaseURL(parsing: url))
            try TestCatalogue.prepare(store)
            return StoreUnderTest(store: store, url: url)
        }
    }

    /// A fresh store of `backend`, or an error: a test case that names PostgreSQL fails when it cannot
    /// start one (`make test` installs it), instead of passing having tested nothing.
    package static func required(_ backend: StoreBackend) throws -> StoreUnderTest {
        if backend == .postgres { _ = try PostgresTestServer.required() }
        guard let subject = try fresh(backend) else { throw TestFailure("no \(backend) store") }
        return subject
    }
}

/// Callers and rows the store tests share.
package enum Fixtures {
    package static let alice = Caller(userID: "user-alice", role: .authenticated)
    package static let bob = Caller(userID: "user-bob", role: .authenticated)
    package static let service = Caller(userID: "service", role: .serviceRole)
    /// The plaintext key the tests store; the run's logs are searched for it afterwards.
    package static let apiKey = "sk-test-gateway-NEVER-LOGGED-4f9a2c"

    package static func key(
        _ owner: Caller, provider: String = "openrouter", priority: Int = 0, id: String = UUID().uuidString,
        hash: String? = nil, health: HealthStatus = .unknown
    ) -> UserProvider {
        UserProvider(
            id: id, userID: owner.userID, providerID: provider, apiKeyEncrypted: "v1:k:ciphertext-\(id)",
            apiKeyHash: hash ?? "k:\(id)", apiKeyLast4: "2c9a", priority: priority, healthStatus: health)
    }

    package static func usage(
        _ owner: Caller, provider: String = "openrouter", at time: Int64, cost: Double = 0.01,
        status: UsageRecord.Status = .success, prompt: Int = 100, completion: Int = 20
    ) -> UsageRecord {
        UsageRecord(
            id: UUID().uuidString, userID: owner.userID, providerID: provider, modelRequested: "openai/gpt-4o",
            promptTokens: prompt, completionTokens: completion, costUSD: cost, status: status, createdAt: time)
    }
}
