import GatewayStore
import Synchronization

/// A worker's routing plans, per caller and model name, kept while the store's routing change counter
/// (`Store.routingVersion`) stays where it was when they were made. Each request reads the counter, so a
/// change made by any process is seen by the next request after it commits. Routing otherwise reads the
/// alias, the keys, the catalogue and the model rows: four queries, an eighth of a worker's CPU.
/// Only plans are kept (never a refusal), and at most `capacity` of them: past it the cache starts over.
package final class RoutingCache: Sendable {
    package static let capacity = 4_096

    private struct Key: Hashable {
        var userID: String
        var role: CallerRole
        var model: String
    }

    private struct State {
        var version: Int64?
        var plans: [Key: RoutePlan] = [:]
    }

    private let state = Mutex(State())

    package init() {}

    /// The plan for `model`: the kept one while the counter has not moved, else `make`'s, kept.
    package func plan(
        _ model: String, caller: Caller, store: any Store, make: () throws -> RoutePlan
    ) throws -> RoutePlan {
        // The counter first: a change that commits while `make` reads is then caught by the next request.
        let version = try store.routingVersion(caller)
        let key = Key(userID: caller.userID, role: caller.role, model: model)
        let kept = state.withLock { state -> RoutePlan? in
            if state.version != version {
                state.version = version
                state.plans.removeAll()
            }
            return state.plans[key]
        }
        if let kept { return kept }
        let plan = try make()
        state.withLock { state in
            guard state.version == version else { return }
            if state.plans.count >= Self.capacity { state.plans.removeAll() }
            state.plans[key] = plan
        }
        return plan
    }
}
