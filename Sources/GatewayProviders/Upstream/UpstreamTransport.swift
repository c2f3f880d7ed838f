/// What the gateway needs from upstream HTTP: one request in, its head and body pieces out as
/// they arrive. `UpstreamClient` (libcurl) is the one the functions use; unit tests script their
/// own to drive the fallback loop without sockets.
package protocol UpstreamTransport: Sendable {
    /// The answer to `request`: a `.head`, then `.body` pieces. Throws `UpstreamError` for transport
    /// failures. Ending the iteration early abandons the transfer.
    func stream(_ request: UpstreamRequest) -> AsyncThrowingStream<UpstreamEvent, any Error>
}
