import FunctionRuntime

/// `POST /providers/catalogue` and `PUT /providers/catalogue/{id}` (service role): a catalogue
/// entry's fields. A `null` field is the same as a missing one.
package struct CatalogueEntryBody: JSONBody {
    package var name: String?
    package var displayName: String?
    package var providerType: String?
    package var apiStandard: String?
    package var baseURL: String?
    package var documentationURL: String?
    package var settings: [String: JSONValue]?
    package var features: [String: JSONValue]?
    package var isActive: Bool?

    package enum CodingKeys: String, CodingKey {
        case name, settings, features
        case displayName = "display_name"
        case providerType = "provider_type"
        case apiStandard = "api_standard"
        case baseURL = "base_url"
        case documentationURL = "documentation_url"
        case isActive = "is_active"
    }

    package static func requirement(of key: String) -> String {
        switch key {
        case "settings", "features": "'\(key)' must be an object."
        case "is_active": "'is_active' must be true or false."
        default: "'\(key)' must be a non-empty string."
        }
    }
}
