import GatewayProviders
import Synchronization

/// Answers each upstream request from a script, and remembers what was asked, in order.
package final class ScriptedUpstream: UpstreamTransport {
    package enum Reply: Sendable {
        case answer(Int, String)
        case fail(UpstreamError)
    }

    private let script: @Sendable (UpstreamRequest) -> Reply
    private let asked = Mutex<[String]>([])

    package init(_ script: @escaping @Sendable (UpstreamRequest) -> Reply) { self.script = script }

    /// Every URL asked for, in order.
    package var requestedURLs: [String] { asked.withLock { $0 } }

    /// The host of each request, in order.
    package var hosts: [String] { requestedURLs.map { $0.split(separator: "/").dropFirst().first.map(String.init) ?? $0 } }

    package func stream(_ request: UpstreamRequest) -> AsyncThrowingStream<UpstreamEvent, any Error> {
        asked.withLock { $0.append(request.url) }
        let reply = script(request)
        return AsyncThrowingStream { continuation in
            switch reply {
            case .answer(let status, let body):
                continuation.yield(.head(status: status, headers: ["content-type": "application/json"]))
                continuation.yield(.body(Array(body.utf8)))
                continuation.finish()
            case .fail(let error):
                continuation.finish(throwing: error)
            }
        }
    }
}
