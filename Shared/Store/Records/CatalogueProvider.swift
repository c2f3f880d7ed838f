/// A provider the gateway can route to (`api_providers`). Readable by every caller;
/// only the service role writes it, because `baseURL` decides where stored keys are sent.
public struct CatalogueProvider: Sendable, Equatable {
    public enum Kind: String, Sendable { case aggregator, direct }
    public enum APIStandard: String, Sendable { case openai, anthropic, gemini }

    public var id: String
    public var name: String
    public var displayName: String
    public var kind: Kind
    public var apiStandard: APIStandard
    public var baseURL: String
    public var features: JSONValue
    public var settings: JSONValue
    public var documentationURL: String?
    public var isActive: Bool

    public init(
        id: String, name: String, displayName: String, kind: Kind, apiStandard: APIStandard, baseURL: String,
        features: JSONValue = [:], settings: JSONValue = [:], documentationURL: String? = nil, isActive: Bool = true
    ) {
        self.id = id
        self.name = name
        self.displayName = displayName
        self.kind = kind
        self.apiStandard = apiStandard
        self.baseURL = baseURL
        self.features = features
        self.settings = settings
        self.documentationURL = documentationURL
        self.isActive = isActive
    }
}
