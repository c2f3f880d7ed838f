import Foundation
import FunctionRuntime
import Gateway
import GatewayDevelopment
import GatewayStore

/// What a started function needs: a migrated database, token and vault secrets, and tokens
/// for test users. One per test; everything lives under its temp dir. The database is SQLite,
/// or a fresh PostgreSQL database when `GATEWAY_TEST_BACKEND=postgres` (the suite runs both).
package struct GatewayTestEnvironment: Sendable {
    package let directory: String
    package let databaseURL: String
    package let jwtSecret: String
    package let encryptionKey: String

    /// - Parameter databaseURL: a database of the test's own (on a volume it controls, a server it stops); default: this run's backend.
    package init(label: String, databaseURL: String? = nil) throws {
        directory = try temporaryDirectory(label)
        if let databaseURL {
            self.databaseURL = databaseURL
        } else {
            self.databaseURL = try Self.backend == .postgres ? PostgresTestServer.required().createDatabase() : "sqlite://\(directory)/gateway.db"
        }
        try GatewaySchema.prepare(StoreFactory.open(try DatabaseURL(parsing: self.databaseURL)))
        jwtSecret = "test-jwt-secret-" + UUID().uuidString
        encryptionKey = VaultKey.generate(id: "test1").exported
    }

    /// The backend the integration tests run against this time.
    package static var backend: StoreBackend {
        ProcessInfo.processInfo.environment["GATEWAY_TEST_BACKEND"] == "postgres" ? .postgres : .sqlite
    }

    /// The environment a function process runs with.
    package var variables: [String: String] {
        [
            "GATEWAY_DATABASE_URL": databaseURL, "GATEWAY_JWT_SECRET": jwtSecret,
            "GATEWAY_ENCRYPTION_KEY": encryptionKey, "GATEWAY_LOG_LEVEL": "error",
        ]
    }

    package func token(_ user: String, role: CallerRole = .authenticated) throws -> String {
        let secret = jwtSecret
        return try blockingAsync { try await DevelopmentTokens.mint(subject: user, role: role, ttlSeconds: 600, secret: secret) }
    }

    package func store() throws -> SQLStore {
        try StoreFactory.open(try DatabaseURL(parsing: databaseURL))
    }

    /// Every usage row, as the service role sees them.
    package func usageRows() throws -> [UsageRecord] {
        try store().usage(Caller(userID: "test", role: .serviceRole), UsageFilter(scope: .allUsers, limit: 100_000))
    }
}

/// Runs async work from synchronous test code, on a thread of its own rather than the Swift
/// concurrency pool: Swift Testing runs synchronous tests on the pool's threads (two on a two-core
/// machine), and two tests blocked here would otherwise wait forever for work only they could run.
package func blockingAsync<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let semaphore = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result<T, any Error>?
    Task(executorPreference: DedicatedThreadExecutor.shared) {
        do { result = .success(try await body()) } catch { result = .failure(error) }
        semaphore.signal()
    }
    semaphore.wait()
    return try result!.get()
}

extension GatewayTestEnvironment {
    /// Runs one function as a CGI process, the way fcgiwrap would, with `token` as the bearer.
    package func invoke(
        _ function: String, _ method: String, _ path: String, query: String = "", body: String = "", token: String,
        extra: [String: String] = [:]
    ) throws -> CGIInvocation.Result {
        var environment = variables.merging(extra) { _, new in new }
        environment["REQUEST_METHOD"] = method
        environment["PATH_INFO"] = path
        environment["QUERY_STRING"] = query
        environment["CONTENT_LENGTH"] = String(body.utf8.count)
        environment["HTTP_AUTHORIZATION"] = "Bearer \(token)"
        return try CGIInvocation(
            executable: BuildProducts.path(function), environment: environment, body: Array(body.utf8),
            errorLogPath: "\(directory)/\(function).log"
        ).run()
    }

    /// Points a catalogue provider at a mock upstream (as the service role, the only one allowed to).
    package func setBaseURL(_ providerID: String, _ url: String, settings: JSONValue? = nil) throws {
        let service = Caller(userID: "test-admin", role: .serviceRole)
        let store = try store()
        guard var provider = try store.catalogueProvider(service, id: providerID) else { throw CocoaError(.fileNoSuchFile) }
        provider.baseURL = url
        if let settings { provider.settings = settings }
        try store.saveCatalogueProvider(service, provider)
    }
}
