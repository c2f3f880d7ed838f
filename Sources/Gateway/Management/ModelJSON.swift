import FunctionRuntime
import GatewayStore

/// How a catalogue model appears in the `providers` and `models` functions' answers.
enum ModelJSON {
    static func model(_ model: CatalogueModel, providerName: String? = nil) -> JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map(JSONValue.double) ?? .null }
        func integer(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
        var json: [String: JSONValue] = [
            "id": .string(model.id), "provider_id": .string(model.providerID), "model_id": .string(model.modelID),
            "display_name": model.displayName.map(JSONValue.string) ?? .string(model.modelID),
            "description": model.description.map(JSONValue.string) ?? .null,
            "model_type": .string(model.modelType.rawValue), "capabilities": .array(model.capabilities.map { .string($0.rawValue) }),
            "context_window": integer(model.contextWindow), "max_output_tokens": integer(model.maxOutputTokens),
            "pricing": [
                "unit": "usd_per_1m_tokens", "input": number(model.inputPrice), "output": number(model.outputPrice),
                "cache_read": number(model.cacheReadPrice), "cache_write": number(model.cacheWritePrice),
                "per_request": number(model.requestPrice), "variable": .bool(model.capabilities.contains(.variablePricing)),
            ],
            "is_available": .bool(model.isAvailable), "enabled": .bool(model.isEnabled), "source": .string(model.source.rawValue),
            "scope": .string(model.ownerUserID.isEmpty ? "shared" : "user"),
            "released_at": model.releasedAt.map { .int(Int($0)) } ?? .null,
            "last_seen_at": model.lastSeenAt.map { .int(Int($0)) } ?? .null,
        ]
        if let providerName { json["provider"] = .string(providerName) }
        return .object(json)
    }
}
