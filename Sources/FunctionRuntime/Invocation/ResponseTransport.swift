/// Where a response's bytes go: stdout under CGI, STDOUT records under FastCGI.
/// Each `send` reaches the peer before it returns: no buffering, so SSE events flow as written.
public protocol ResponseTransport: Sendable {
    /// Throws `IOError.peerClosed` when the client is gone.
    func send(_ bytes: [UInt8]) throws
    /// The response is complete; called exactly once.
    func finish() throws
}

/// Thrown by `ResponseWriter` once the client has gone away; handlers stop work on it.
public struct ClientDisconnected: Error, Sendable {
    public init() {}
}
