import GatewayStore
import Testing

/// Whose fault an error was, as the metrics' `error_type` label says it.
@Suite struct UsageFaultTests {
    @Test(arguments: [
        ("invalid_json", "caller_invalid_json"), ("missing_token", "caller_missing_token"),
        ("invalid_provider_key", "caller_invalid_provider_key"), ("budget_exceeded", "policy_budget_exceeded"),
        ("token_limit_exceeded", "policy_token_limit_exceeded"), ("upstream_timeout", "provider_upstream_timeout"),
        ("database_unavailable", "gateway_database_unavailable"), ("usage_log_unavailable", "gateway_usage_log_unavailable"),
    ])
    func aKnownCodeIsLabelledWithItsFault(_ code: String, _ label: String) {
        #expect(UsageFault.errorType(status: .error, code: code, providerTried: false) == label)
    }

    @Test func aRateLimitIsThePolicysWhenNoProviderWasAskedAndTheProvidersWhenOneWas() {
        #expect(UsageFault.errorType(status: .error, code: "rate_limited", providerTried: false) == "policy_rate_limited")
        #expect(UsageFault.errorType(status: .error, code: "rate_limited", providerTried: true) == "provider_rate_limited")
    }

    @Test func anUnknownCodeTakesTheFaultItsStatusSaysAndNeverItsOwnText() {
        #expect(UsageFault.errorType(status: .upstreamAborted, code: "whatever an upstream sent", providerTried: true) == "provider_other")
        #expect(UsageFault.errorType(status: .clientAborted, code: nil, providerTried: true) == "caller_other")
        #expect(UsageFault.errorType(status: .error, code: "http_404", providerTried: false) == "caller_other")
        #expect(UsageFault.errorType(status: .error, code: "http_500", providerTried: false) == "gateway_other")
    }

    @Test func aSuccessHasNoErrorType() {
        #expect(UsageFault.errorType(status: .success, code: nil, providerTried: true) == "")
    }

    @Test func noCodeBelongsToTwoFaults() {
        let lists = [UsageFault.callerCodes, UsageFault.policyCodes, UsageFault.providerCodes, UsageFault.gatewayCodes]
        #expect(lists.map(\.count).reduce(0, +) == UsageFault.known.count)
    }
}
