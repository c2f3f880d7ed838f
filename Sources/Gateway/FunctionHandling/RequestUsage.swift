import GatewayStore
import Synchronization

/// What a request used, filled in by the route as it learns it (provider, model, tokens, cost)
/// and written as the request's one usage row by `FunctionHandler` when the request ends.
package final class RequestUsage: Sendable {
    private let state: Mutex<UsageRecord>

    package init(_ record: UsageRecord) {
        state = Mutex(record)
    }

    package func update(_ change: (inout UsageRecord) -> Void) {
        state.withLock { change(&$0) }
    }

    package var record: UsageRecord { state.withLock { $0 } }
}
