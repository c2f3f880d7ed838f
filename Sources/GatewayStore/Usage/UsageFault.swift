/// Whose fault a failed request was, for the metrics' `error_type` label (`caller_invalid_json`,
/// `policy_budget_exceeded`, `provider_upstream_timeout`, `gateway_database_unavailable`):
/// - caller: the request, the token, or the caller's own provider key or account was wrong;
/// - policy: the caller's own budgets and limits refused it (the gateway's 429s);
/// - provider: an upstream failed, timed out, was unreachable or cut a stream;
/// - gateway: the gateway itself (its store, its configuration, a bug).
package enum UsageFault: String, Sendable, CaseIterable {
    case caller, policy, provider, gateway

    /// The label of `record`: '' for a success; `<fault>_<code>` for a code the gateway knows, so the
    /// label's values are a bounded set whatever an upstream sends; `<fault>_other` for any other code.
    package static func errorType(_ record: UsageRecord) -> String {
        errorType(status: record.status, code: record.errorCode, providerTried: !record.providersTried.isEmpty)
    }

    package static func errorType(status: UsageRecord.Status, code: String?, providerTried: Bool) -> String {
        guard status != .success else { return "" }
        let code = code ?? ""
        if code == "rate_limited" { return providerTried ? "provider_rate_limited" : "policy_rate_limited" }
        if let fault = known[code] { return "\(fault.rawValue)_\(code)" }
        switch status {
        case .clientAborted: return "caller_other"
        case .upstreamAborted: return "provider_other"
        default: return code.hasPrefix("http_4") ? "caller_other" : "gateway_other"
        }
    }

    /// Every code the gateway records, by fault. `rate_limited` is either: the gateway's own limit when no
    /// provider was tried, the provider's 429 when one was.
    package static let known: [String: UsageFault] = {
        var faults: [String: UsageFault] = [:]
        for code in callerCodes { faults[code] = .caller }
        for code in policyCodes { faults[code] = .policy }
        for code in providerCodes { faults[code] = .provider }
        for code in gatewayCodes { faults[code] = .gateway }
        return faults
    }()

    package static let callerCodes = [
        "invalid_request", "invalid_json", "invalid_token", "missing_token", "forbidden", "not_found", "route_not_found",
        "method_not_allowed", "invalid_path", "invalid_date", "invalid_range", "invalid_budget", "invalid_content_length",
        "incomplete_body", "unreadable_body", "request_too_large", "request_headers_too_large", "cors_origin_not_allowed",
        "stored_responses_unsupported", "model_not_found", "provider_not_found", "unknown_provider", "request_not_found",
        "budget_not_found", "alias_not_found", "duplicate_provider", "duplicate_model", "duplicate_key", "conflict",
        "provider_immutable", "model_immutable", "synced_model", "client_disconnected",
        // The provider refused the caller's own key or account.
        "invalid_provider_key", "insufficient_quota", "provider_forbidden",
        // An error's type where it had no code.
        "invalid_request_error", "authentication_error", "permission_error", "not_found_error",
    ]
    package static let policyCodes = ["budget_exceeded", "token_limit_exceeded"]
    package static let providerCodes = [
        "upstream_error", "upstream_timeout", "upstream_unreachable", "upstream_unavailable", "upstream_overloaded",
        "upstream_not_found", "upstream_bad_request", "upstream_request_too_large", "upstream_stream_cut", "bad_upstream",
        "bad_upstream_response", "malformed_response", "provider_unreachable", "sync_failed",
    ]
    package static let gatewayCodes = [
        "internal_error", "database_unavailable", "database_busy", "usage_log_unavailable", "usage_write_failed",
        "process_died", "store_error", "server_misconfigured", "key_unreadable", "provider_key_unreadable",
        "unsupported_api_standard", "not_implemented", "api_error",
    ]
}
