import GatewayStore

/// One provider that may serve a request: the catalogue entry, the caller's key for it,
/// the model name to send upstream and, when the catalogue lists it, its prices.
package struct RouteCandidate: Sendable {
    package var provider: CatalogueProvider
    package var userProvider: UserProvider
    package var upstreamModel: String
    package var model: CatalogueModel?
}

/// The outcome of routing: what the name resolved to and who will be tried, in order.
package struct RoutePlan: Sendable {
    package var requestedModel: String
    package var resolvedModel: String
    package var candidates: [RouteCandidate]
}
