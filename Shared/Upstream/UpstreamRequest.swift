/// One HTTP request to a provider. Keys travel in headers only (never in the URL, which
/// ends up in logs), and `description` leaves headers out.
public struct UpstreamRequest: Sendable, CustomStringConvertible {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var timeouts: UpstreamTimeouts

    public init(
        method: String = "POST", url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        timeouts: UpstreamTimeouts = UpstreamTimeouts()
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
    }

    public var description: String { "\(method) \(url)" }
}

/// How long an upstream may take: to connect, to send its response head, and between two reads.
public struct UpstreamTimeouts: Sendable, Equatable {
    public var connectMilliseconds: Int
    public var firstByteMilliseconds: Int
    public var idleMilliseconds: Int

    public init(connectMilliseconds: Int = 10_000, firstByteMilliseconds: Int = 120_000, idleMilliseconds: Int = 120_000) {
        self.connectMilliseconds = connectMilliseconds
        self.firstByteMilliseconds = firstByteMilliseconds
        self.idleMilliseconds = idleMilliseconds
    }
}

/// What an upstream transfer delivers, in order: one head, then body pieces as they arrive.
public enum UpstreamEvent: Sendable, Equatable {
    case head(status: Int, headers: [String: String])
    case body([UInt8])
}

public enum UpstreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection (refused, unresolvable, TLS failure, connect timeout): nothing was sent.
    case connectFailed(String)
    /// Connected, but no response head within the first-byte timeout.
    case firstByteTimeout
    /// The response stalled longer than the idle timeout.
    case idleTimeout
    /// The transfer broke after it started.
    case transferFailed(String)

    public var description: String {
        switch self {
        case .connectFailed(let reason): "cannot connect: \(reason)"
        case .firstByteTimeout: "no response before the first-byte timeout"
        case .idleTimeout: "the response stalled past the idle timeout"
        case .transferFailed(let reason): "transfer failed: \(reason)"
        }
    }
}
