import Foundation
import Gateway
import GatewayStore

/// Provider model lists the catalogue tests serve from the mock upstream.
package enum CatalogueFixtures {
    /// `Tests/Fixtures/openrouter-models-snapshot.json`: a real 220-model OpenRouter `/api/v1/models` response.
    package static func openRouterSnapshot() throws -> Data {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return try Data(contentsOf: tests.appendingPathComponent("Fixtures/openrouter-models-snapshot.json"))
    }

    /// AiHubMix's rich catalogue, shaped like `GET https://aihubmix.com/api/v1/models`.
    package static let aiHubMixRich = #"""
        {"success": true, "message": "", "data": [
          {"model_id": "gpt-4o-mini", "desc": "OpenAI's small omni model", "types": "llm", "features": "tools,function_calling,structured_outputs",
           "input_modalities": "text,image", "max_output": 16384, "context_length": 128000,
           "pricing": {"input": 0.15, "output": 0.6, "cache_read": 0.075}},
          {"model_id": "claude-sonnet-4-20250514", "desc": "", "types": "llm", "features": "thinking,tools",
           "input_modalities": "text,image", "max_output": 64000, "context_length": 200000,
           "pricing": {"input": 3, "output": 15, "cache_read": 0.3, "cache_write": 3.75}},
          {"model_id": "text-embedding-3-small", "desc": "", "types": "embedding", "features": "", "input_modalities": "text",
           "max_output": 0, "context_length": 8192, "pricing": {"input": 0.02, "output": 0}},
          {"model_id": "gpt-image-1", "desc": "", "types": "image_generation", "features": "", "input_modalities": "text,image",
           "max_output": 0, "context_length": 0, "pricing": {"input": 5, "output": 40}}
        ]}
        """#

    /// The plain OpenAI list AiHubMix also serves at `/v1/models`.
    package static let plainList = #"""
        {"object": "list", "data": [
          {"id": "gpt-4o-mini", "object": "model", "created": 1721172741, "owned_by": "openai"},
          {"id": "claude-sonnet-4-20250514", "object": "model", "created": 1747699200, "owned_by": "anthropic"},
          {"id": "deepseek-r1", "object": "model", "created": 1737331200, "owned_by": "deepseek"},
          {"id": "whisper-1", "object": "model", "created": 1677532384, "owned_by": "openai"}
        ]}
        """#

    /// A generated OpenRouter-format list of `count` models (for the sync-time benchmark and tests).
    package static func generatedOpenRouterList(count: Int, priceShift: Int = 0) -> String {
        var items: [String] = []
        items.reserveCapacity(count)
        for index in 0..<count {
            let prompt = "0.000000\(1 + (index + priceShift) % 9)", completion = "0.00000\(1 + (index + priceShift) % 9)"
            items.append(
                """
                {"id":"vendor\(index % 40)/model-\(index)","name":"Vendor \(index % 40): Model \(index)","created":\(1_700_000_000 + index),
                "description":"Generated model \(index)","context_length":\(4096 * (1 + index % 32)),
                "architecture":{"modality":"text->text","input_modalities":["text"\(index % 3 == 0 ? ",\"image\"" : "")],"output_modalities":["text"]},
                "pricing":{"prompt":"\(prompt)","completion":"\(completion)","request":"0","input_cache_read":"0.0000000\(1 + index % 9)"},
                "top_provider":{"context_length":\(4096 * (1 + index % 32)),"max_completion_tokens":4096,"is_moderated":false},
                "supported_parameters":["max_tokens","temperature"\(index % 2 == 0 ? ",\"tools\",\"tool_choice\"" : "")\(index % 5 == 0 ? ",\"reasoning\"" : "")]}
                """)
        }
        return "{\"data\":[" + items.joined(separator: ",") + "]}"
    }
}

/// A migrated database with the catalogue every gateway starts with, for tests below the gateway layer.
package enum TestCatalogue {
    @discardableResult
    package static func prepare(_ store: SQLStore) throws -> GatewaySchema.Outcome { try GatewaySchema.prepare(store) }
}
