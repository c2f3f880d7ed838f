import FunctionRuntime
import GatewayProviders
import GatewayStore

/// Model name -> alias -> ordered candidates: the caller's active aggregators that list the model
/// (in the caller's priority order, then health), then the direct provider the name belongs to.
package struct ModelRouter: Sendable {
    package var aggregatorsEnabled: Bool

    package init(aggregatorsEnabled: Bool = true) {
        self.aggregatorsEnabled = aggregatorsEnabled
    }

    /// `GATEWAY_AGGREGATORS_ENABLED=false` routes to direct providers only.
    package static func fromEnvironment(_ environment: [String: String]) -> ModelRouter {
        ModelRouter(aggregatorsEnabled: !["false", "0", "no", "off"].contains(environment["GATEWAY_AGGREGATORS_ENABLED"]?.lowercased() ?? ""))
    }

    /// `plan`, through a worker's cache when it has one (a CGI process serves one request: it has none).
    package func plan(_ requested: String, caller: Caller, store: any Store, cache: RoutingCache?) throws -> RoutePlan {
        guard let cache else { return try plan(requested, caller: caller, store: store) }
        return try cache.plan(requested, caller: caller, store: store) { try plan(requested, caller: caller, store: store) }
    }

    package func plan(_ requested: String, caller: Caller, store: any Store) throws -> RoutePlan {
        let alias = try store.alias(caller, named: requested)
        let model = alias?.modelID ?? requested
        var considered: [String] = []
        var candidates: [RouteCandidate] = []
        let keys = try store.userProviders(caller).filter(\.isActive)
        let catalogue = Dictionary(uniqueKeysWithValues: try store.catalogueProviders(caller).map { ($0.id, $0) })

        // An explicit `openrouter/...` or `aihubmix/...` pins that aggregator. (`openai/gpt-4o` is an
        // OpenRouter model id as much as a direct one: direct prefixes are handled after the aggregators.)
        if let slash = model.firstIndex(of: "/"),
            let pinned = catalogue.values.first(where: { $0.name == model[..<slash] && $0.kind == .aggregator })
        {
            let rest = String(model[model.index(after: slash)...])
            if !rest.isEmpty, let key = keys.first(where: { $0.providerID == pinned.id }), pinned.isActive {
                if !aggregatorsEnabled {
                    considered.append("\(pinned.name) (aggregators are disabled)")
                } else {
                    let row = try store.providerConfiguration(caller, model: rest).first { $0.provider.id == pinned.id }?.model
                    candidates.append(RouteCandidate(provider: pinned, userProvider: key, upstreamModel: rest, model: row))
                }
            }
        }

        if aggregatorsEnabled {
            for route in try store.providerConfiguration(caller, model: model) where route.provider.kind == .aggregator {
                guard !candidates.contains(where: { $0.userProvider.id == route.userProvider.id }) else { continue }
                candidates.append(
                    RouteCandidate(provider: route.provider, userProvider: route.userProvider, upstreamModel: model, model: route.model))
            }
        }
        for key in keys {
            guard let provider = catalogue[key.providerID], provider.kind == .aggregator else { continue }
            if !aggregatorsEnabled {
                considered.append("\(provider.name) (aggregators are disabled)")
            } else if !candidates.contains(where: { $0.provider.id == provider.id }) {
                considered.append("\(provider.name) (does not list '\(model)')")
            }
        }

        if let direct = WireFormats.directProvider(for: model), let provider = catalogue.values.first(where: { $0.name == direct }), provider.isActive
        {
            let upstreamModel = model.hasPrefix(direct + "/") ? String(model.dropFirst(direct.count + 1)) : model
            if let key = keys.first(where: { $0.providerID == provider.id }) {
                if !candidates.contains(where: { $0.provider.id == provider.id }) {
                    let row = try store.providerConfiguration(caller, model: upstreamModel).first { $0.provider.id == provider.id }?.model
                    candidates.append(RouteCandidate(provider: provider, userProvider: key, upstreamModel: upstreamModel, model: row))
                }
            } else {
                considered.append("\(direct) (no key configured)")
            }
        }

        // An alias may prefer a provider: it goes first when it is a candidate.
        if let preferred = alias?.preferredProviderID, let index = candidates.firstIndex(where: { $0.provider.id == preferred }) {
            candidates.insert(candidates.remove(at: index), at: 0)
        }
        // A catalogue row written by a newer gateway may name a format this build cannot speak.
        candidates.removeAll { candidate in
            guard WireFormats.format(candidate.provider.apiStandard) == nil else { return false }
            considered.append("\(candidate.provider.name) (speaks '\(candidate.provider.apiStandard.rawValue)', unknown to this gateway)")
            return true
        }
        guard !candidates.isEmpty else {
            let list = considered.isEmpty ? "no providers are configured for this account" : "considered: " + considered.joined(separator: ", ")
            throw APIError(
                status: 404, message: "The model '\(requested)' is not served by any provider you can use (\(list)).",
                code: "model_not_found", param: "model")
        }
        return RoutePlan(requestedModel: requested, resolvedModel: model, candidates: candidates)
    }
}
