import FunctionRuntime
import GatewayProviders
import GatewayStore

/// The provider catalogue (`api_providers`), editable by the service role only: `base_url` decides
/// where every stored key for that provider is sent.
extension ProvidersFunction {
    static func saveCatalogueEntry(_ request: FunctionRequest, id: String?, context: FunctionContext, writer: ResponseWriter) throws {
        guard context.caller.isService else {
            throw APIError(status: 403, message: "Only the service role may change the provider catalogue.", code: "forbidden")
        }
        guard case .object(let body)? = try? JSONValue.parse(request.body) else {
            throw APIError.badRequest("The request body must be a JSON object.", code: "invalid_json")
        }
        let store = try context.store()
        let existing = try id.flatMap { try store.catalogueProvider(context.caller, id: $0) }
        if id != nil && existing == nil {
            throw APIError.notFound("No provider '\(id?.prefix(60) ?? "")' in the catalogue.", code: "provider_not_found")
        }
        func text(_ key: String) throws -> String? {
            guard let value = body[key], !value.isNull else { return nil }
            guard let string = value.stringValue, !string.isEmpty, string.utf8.count <= 2048 else {
                throw APIError.badRequest("'\(key)' must be a non-empty string.", param: key)
            }
            return string
        }
        var entry: CatalogueProvider
        if let existing {
            entry = existing
        } else {
            guard let name = try text("name"), name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw APIError.badRequest("'name' is required: letters, digits, '-' and '_'.", param: "name")
            }
            guard try store.catalogueProviders(context.caller).allSatisfy({ $0.name != name && $0.id != name }) else {
                throw APIError(
                    status: 409, message: "A provider named '\(name)' exists; PUT /catalogue/\(name) changes it.", code: "duplicate_provider")
            }
            entry = CatalogueProvider(id: name, name: name, displayName: name, kind: .aggregator, apiStandard: .openai, baseURL: "")
        }
        if let value = try text("display_name") { entry.displayName = value }
        if let value = try text("provider_type") {
            guard let kind = CatalogueProvider.Kind(rawValue: value) else {
                throw APIError.badRequest("'provider_type' must be aggregator or direct.", param: "provider_type")
            }
            entry.kind = kind
        }
        if let value = try text("api_standard") {
            guard WireFormats.format(APIStandard(rawValue: value)) != nil else {
                let known = WireFormats.standards.map(\.rawValue).joined(separator: ", ")
                throw APIError.badRequest("'api_standard' must be one this gateway speaks: \(known).", param: "api_standard")
            }
            entry.apiStandard = APIStandard(rawValue: value)
        }
        if let value = try text("base_url") {
            guard value.hasPrefix("https://") || value.hasPrefix("http://"), !value.contains(" ") else {
                throw APIError.badRequest("'base_url' must be an http(s) URL.", param: "base_url")
            }
            entry.baseURL = value
        }
        if let value = try text("documentation_url") { entry.documentationURL = value }
        for key in ["settings", "features"] {
            guard let value = body[key], !value.isNull else { continue }
            guard value.objectValue != nil else { throw APIError.badRequest("'\(key)' must be an object.", param: key) }
            if key == "settings" { entry.settings = value } else { entry.features = value }
        }
        if let value = body["is_active"], !value.isNull {
            guard let flag = value.boolValue else { throw APIError.badRequest("'is_active' must be true or false.", param: "is_active") }
            entry.isActive = flag
        }
        guard !entry.baseURL.isEmpty else { throw APIError.badRequest("'base_url' is required.", param: "base_url") }
        try store.saveCatalogueProvider(context.caller, entry)
        try AuditTrail.record(
            context, action: existing == nil ? "create" : "update", entity: "api_providers", entityID: entry.id,
            subjectUserID: nil, before: existing.map(ProviderJSON.catalogue), after: ProviderJSON.catalogue(entry))
        try writer.respond(status: existing == nil ? 201 : 200, json: ProviderJSON.catalogue(entry))
    }
}
