/// List prices for the direct providers, which publish none in their model lists. USD per 1M tokens;
/// each wire format's folder holds its provider's table. Matched by the longest id prefix, so dated
/// snapshots (`gpt-4o-2024-08-06`) inherit their family's price.
/// A user with a negotiated rate sets an override through the `models` function.
package struct DirectPriceTable: Sendable {
    package struct Entry: Sendable, Equatable {
        package var input: Double
        package var output: Double
        package var cacheRead: Double?
        package var cacheWrite: Double?
        package var contextWindow: Int?
        package var maxOutputTokens: Int?
    }

    let entries: [String: Entry]
    private let prefixes: [String]

    package init(_ entries: [String: Entry] = DirectPriceTable.published) {
        self.entries = entries
        self.prefixes = entries.keys.sorted { $0.count > $1.count }
    }

    package func price(for modelID: String) -> Entry? {
        let name = ModelClassifier.bareName(modelID)
        return prefixes.first(where: name.hasPrefix).flatMap { entries[$0] }
    }

    /// Every wire format's direct list prices (`WireFormat.listPrices`).
    package static var published: [String: Entry] { WireFormats.listPrices }
}
