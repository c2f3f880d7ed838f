import FunctionRuntime
import GatewayProviders

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What every endpoint that goes upstream shares: the caller's budgets and limits checked (a place
/// reserved) before anything is sent, then the candidates tried in order, each with its key opened,
/// backing off between attempts within the retry budget, the usage row following the attempts.
struct FallbackLoop {
    var retry: RetryPolicy

    enum Outcome {
        case answered
        /// Try the next candidate (nothing was sent to the client).
        case retryable(APIError, retryAfterSeconds: Double?)
    }

    /// The candidates routing finds for `model` that the caller's budgets and limits allow (the first
    /// refusal when they allow none): in one trip to the store's thread. `select` picks the candidates to admit.
    static func admittedCandidates(
        _ model: String, router: ModelRouter, context: FunctionContext, writer: ResponseWriter,
        select: @escaping @Sendable ([RouteCandidate]) throws -> [RouteCandidate] = { $0 }
    ) async throws -> [RouteCandidate] {
        let caller = context.caller
        let reservationID = context.usage.record.id
        let cache = context.services.routingCache
        let (candidates, gate) = try await context.withStore { store in
            let candidates = try select(try router.plan(model, caller: caller, store: store, cache: cache).candidates)
            let gate = try BudgetGate.check(
                store: store, caller: caller, reservationID: reservationID, model: model,
                now: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
            return (candidates, gate)
        }
        if let alert = gate.alert { writer.addHeaderToResponse(BudgetGate.alertHeader, alert) }
        let admitted = candidates.filter { gate.blockedProviders[$0.provider.id] == nil }
        if admitted.isEmpty, let blocked = candidates.first.flatMap({ gate.blockedProviders[$0.provider.id] }) { throw blocked }
        return admitted
    }

    /// Runs `attempt` for each candidate (with its opened key) until one answers; throws the last error when none does.
    func run(
        _ candidates: [RouteCandidate], started: UInt64, context: FunctionContext,
        attempt: (RouteCandidate, _ apiKey: String) async throws -> Outcome
    ) async throws {
        let sealer = try context.sealer()
        var lastError: APIError?
        var retryAfter: Double?
        var tried: [String] = []
        for (index, candidate) in candidates.enumerated() {
            if index > 0 {
                let elapsed = Int((MonotonicClock.nanoseconds() - started) / 1_000_000)
                let delay = retry.delayMilliseconds(beforeAttempt: index, retryAfterSeconds: retryAfter)
                guard elapsed + delay < retry.budgetMilliseconds else { break }
                try await Task.sleep(for: .milliseconds(delay))
            }
            tried.append(candidate.provider.name)
            context.usage.update {
                $0.providerID = candidate.provider.id
                $0.userProviderID = candidate.userProvider.id
                $0.attempts = tried.count
                $0.providersTried = tried
            }
            let apiKey: String
            do {
                apiKey = try sealer.open(candidate.userProvider)
            } catch {
                context.services.logger.error(
                    "stored key cannot be opened", metadata: ["user_provider_id": "\(candidate.userProvider.id)", "error": "\(error)"])
                lastError = APIError(
                    status: 500, message: "Your \(candidate.provider.name) key could not be read; add it again.", code: "provider_key_unreadable")
                continue
            }
            switch try await attempt(candidate, apiKey) {
            case .answered:
                log(tried, context: context, outcome: "answered")
                return
            case .retryable(let error, let after):
                lastError = error
                retryAfter = after
            }
        }
        log(tried, context: context, outcome: "failed")
        throw lastError ?? APIError(status: 502, message: "No provider could be reached.", code: "upstream_unreachable")
    }

    private func log(_ tried: [String], context: FunctionContext, outcome: String) {
        guard tried.count > 1 || outcome == "failed" else { return }
        context.services.logger.notice("providers tried", metadata: ["providers": "\(tried.joined(separator: ","))", "outcome": "\(outcome)"])
    }
}
