import FunctionRuntime

/// A provider the gateway can route to (`api_providers`). Readable by every caller;
/// only the service role writes it, because `baseURL` decides where stored keys are sent.
package struct CatalogueProvider: Sendable, Equatable {
    package enum Kind: String, Sendable { case aggregator, direct }

    package var id: String
    package var name: String
    package var displayName: String
    package var kind: Kind
    package var apiStandard: APIStandard
    package var baseURL: String
    package var features: JSONValue
    package var settings: JSONValue
    package var documentationURL: String?
    package var isActive: Bool

    package init(
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

/// The wire format a catalogue entry speaks (`api_standard`). The store keeps any value; which ones
/// the gateway can speak is the provider registry's business (`WireFormats`), not a CHECK constraint.
package struct APIStandard: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    package var rawValue: String

    package init(rawValue: String) { self.rawValue = rawValue }
    package init(stringLiteral value: String) { self.rawValue = value }

    package var description: String { rawValue }
}
