import FunctionRuntime
import GatewayProviders

/// The fields of a `providers` POST or PUT body, checked before anything is stored or sent upstream.
struct ProviderKeyFields {
    var provider: String?
    var apiKey: String?
    var settings: JSONValue?
    var priority: Int?
    var isActive: Bool?
    /// `"validate": false` stores a key without calling the provider.
    var validate: Bool

    /// The providers every catalogue starts with, for error messages.
    static var seededNames: String { WireFormats.seedCatalogue.map(\.name).joined(separator: ", ") }

    init(_ body: [UInt8]) throws {
        guard case .object(let json)? = try? JSONValue.parse(body) else {
            throw APIError.badRequest("The request body must be a JSON object.", code: "invalid_json")
        }
        if let value = json["provider"], !value.isNull {
            guard let name = value.stringValue, !name.isEmpty else {
                throw APIError.badRequest("'provider' must be a provider name (\(Self.seededNames)).", param: "provider")
            }
            provider = try InputLimits.checked(name, param: "provider", limit: InputLimits.providerBytes)
        }
        if let value = json["api_key"], !value.isNull {
            guard let key = value.stringValue?.trimmingCharacters(in: " "), !key.isEmpty, key.utf8.count <= 1024 else {
                throw APIError.badRequest("'api_key' must be a non-empty string of at most 1024 bytes.", param: "api_key")
            }
            apiKey = key
        }
        if let value = json["settings"], !value.isNull {
            guard value.objectValue != nil else { throw APIError.badRequest("'settings' must be an object.", param: "settings") }
            if let unit = value["price_unit"], Price.Unit(rawValue: unit.stringValue ?? "") == nil {
                throw APIError.badRequest("'settings.price_unit' must be per_token, per_1k or per_1m.", param: "settings.price_unit")
            }
            settings = value
        }
        if let value = json["priority"], !value.isNull {
            guard let number = value.intValue, (-1_000_000...1_000_000).contains(number) else {
                throw APIError.badRequest("'priority' must be an integer.", param: "priority")
            }
            priority = number
        }
        if let value = json["is_active"], !value.isNull {
            guard let flag = value.boolValue else { throw APIError.badRequest("'is_active' must be true or false.", param: "is_active") }
            isActive = flag
        }
        validate = json["validate"]?.boolValue ?? true
    }
}
