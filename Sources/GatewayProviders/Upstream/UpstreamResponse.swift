/// A whole (small) upstream answer: model lists, key checks.
package struct UpstreamResponse: Sendable {
    package var status: Int
    package var headers: [String: String]
    package var body: [UInt8]
    /// True when the body was longer than the limit and cut.
    package var truncated: Bool
}

extension UpstreamTransport {
    /// Sends `request` and collects the answer, keeping at most `limit` bytes of body.
    package func fetch(_ request: UpstreamRequest, limit: Int) async throws -> UpstreamResponse {
        var response = UpstreamResponse(status: 0, headers: [:], body: [], truncated: false)
        for try await event in stream(request) {
            switch event {
            case .head(let code, let fields):
                response.status = code
                response.headers = fields
            case .body(let bytes):
                if response.body.count + bytes.count <= limit { response.body += bytes } else { response.truncated = true }
            }
        }
        return response
    }
}
