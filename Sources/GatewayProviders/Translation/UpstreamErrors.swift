import FunctionRuntime

/// An upstream's error response -> the gateway's OpenAI-style error. The provider's own code and
/// message are kept in the message (they help the caller), the key is redacted out of them.
package enum UpstreamErrors {
    package static func map(status: Int, body: [UInt8], headers: [String: String], provider: String, apiKey: String) -> APIError {
        let json = try? JSONValue.parse(body)
        // OpenAI {"error":{"message","code"}}, Anthropic {"error":{"type","message"}}, Gemini {"error":{"message","status"}}.
        let error = json?["error"]
        let upstreamMessage =
            error?["message"]?.stringValue ?? error?.stringValue
            ?? String(decoding: body.prefix(300), as: UTF8.self)
        let upstreamCode =
            error?["code"]?.stringValue ?? error?["type"]?.stringValue ?? error?["status"]?.stringValue
            ?? error?["code"]?.intValue.map(String.init)
        var message = "\(provider) answered \(status)"
        if let upstreamCode { message += " (\(upstreamCode.prefix(100)))" }
        message += ": " + upstreamMessage.prefix(1000)
        // The code is the upstream's text as much as the message is: both are redacted, as one string.
        message = redact(message, apiKey: apiKey)

        switch status {
        case 400, 422: return APIError(status: 400, message: message, code: "upstream_bad_request")
        case 401: return APIError(status: 401, message: message, type: "authentication_error", code: "invalid_provider_key")
        case 402: return APIError(status: 402, message: message, type: "insufficient_quota", code: "insufficient_quota")
        case 403: return APIError(status: 403, message: message, code: "provider_forbidden")
        case 404: return APIError(status: 404, message: message, code: "upstream_not_found")
        case 408, 504: return APIError(status: 504, message: message, code: "upstream_timeout")
        case 413: return APIError(status: 413, message: message, code: "upstream_request_too_large")
        case 429:
            let retry: HTTPHeaders = headers["retry-after"].map { ["Retry-After": $0] } ?? [:]
            return APIError(status: 429, message: message, code: "rate_limited", headers: retry)
        case 503: return APIError(status: 503, message: message, code: "upstream_unavailable")
        // Anthropic's "overloaded": a client of the Messages API gets it back as 529 `overloaded_error`.
        case 529: return APIError(status: 503, message: message, code: "upstream_overloaded")
        default: return APIError(status: 502, message: message, code: "bad_upstream")
        }
    }

    /// The one redaction every upstream-derived string goes through before it can reach a response:
    /// every piece of the key of 8 or more characters is masked (see `SecretRedactor`).
    package static func redact(_ text: String, apiKey: String) -> String {
        SecretRedactor.redact(text, secret: apiKey)
    }
}
