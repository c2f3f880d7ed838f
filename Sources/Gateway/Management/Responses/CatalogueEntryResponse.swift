import FunctionRuntime
import GatewayProviders
import GatewayStore

/// A provider of the catalogue, as `GET /providers` lists it.
package struct CatalogueEntryResponse: JSONResponse {
    var id: String
    var name: String
    var displayName: String
    var providerType: String
    var apiStandard: String
    var baseURL: String
    @NullWhenAbsent var documentationURL: String?
    /// What the gateway does with this provider's wire format, with the catalogue's own `features` on top.
    var features: [String: JSONValue]
    var isActive: Bool

    enum CodingKeys: String, CodingKey {
        case id, name, features
        case displayName = "display_name"
        case providerType = "provider_type"
        case apiStandard = "api_standard"
        case baseURL = "base_url"
        case documentationURL = "documentation_url"
        case isActive = "is_active"
    }

    package init(_ provider: CatalogueProvider) {
        id = provider.id
        name = provider.name
        displayName = provider.displayName
        providerType = provider.kind.rawValue
        apiStandard = provider.apiStandard.rawValue
        baseURL = provider.baseURL
        documentationURL = provider.documentationURL
        var features: [String: JSONValue] = ["chat": true, "streaming": true, "tools": true, "vision": true, "model_sync": true]
        for feature in WireFormats.format(provider.apiStandard)?.features ?? [] { features[feature] = true }
        if provider.kind == .aggregator { features["many_model_vendors"] = true }
        // A service-role edit can add or switch off one.
        for (name, value) in provider.features.objectValue ?? [:] { features[name] = value }
        self.features = features
        isActive = provider.isActive
    }
}
