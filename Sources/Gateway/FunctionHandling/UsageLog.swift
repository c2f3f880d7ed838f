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
///   is kept, in memory and bounded, and written by the next batch or the next maintenance pass.
/// - Both are group-committed: the registrations and rows that arrive while the store's thread is busy
///   go into its next transaction together (at most `maxBatch`), instead of a transaction each.
///   A registration's request waits for its commit; a finished row does not (its client has the answer),
///   and a worker that is stopped writes every queued row before it exits (`StoreWork.waitUntilIdle`).
/// - `recoverDeadRequests` turns in-flight rows whose process died into `error` / `process_died` rows.
package final class UsageLog: Sendable {
    /// Rows kept for a later attempt; past this the oldest is given up (its in-flight row is recovered instead).
    package static let maxPendingRows = 10_000
    /// Writes in one group-committed transaction at most: bounds how long the write lock is held.
    package static let maxBatch = 256

    private struct State {
        /// Requests of this process that are in flight or whose row waits in `pending`.
        var active = Set<String>()
        var pending: [(record: UsageRecord, writer: Caller)] = []
    }

    private struct Batch {
        var writes: [(write: UsageWrite, done: @Sendable (Result<Void, any Error>) -> Void)] = []
        /// A flush is queued on the store's thread and has not yet taken the writes.
        var flushQueued = false
    }

    package let identity: ProcessIdentity
    /// In-flight rows of other hosts older than this are taken for dead (their host is gone).
    package let staleAfterMilliseconds: Int64
    private let logger: Logger
    private let state = Mutex(State())
    private let batch = Mutex(Batch())
    private static let service = Caller.gateway

    package init(identity: ProcessIdentity = .current, staleAfterMilliseconds: Int64 = 3_600_000, logger: Logger) {
        self.identity = identity
        self.staleAfterMilliseconds = staleAfterMilliseconds
        self.logger = logger
    }

    package var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Registers `record`'s request as in flight, once committed; throws the 503 the request gets when that is impossible.
    func begin(_ record: UsageRecord, caller: Caller, on work: StoreWork) async throws(APIError) {
        state.withLock { _ = $0.active.insert(record.id) }
        let request = InFlightRequest(
            id: record.id, userID: record.userID, function: record.function,
            createdAt: record.createdAt, host: identity.host, process: identity.process)
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                submit(UsageWrite(.begin(request), writer: caller), on: work) { continuation.resume(with: $0) }
            }
        } catch {
            state.withLock { _ = $0.active.remove(record.id) }
            logger.error(
                "usage log unavailable: request refused", metadata: ["usage_id": "\(record.id)", "error": "\(CredentialRedaction.describe(error))"])
            // The store could not be opened: that 503 already says why.
            if let error = error as? APIError { throw error }
            throw StorageOutage(error) == .unreachable ? .databaseUnavailable : .usageLogUnavailable
        }
    }

    /// Queues the request's row for the next batch; a row that cannot be written is kept for later.
    func finish(_ record: UsageRecord, writer: Caller, on work: StoreWork) {
        submit(UsageWrite(.finish(record), writer: writer), on: work) { [self] result in
            switch result {
            case .success:
                state.withLock { _ = $0.active.remove(record.id) }
            case .failure(StoreError.duplicate):
                // Only a sweeper that took this request for dead writes its id: the row exists, once.
                state.withLock { _ = $0.active.remove(record.id) }
                logger.warning("usage row already recovered by a sweeper", metadata: ["usage_id": "\(record.id)"])
            case .failure(let error):
                keep(record, writer: writer, error: error)
            }
        }
    }

    private func submit(_ write: UsageWrite, on work: StoreWork, done: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        let queueFlush = batch.withLock { batch -> Bool in
            batch.writes.append((write, done))
            defer { batch.flushQueued = true }
            return !batch.flushQueued
        }
        if queueFlush { work.enqueue { [self] in flushBatch(on: work) } }
    }

    /// On the store's thread: the writes queued so far (up to `maxBatch`) in one transaction.
    private func flushBatch(on work: StoreWork) {
        let (taken, more) = batch.withLock { batch in
            let taken = Array(batch.writes.prefix(Self.maxBatch))
            batch.writes.removeFirst(taken.count)
            batch.flushQueued = !batch.writes.isEmpty
            return (taken, batch.flushQueued)
        }
        if more { work.enqueue { [self] in flushBatch(on: work) } }
        guard !taken.isEmpty else { return }
        do {
            let results = try work.store().writeUsage(Self.service, taken.map(\.write))
            for (entry, result) in zip(taken, results) { entry.done(result) }
        } catch {
            for entry in taken { entry.done(.failure(error)) }
            return
        }
        if pendingCount > 0 { flushPending(store: work.store) }
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

    /// For a CGI process about to exit: rows still waiting get a few more attempts, about 1.5 s in all, and
    /// about 10 s while one of them is a request registered in flight (one that was served): given up, its row
    /// would be recovered by the next process as `process_died`, without the tokens and cost of an answer the
    /// client has. (A PostgreSQL restart outlasted the 1.5 s.) Refused requests were never registered, and
    /// are what an outage brings in numbers: their processes do not linger for them.
    func drainBeforeExit(store: () throws -> any Store) {
        var delay: useconds_t = 100_000
        var waited: useconds_t = 0
        while pendingCount > 0 {
            let registered = state.withLock { state in state.pending.contains { state.active.contains($0.record.id) } }
            guard waited < (registered ? 10_000_000 : 1_500_000) else { return }
            usleep(delay)
            waited += delay
            delay = min(delay * 2, 1_600_000)
            flushPending(store: store)
        }
    }
}
