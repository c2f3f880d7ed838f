import GatewayStore

/// The CSV of `GET /usage-stats/export`: one line per usage row, RFC 4180 quoting. A text field that
/// starts with `=`, `+`, `-` or `@` gets a leading `'`, so a spreadsheet never runs it as a formula.
enum UsageCSV {
    static let header =
        "id,created_at,function,provider_id,model_requested,model_served,status,error_code,finish_reason,"
        + "prompt_tokens,completion_tokens,cached_tokens,reasoning_tokens,cost_usd,cost_source,latency_ms,ttft_ms,attempts,api\r\n"

    static func line(_ row: UsageRecord) -> String {
        let fields: [String] = [
            text(row.id), ISO8601Milliseconds.format(row.createdAt, offsetSeconds: 0, milliseconds: true), text(row.function), text(row.providerID),
            text(row.modelRequested), text(row.modelServed), row.status.rawValue, text(row.errorCode), text(row.finishReason),
            "\(row.promptTokens)", "\(row.completionTokens)", "\(row.cachedTokens)", "\(row.reasoningTokens)",
            row.costUSD.map { "\($0)" } ?? "", text(row.costSource?.rawValue), row.latencyMs.map(String.init) ?? "",
            row.ttftMs.map(String.init) ?? "", "\(row.attempts)", row.api.rawValue,
        ]
        return fields.joined(separator: ",") + "\r\n"
    }

    static func text(_ value: String?) -> String {
        guard var value, !value.isEmpty else { return "" }
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacing("\"", with: "\"\"") + "\""
    }
}
