import FunctionRuntime
import GatewayStore

/// `POST /models` (a custom model) and `PUT /models/{id}` (a change to one, or the caller's
/// override of a catalogue row). In a PUT, `null` clears a field: `"display_name": null`,
/// `"pricing": {"input": null}`.
package struct ModelBody: JSONBody {
    package var provider: Patch<String> = .absent
    package var providerID: Patch<String> = .absent
    package var modelID: Patch<String> = .absent
    package var displayName: Patch<String> = .absent
    package var modelType: Patch<String> = .absent
    package var capabilities: [String]?
    package var contextWindow: Int?
    package var maxOutputTokens: Int?
    package var pricing: Pricing?
    package var enabled: Bool?

    package enum CodingKeys: String, CodingKey {
        case provider, capabilities, pricing, enabled
        case providerID = "provider_id"
        case modelID = "model_id"
        case displayName = "display_name"
        case modelType = "model_type"
        case contextWindow = "context_window"
        case maxOutputTokens = "max_output_tokens"
    }

    /// USD per 1M tokens (`per_request`: per request). Keys other than these are refused.
    package struct Pricing: Decodable {
        package var input: Patch<Double> = .absent
        package var output: Patch<Double> = .absent
        package var cacheRead: Patch<Double> = .absent
        package var cacheWrite: Patch<Double> = .absent
        package var perRequest: Patch<Double> = .absent

        package enum CodingKeys: String, CodingKey, CaseIterable {
            case input, output
            case cacheRead = "cache_read"
            case cacheWrite = "cache_write"
            case perRequest = "per_request"
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            if let unknown = container.allKeys.first(where: { CodingKeys(rawValue: $0.stringValue) == nil }) {
                let keys = CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")
                throw FieldRefused(param: "pricing.\(unknown.stringValue)", message: "'pricing' takes \(keys) in USD per 1M tokens.")
            }
            let known = try decoder.container(keyedBy: CodingKeys.self)
            input = try known.decode(Patch<Double>.self, forKey: .input)
            output = try known.decode(Patch<Double>.self, forKey: .output)
            cacheRead = try known.decode(Patch<Double>.self, forKey: .cacheRead)
            cacheWrite = try known.decode(Patch<Double>.self, forKey: .cacheWrite)
            perRequest = try known.decode(Patch<Double>.self, forKey: .perRequest)
        }

        package subscript(key: CodingKeys) -> Patch<Double> {
            switch key {
            case .input: input
            case .output: output
            case .cacheRead: cacheRead
            case .cacheWrite: cacheWrite
            case .perRequest: perRequest
            }
        }
    }

    package static func requirement(of key: String) -> String {
        switch key {
        case "provider", "provider_id", "model_id", "display_name", "model_type": "'\(key)' must be a non-empty string of at most 200 bytes."
        case "capabilities": "'capabilities' must be an array of strings."
        case "context_window", "max_output_tokens": "'\(key)' must be an integer from 1 to 1000000000."
        case "pricing": "'pricing' must be an object."
        case "enabled": "'enabled' must be true or false."
        default:
            key.hasPrefix("pricing.")
                ? "'\(key)' must be a non-negative number (USD per 1M tokens)."
                : key.hasPrefix("capabilities") ? "'capabilities' must be an array of strings." : "'\(key)' has the wrong type."
        }
    }
}

/// Any key, to list what an object holds.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
