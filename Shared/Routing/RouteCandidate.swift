/// One provider that may serve a request: the catalogue entry, the caller's key for it,
/// the model name to send upstream and, when the catalogue lists it, its prices.
public struct RouteCandidate: Sendable {
    public var provider: CatalogueProvider
    public var userProvider: UserProvider
    public var upstreamModel: String
    public var model: CatalogueModel?
}

/// The outcome of routing: what the name resolved to and who will be tried, in order.
public struct RoutePlan: Sendable {
    public var requestedModel: String
    public var resolvedModel: String
    public var candidates: [RouteCandidate]
}
