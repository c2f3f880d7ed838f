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
        let body = try CatalogueEntryBody.decode(request.body)
        let store = try context.store()
        let existing = try id.flatMap { try store.catalogueProvider(context.caller, id: $0) }
        if id != nil && existing == nil {
            throw APIError.notFound("No provider '\(id?.prefix(60) ?? "")' in the catalogue.", code: "provider_not_found")
        }
        func text(_ value: String?, _ key: String) throws -> String? {
            guard let value else { return nil }
            guard !value.isEmpty, value.utf8.count <= 2048 else { throw APIError.badRequest(CatalogueEntryBody.requirement(of: key), param: key) }
            return value
        }
        var entry: CatalogueProvider
        if let existing {
            entry = existing
        } else {
            guard let name = try text(body.name, "name"), name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw APIError.badRequest("'name' is required: letters, digits, '-' and '_'.", param: "name")
            }
            guard try store.catalogueProviders(context.caller).allSatisfy({ $0.name != name && $0.id != name }) else {
                throw APIError(
                    status: 409, message: "A provider named '\(name)' exists; PUT /catalogue/\(name) changes it.", code: "duplicate_provider")
            }
            entry = CatalogueProvider(id: name, name: name, displayName: name, kind: .aggregator, apiStandard: .openai, baseURL: "")
        }
        if let value = try text(body.displayName, "display_name") { entry.displayName = value }
        if let value = try text(body.providerType, "provider_type") {
            guard let kind = CatalogueProvider.Kind(rawValue: value) else {
                throw APIError.badRequest("'provider_type' must be aggregator or direct.", param: "provider_type")
            }
            entry.kind = kind
        }
        if let value = try text(body.apiStandard, "api_standard") {
            guard WireFormats.format(APIStandard(rawValue: value)) != nil else {
                let known = WireFormats.standards.map(\.rawValue).joined(separator: ", ")
                throw APIError.badRequest("'api_standard' must be one this gateway speaks: \(known).", param: "api_standard")
            }
            entry.apiStandard = APIStandard(rawValue: value)
        }
        if let value = try text(body.baseURL, "base_url") {
            guard value.hasPrefix("https://") || value.hasPrefix("http://"), !value.contains(" ") else {
                throw APIError.badRequest("'base_url' must be an http(s) URL.", param: "base_url")
            }
            entry.baseURL = value
        }
        if let value = try text(body.documentationURL, "documentation_url") { entry.documentationURL = value }
        if let settings = body.settings { entry.settings = .object(settings) }
        if let features = body.features { entry.features = .object(features) }
        if let flag = body.isActive { entry.isActive = flag }
        guard !entry.baseURL.isEmpty else { throw APIError.badRequest("'base_url' is required.", param: "base_url") }
        try store.saveCatalogueProvider(context.caller, entry)
        try AuditTrail.record(
            context, action: existing == nil ? "create" : "update", entity: "api_providers", entityID: entry.id,
            subjectUserID: nil, before: existing.map { CatalogueEntryResponse($0).json }, after: CatalogueEntryResponse(entry).json)
        try writer.respond(status: existing == nil ? 201 : 200, json: CatalogueEntryResponse(entry).json)
    }
}
