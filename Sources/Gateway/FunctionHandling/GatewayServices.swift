import FunctionRuntime
import GatewayStore
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What a function process holds across requests: configuration, the token verifier, and
/// (opened on first use, then kept for the life of a FastCGI worker) the store and the vault.
/// Configuration errors are reported per request as 503s and logged, never as crashes.
package final class GatewayServices: Sendable {
    package let functionName: String
    package let environment: [String: String]
    package let logger: Logger
    private let authenticator: Result<Authenticator, ConfigurationError>
    /// Parsed once per process: key derivation is not work to repeat for every request.
    private let vault: Result<Vault, VaultError>
    private let opener: StoreOpener
    /// A worker's routing plans, kept while the store's routing change counter stays (none in a CGI process).
    package let routingCache: RoutingCache?
    /// Where the store's calls run: its own thread in a worker, inline in a CGI process.
    package let storeWork: StoreWork
    /// This process's in-flight registrations, rows waiting to be written, and recovery of dead processes' requests.
    package let usageLog: UsageLog
    /// A FastCGI worker (true) serves many requests and runs maintenance in the background; a CGI process serves one.
    package let isPersistent: Bool
    /// Which other origins may call the functions from a browser.
    package let cors: CORSPolicy

    package struct ConfigurationError: Error, CustomStringConvertible {
        package var description: String
    }

    package init(
        functionName: String, environment: [String: String], logger: Logger,
        openStore: (@Sendable () throws -> any Store)? = nil
    ) async {
        self.functionName = functionName
        self.environment = environment
        self.logger = logger
        do {
            authenticator = .success(try await Authenticator(configuration: try AuthConfiguration.fromEnvironment(environment)))
        } catch {
            authenticator = .failure(ConfigurationError(description: "\(error)"))
        }
        vault = Result { () throws(VaultError) -> Vault in try Vault(environment: environment) }
        let opener = StoreOpener(logger: logger, open: openStore ?? { try StoreFactory.openForFunctions(environment: environment) })
        self.opener = opener
        let staleSeconds =
            environment["GATEWAY_INFLIGHT_STALE_SECONDS"].flatMap(Int64.init).flatMap { (60...604_800).contains($0) ? $0 : nil } ?? 3_600
        usageLog = UsageLog(staleAfterMilliseconds: staleSeconds * 1000, logger: logger)
        isPersistent = environment["GATEWAY_PERSISTENT_PROCESS"] == "1"
        storeWork = StoreWork(onOwnThread: isPersistent, open: opener.store)
        routingCache = isPersistent ? RoutingCache() : nil
        cors = CORSPolicy(environment: environment)
        if isPersistent { startMaintenance() }
    }

    /// A worker's background duty, on a thread of its own: at start (a worker that died before it
    /// left requests behind) and then every 30 s, recover dead processes' requests; every 2 s,
    /// write the usage rows that could not be written when their requests ended.
    private func startMaintenance() {
        NativeThread.detach { [self] in
            var passes = 0
            while true {
                if passes % 15 == 0, let store = try? store() {
                    do {
                        try usageLog.recoverDeadRequests(store: store, now: SQLStore.now())
                    } catch {
                        logger.warning("in-flight recovery failed; next pass retries", metadata: ["error": "\(CredentialRedaction.describe(error))"])
                    }
                }
                usageLog.flushPending(store: store)
                passes += 1
                sleep(2)
            }
        }
    }

    /// The caller, from the request's bearer token.
    package func authenticate(_ request: FunctionRequest) async throws -> Caller {
        switch authenticator {
        case .success(let authenticator):
            return try await authenticator.authenticate(request)
        case .failure(let error):
            logger.critical("authentication is not configured", metadata: ["error": "\(error)"])
            throw APIError.serviceUnavailable("The gateway is not configured to verify tokens.", code: "server_misconfigured")
        }
    }

    /// The store, opened on first use. A failure to open is retried by the next request.
    /// In a worker, call it from `withStore` (the store's thread), not from a request's task.
    package func store() throws -> any Store {
        try opener.store()
    }

    /// A CGI process's last step (see `Store.closeBeforeExit`); nothing if it never opened the store.
    package func closeStore() {
        opener.closeIfOpened()
    }

    /// Runs `body` with the store where store work runs (`storeWork`): a request's task suspends meanwhile.
    package func withStore<T: Sendable>(_ body: @escaping @Sendable (any Store) throws -> T) async throws -> T {
        try await storeWork.run(body)
    }

    /// The vault for users' provider keys.
    package func sealer() throws -> ProviderKeySealer {
        switch vault {
        case .success(let vault):
            return ProviderKeySealer(vault: vault)
        case .failure(let error):
            logger.critical("the key vault is not configured", metadata: ["error": "\(error)"])
            throw APIError.serviceUnavailable("The gateway is not configured to store provider keys.", code: "server_misconfigured")
        }
    }
}

/// Opens the store on first use and keeps it; a failure to open is retried by the next call.
private final class StoreOpener: Sendable {
    private let opened = Mutex<(any Store)?>(nil)
    private let open: @Sendable () throws -> any Store
    private let logger: Logger

    init(logger: Logger, open: @escaping @Sendable () throws -> any Store) {
        self.logger = logger
        self.open = open
    }

    /// Closes the store if it was opened; later calls find it closed (and fail), not reopened.
    func closeIfOpened() {
        opened.withLock { opened in opened?.closeBeforeExit() }
    }

    @Sendable func store() throws -> any Store {
        try opened.withLock { opened in
            if let opened { return opened }
            do {
                let store = try open()
                opened = store
                return store
            } catch let error as StoreError {
                logger.error("database not ready", metadata: ["error": "\(error)"])
                throw APIError.serviceUnavailable("The gateway's database is not ready.", code: "database_unavailable")
            } catch {
                logger.error("cannot open the database", metadata: ["error": "\(CredentialRedaction.describe(error))"])
                throw APIError.databaseUnavailable
            }
        }
    }
}
