import FunctionRuntime

/// `POST /providers` and `PUT /providers/{id}`: a key, its settings, priority and state. A `null`
/// field is the same as a missing one (nothing to change).
package struct ProviderKeyBody: JSONBody {
    package var provider: String?
    package var apiKey: String?
    package var settings: [String: JSONValue]?
    package var priority: Int?
    package var isActive: Bool?
    /// `false` stores a key without calling the provider.
    package var validate: Bool?

    package enum CodingKeys: String, CodingKey {
        case provider, settings, priority, validate
        case apiKey = "api_key"
        case isActive = "is_active"
    }

    package static func requirement(of key: String) -> String {
        switch key {
        case "provider": "'provider' must be a provider name (\(ProviderKeyFields.seededNames))."
        case "api_key": "'api_key' must be a non-empty string of at most 1024 bytes."
        case "settings": "'settings' must be an object."
        case "priority": "'priority' must be an integer."
        case "is_active": "'is_active' must be true or false."
        case "validate": "'validate' must be true or false."
        default: "'\(key)' has the wrong type."
        }
    }
}
