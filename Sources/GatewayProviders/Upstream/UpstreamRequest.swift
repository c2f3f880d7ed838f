/// One HTTP request to a provider. Keys travel in headers only (never in the URL, which
/// ends up in logs), and `description` leaves headers out.
package struct UpstreamRequest: Sendable, CustomStringConvertible {
    package var method: String
    package var url: String
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]
    package var timeouts: UpstreamTimeouts

    package init(
        method: String = "POST", url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        timeouts: UpstreamTimeouts = UpstreamTimeouts()
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
    }

    package var description: String { "\(method) \(url)" }
}

/// How long an upstream may take: to connect, to send its response head, and between two reads.
package struct UpstreamTimeouts: Sendable, Equatable {
    package var connectMilliseconds: Int
    package var firstByteMilliseconds: Int
    package var idleMilliseconds: Int

    package init(connectMilliseconds: Int = 10_000, firstByteMilliseconds: Int = 120_000, idleMilliseconds: Int = 120_000) {
        self.connectMilliseconds = connectMilliseconds
        self.firstByteMilliseconds = firstByteMilliseconds
        self.idleMilliseconds = idleMilliseconds
    }
}

/// What an upstream transfer delivers, in order: one head, then body pieces as they arrive.
package enum UpstreamEvent: Sendable, Equatable {
    case head(status: Int, headers: [String: String])
    case body([UInt8])
}

package enum UpstreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection (refused, unresolvable, TLS failure, connect timeout): nothing was sent.
    case connectFailed(String)
    /// Connected, but no response head within the first-byte timeout.
    case firstByteTimeout
    /// The response stalled longer than the idle timeout.
    case idleTimeout
    /// The transfer broke after it started.
    case transferFailed(String)

    package var description: String {
        switch self {
        case .connectFailed(let reason): "cannot connect: \(reason)"
        case .firstByteTimeout: "no response before the first-byte timeout"
        case .idleTimeout: "the response stalled past the idle timeout"
        case .transferFailed(let reason): "transfer failed: \(reason)"
        }
    }
}
