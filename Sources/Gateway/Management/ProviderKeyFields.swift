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
        let body = try ProviderKeyBody.decode(body)
        if let name = body.provider {
            guard !name.isEmpty else { throw APIError.badRequest(ProviderKeyBody.requirement(of: "provider"), param: "provider") }
            provider = try InputLimits.checked(name, param: "provider", limit: InputLimits.providerBytes)
        }
        if let given = body.apiKey {
            let key = given.trimmingCharacters(in: " ")
            guard !key.isEmpty, key.utf8.count <= 1024 else {
                throw APIError.badRequest(ProviderKeyBody.requirement(of: "api_key"), param: "api_key")
            }
            apiKey = key
        }
        if let fields = body.settings {
            let value = JSONValue.object(fields)
            if let unit = value["price_unit"], Price.Unit(rawValue: unit.stringValue ?? "") == nil {
                throw APIError.badRequest("'settings.price_unit' must be per_token, per_1k or per_1m.", param: "settings.price_unit")
            }
            settings = value
        }
        if let number = body.priority {
            guard (-1_000_000...1_000_000).contains(number) else {
                throw APIError.badRequest(ProviderKeyBody.requirement(of: "priority"), param: "priority")
            }
            priority = number
        }
        isActive = body.isActive
        validate = body.validate ?? true
    }
}
