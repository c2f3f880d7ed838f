import FunctionRuntime
import GatewayStore
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One process's side of "every request leaves exactly one usage row":
/// - `begin` registers the request in flight before it is served. When that write fails the request
///   is refused (503 `usage_log_unavailable`): the gateway fails closed rather than serve unmetered.
/// - `finish` writes the row (which replaces the in-flight one). A row that cannot be written now
///   is kept, in memory and bounded, and written by the next request or the next maintenance pass.
/// - `recoverDeadRequests` turns in-flight rows whose process died into `error` / `process_died` rows.
package final class UsageLog: Sendable {
    /// Rows kept for a later attempt; past this the oldest is given up (its in-flight row is recovered instead).
    package static let maxPendingRows = 10_000

    private struct State {
        /// Requests of this process that are in flight or whose row waits in `pending`.
        var active = Set<String>()
        var pending: [(record: UsageRecord, writer: Caller)] = []
    }

    package let identity: ProcessIdentity
    /// In-flight rows of other hosts older than this are taken for dead (their host is gone).
    package let staleAfterMilliseconds: Int64
    private let logger: Logger
    private let state = Mutex(State())
    private static let service = Caller.gateway

    package init(identity: ProcessIdentity = .current, staleAfterMilliseconds: Int64 = 3_600_000, logger: Logger) {
        self.identity = identity
        self.staleAfterMilliseconds = staleAfterMilliseconds
        self.logger = logger
    }

    package var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Registers `record`'s request as in flight; throws the 503 the request gets when that is impossible.
    func begin(_ record: UsageRecord, caller: Caller, store: any Store) throws(APIError) {
        state.withLock { _ = $0.active.insert(record.id) }
        do {
            try store.beginRequest(
                caller,
                InFlightRequest(
                    id: record.id, userID: record.userID, function: record.function,
                    createdAt: record.createdAt, host: identity.host, process: identity.process))
        } catch {
            state.withLock { _ = $0.active.remove(record.id) }
            logger.error(
                "usage log unavailable: request refused", metadata: ["usage_id": "\(record.id)", "error": "\(CredentialRedaction.describe(error))"])
            throw StorageOutage(error) == .unreachable ? .databaseUnavailable : .usageLogUnavailable
        }
    }

    /// Writes the request's row (after any rows still waiting); keeps it for later when it cannot be written.
    func finish(_ record: UsageRecord, writer: Caller, store: () throws -> any Store) {
        flushPending(store: store)
        do {
            try store().recordUsage(writer, record)
            state.withLock { _ = $0.active.remove(record.id) }
        } catch StoreError.duplicate {
            // Only a sweeper that took this request for dead writes its id: the row exists, once.
            state.withLock { _ = $0.active.remove(record.id) }
            logger.warning("usage row already recovered by a sweeper", metadata: ["usage_id": "\(record.id)"])
        } catch {
            keep(record, writer: writer, error: error)
        }
    }

    /// Writes the rows kept for later, oldest first, until one fails; how many are still waiting.
    @discardableResult
    package func flushPending(store: () throws -> any Store) -> Int {
        while let next = state.withLock({ $0.pending.first }) {
            do {
                try store().recordUsage(next.writer, next.record)
            } catch StoreError.duplicate {
                // Written already (a sweeper recovered it meanwhile): done with it either way.
            } catch {
                return pendingCount
            }
            state.withLock { state in
                state.pending.removeAll { $0.record.id == next.record.id }
                state.active.remove(next.record.id)
            }
        }
        return 0
    }

    private func keep(_ record: UsageRecord, writer: Caller, error: any Error) {
        let dropped = state.withLock { state -> UsageRecord? in
            state.pending.append((record, writer))
            guard state.pending.count > Self.maxPendingRows else { return nil }
            let oldest = state.pending.removeFirst().record
            state.active.remove(oldest.id)
            return oldest
        }
        logger.error(
            "usage row not written yet; kept for another attempt",
            metadata: [
                "usage_id": "\(record.id)", "status": "\(record.status.rawValue)", "error": "\(CredentialRedaction.describe(error))",
            ])
        if let dropped {
            logger.critical(
                "usage rows waiting past the limit: the oldest is recovered from its in-flight row instead",
                metadata: ["usage_id": "\(dropped.id)", "limit": "\(Self.maxPendingRows)"])
        }
    }

    /// In-flight rows whose process is gone become `error` rows: `process_died`, or `usage_write_failed`
    /// for this process's own requests whose row was given up. How many were recovered.
    @discardableResult
    package func recoverDeadRequests(store: any Store, now: Int64) throws -> Int {
        let candidates = try store.inFlightRequests(
            Self.service, host: identity.host, hostBefore: now,
            anyHostBefore: now - staleAfterMilliseconds, limit: 1_000)
        var recovered = 0
        for request in candidates {
            let errorCode: String
            if request.host != identity.host {
                errorCode = "process_died"  // older than the stale age: its host is gone
            } else if request.process == identity.process {
                guard !state.withLock({ $0.active.contains(request.id) }) else { continue }
                errorCode = "usage_write_failed"
            } else {
                guard !ProcessIdentity.isRunning(request.process) else { continue }
                errorCode = "process_died"
            }
            if try store.recoverInFlight(Self.service, id: request.id, errorCode: errorCode, now: now) { recovered += 1 }
        }
        if recovered > 0 {
            logger.warning("recovered requests of processes that died", metadata: ["count": "\(recovered)"])
        }
        return recovered
    }

    /// For a CGI process about to exit: rows still waiting get a few more attempts (about 2 s in all).
    func drainBeforeExit(store: () throws -> any Store) {
        var delay: useconds_t = 100_000
        for _ in 0..<4 where pendingCount > 0 {
            usleep(delay)
            delay *= 2
            flushPending(store: store)
        }
    }
}
