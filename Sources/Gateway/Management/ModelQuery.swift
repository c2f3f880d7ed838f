import FunctionRuntime
import GatewayProviders
import GatewayStore

/// `GET /models` filters, sort and pagination, parsed from the query string.
struct ModelQuery {
    enum Sort: String { case name, price, context, created }

    var provider: String?
    var type: ModelType?
    var capability: Capability?
    var search: String?
    var sort = Sort.name
    var descending = false
    var page = 1
    var perPage = 50
    var grouped = false
    var includeDisabled = false

    static let maxPerPage = 500
    /// Far past any catalogue (500 x 1M rows), and small enough that page arithmetic cannot overflow.
    static let maxPage = 1_000_000

    init(_ parameters: [String: String]) throws {
        func value(_ name: String) -> String? { parameters[name].flatMap { $0.isEmpty ? nil : $0 } }
        provider = try InputLimits.identifier(value("provider") ?? value("provider_id"), param: "provider", limit: InputLimits.providerBytes)
        if let name = value("type") {
            guard let type = ModelType(rawValue: name) else {
                throw APIError.badRequest("'type' must be one of \(ModelType.allCases.map(\.rawValue).joined(separator: ", ")).", param: "type")
            }
            self.type = type
        }
        capability = try InputLimits.identifier(value("capability"), param: "capability", limit: InputLimits.filterBytes)
            .map(Capability.init(rawValue:))
        search = try InputLimits.identifier(value("q") ?? value("search"), param: "q", limit: InputLimits.filterBytes)
        if let sort = value("sort") {
            guard let parsed = Sort(rawValue: sort) else {
                throw APIError.badRequest("'sort' must be name, price, context or created.", param: "sort")
            }
            self.sort = parsed
        }
        if let order = value("order") {
            guard order == "asc" || order == "desc" else { throw APIError.badRequest("'order' must be asc or desc.", param: "order") }
            descending = order == "desc"
        }
        if let page = value("page") {
            guard let number = Int(page), (1...Self.maxPage).contains(number) else {
                throw APIError.badRequest("'page' must be an integer from 1 to \(Self.maxPage).", param: "page")
            }
            self.page = number
        }
        if let perPage = value("per_page") {
            guard let number = Int(perPage), (1...Self.maxPerPage).contains(number) else {
                throw APIError.badRequest("'per_page' must be an integer from 1 to \(Self.maxPerPage).", param: "per_page")
            }
            self.perPage = number
        }
        if let view = value("view") {
            guard view == "flat" || view == "grouped" else { throw APIError.badRequest("'view' must be flat or grouped.", param: "view") }
            grouped = view == "grouped"
        }
        includeDisabled = value("include_disabled") == "true"
    }

    func matches(_ model: CatalogueModel, providerName: String) -> Bool {
        if let provider, provider != providerName, provider != model.providerID { return false }
        if let type, model.modelType != type { return false }
        if let capability, !model.capabilities.contains(capability) { return false }
        if let search {
            let needle = search.lowercased()
            if !model.modelID.lowercased().contains(needle) && model.displayName?.lowercased().contains(needle) != true { return false }
        }
        return true
    }

    /// Sorted by the chosen key; ties (and missing values, always last) fall back to the model id.
    func sorted(_ models: [CatalogueModel]) -> [CatalogueModel] {
        func key(_ model: CatalogueModel) -> Double? {
            switch sort {
            case .name: nil
            case .price: model.inputPrice.map { $0 + (model.outputPrice ?? 0) }
            case .context: model.contextWindow.map(Double.init)
            case .created: model.releasedAt.map(Double.init)
            }
        }
        return models.sorted { a, b in
            if sort == .name {
                let (left, right) = ((a.displayName ?? a.modelID).lowercased(), (b.displayName ?? b.modelID).lowercased())
                if left != right { return descending ? left > right : left < right }
                return a.modelID < b.modelID
            }
            switch (key(a), key(b)) {
            case let (x?, y?) where x != y: return descending ? x > y : x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.modelID == b.modelID ? a.providerID < b.providerID : a.modelID < b.modelID
            }
        }
    }
}
