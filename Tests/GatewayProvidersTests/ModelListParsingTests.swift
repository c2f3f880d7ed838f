import Foundation
import FunctionRuntime
import GatewayProviders
import TestSupport
import XCTest

/// The providers' list formats -> catalogue rows: prices per 1M exactly as the lists imply,
/// types and capabilities from the provider's fields first and names last.
final class ModelListParsingTests: XCTestCase {
    func testTheOpenRouterSnapshotMapsEveryModelWithPricesPerMillionExactly() throws {
        let data = try CatalogueFixtures.openRouterSnapshot()
        let raw = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])["data"] as? [[String: Any]]
        let models = try OpenRouterModelList.parse(try JSONValue.parse([UInt8](data)))
        XCTAssertEqual(models.count, 220)
        XCTAssertEqual(models.count, try XCTUnwrap(raw).count)
        for (item, model) in zip(try XCTUnwrap(raw), models) {
            let pricing = try XCTUnwrap(item["pricing"] as? [String: String])
            XCTAssertEqual(model.modelID, item["id"] as? String)
            for (key, stored) in [("prompt", model.inputPrice), ("completion", model.outputPrice)] {
                let text = try XCTUnwrap(pricing[key])
                if text == "-1" {
                    XCTAssertNil(stored, "\(model.modelID): variable pricing is not a price")
                    XCTAssertTrue(model.capabilities.contains("variable_pricing"), model.modelID)
                } else {
                    // Decimal arithmetic, independent of the parser: USD per token x 1,000,000.
                    let expected = Double("\(try XCTUnwrap(Decimal(string: text)) * 1_000_000)")
                    XCTAssertEqual(stored, expected, "\(model.modelID) \(key) \(text)")
                }
            }
            XCTAssertEqual(model.contextWindow, item["context_length"] as? Int, model.modelID)
            XCTAssertEqual(model.modelType, .chat, model.modelID)
            let modality = (item["architecture"] as? [String: Any])?["modality"] as? String
            XCTAssertEqual(model.capabilities.contains("vision"), modality == "text+image->text", "vision from the modality: \(model.modelID)")
        }
        let minimax = try XCTUnwrap(models.first { $0.modelID == "minimax/minimax-01" })
        XCTAssertEqual(minimax.inputPrice, 0.2)
        XCTAssertEqual(minimax.outputPrice, 1.1)
        XCTAssertEqual(minimax.maxOutputTokens, 1_000_192)
        XCTAssertEqual(minimax.releasedAt, 1_736_915_462_000)
        XCTAssertNil(minimax.requestPrice, "\"0\" per request is no request price")
        let auto = try XCTUnwrap(models.first { $0.modelID == "openrouter/auto" })
        XCTAssertNil(auto.inputPrice)
        XCTAssertTrue(auto.capabilities.contains("variable_pricing"))
    }

    func testNewerOpenRouterFieldsDecideCapabilitiesOverNames() throws {
        let body = try JSONValue.parse(
            #"""
            {"data":[{"id":"openai/gpt-4o","name":"GPT-4o","context_length":128000,
              "architecture":{"modality":"text->text","input_modalities":["text"],"output_modalities":["text"]},
              "pricing":{"prompt":"0.0000025","completion":"0.00001","input_cache_read":"0.00000125","internal_reasoning":"0"},
              "supported_parameters":["max_tokens"]},
              {"id":"x/painter","architecture":{"input_modalities":["text"],"output_modalities":["image"]},"pricing":{"prompt":"0","completion":"0"}}]}
            """#)
        let models = try OpenRouterModelList.parse(body)
        XCTAssertEqual(models[0].capabilities, ["streaming"], "the provider says: no images in, no tools, no json mode, whatever the name suggests")
        XCTAssertEqual(models[0].cacheReadPrice, 1.25)
        XCTAssertEqual(models[0].outputPrice, 10)
        XCTAssertEqual(models[1].modelType, .image)
    }

    func testAiHubMixRichCataloguePricesFollowTheConfiguredUnit() throws {
        let body = try JSONValue.parse(CatalogueFixtures.aiHubMixRich)
        let perMillion = try AiHubMixModelList.parse(body, unit: .perMillion)
        let mini = try XCTUnwrap(perMillion.first { $0.modelID == "gpt-4o-mini" })
        // gpt-4o-mini lists at $0.15 / $0.60 per 1M tokens: the catalogue's numbers are per 1M.
        XCTAssertEqual(mini.inputPrice, 0.15)
        XCTAssertEqual(mini.outputPrice, 0.6)
        XCTAssertEqual(mini.cacheReadPrice, 0.075)
        XCTAssertEqual(mini.capabilities, ["vision", "tools", "streaming", "json_mode"])
        XCTAssertEqual(mini.contextWindow, 128_000)
        XCTAssertEqual(mini.maxOutputTokens, 16_384)
        let sonnet = try XCTUnwrap(perMillion.first { $0.modelID == "claude-sonnet-4-20250514" })
        XCTAssertEqual(sonnet.capabilities, ["vision", "tools", "streaming", "reasoning"])
        XCTAssertEqual(sonnet.cacheWritePrice, 3.75)
        XCTAssertEqual(perMillion.first { $0.modelID == "text-embedding-3-small" }?.modelType, .embedding)
        XCTAssertEqual(perMillion.first { $0.modelID == "gpt-image-1" }?.modelType, .image)

        let perThousand = try AiHubMixModelList.parse(body, unit: .perThousand)
        XCTAssertEqual(perThousand.first { $0.modelID == "gpt-4o-mini" }?.inputPrice, 150)
        XCTAssertEqual(perThousand.first { $0.modelID == "gpt-4o-mini" }?.outputPrice, 600)
    }

    func testIdOnlyListsFallBackToNameHeuristicsAndThePriceTable() throws {
        let body = try JSONValue.parse(CatalogueFixtures.plainList)
        let direct = try OpenAIModelList.parse(body, provider: "openai", prices: DirectPriceTable())
        let mini = try XCTUnwrap(direct.first { $0.modelID == "gpt-4o-mini" })
        XCTAssertEqual(mini.inputPrice, 0.15)
        XCTAssertEqual(mini.contextWindow, 128_000)
        XCTAssertEqual(mini.capabilities, ["vision", "tools", "streaming", "json_mode"])
        XCTAssertEqual(direct.first { $0.modelID == "deepseek-r1" }?.capabilities, ["streaming", "reasoning"])
        XCTAssertEqual(direct.first { $0.modelID == "whisper-1" }?.modelType, .audio)
        let aggregator = try OpenAIModelList.parse(body, provider: "aihubmix", prices: nil)
        XCTAssertNil(aggregator.first?.inputPrice, "no table prices for an aggregator's plain list")
    }

    func testAnthropicAndGeminiListsPageAndMap() throws {
        let anthropic = try AnthropicModelList.parse(
            try JSONValue.parse(
                #"""
                {"data":[{"type":"model","id":"claude-sonnet-4-20250514","display_name":"Claude Sonnet 4","created_at":"2025-05-22T00:00:00Z"}],
                 "has_more":true,"first_id":"claude-sonnet-4-20250514","last_id":"claude-sonnet-4-20250514"}
                """#), prices: DirectPriceTable())
        XCTAssertEqual(anthropic.next, "claude-sonnet-4-20250514")
        let sonnet = try XCTUnwrap(anthropic.models.first)
        XCTAssertEqual(sonnet.displayName, "Claude Sonnet 4")
        XCTAssertEqual(sonnet.inputPrice, 3)
        XCTAssertEqual(sonnet.cacheWritePrice, 3.75)
        XCTAssertEqual(sonnet.releasedAt, 1_747_872_000_000)
        XCTAssertEqual(sonnet.capabilities, ["vision", "tools", "streaming", "reasoning"])

        let gemini = try GeminiModelList.parse(
            try JSONValue.parse(
                #"""
                {"models":[{"name":"models/gemini-2.5-flash","displayName":"Gemini 2.5 Flash","inputTokenLimit":1048576,"outputTokenLimit":65536,
                            "supportedGenerationMethods":["generateContent","countTokens"],"thinking":true},
                           {"name":"models/text-embedding-004","supportedGenerationMethods":["embedContent"]}],"nextPageToken":""}
                """#), prices: DirectPriceTable())
        XCTAssertNil(gemini.next)
        XCTAssertEqual(gemini.models.map(\.modelID), ["gemini-2.5-flash", "text-embedding-004"])
        XCTAssertEqual(gemini.models[0].contextWindow, 1_048_576)
        XCTAssertEqual(gemini.models[0].outputPrice, 2.5)
        XCTAssertTrue(gemini.models[0].capabilities.contains("reasoning"))
        XCTAssertEqual(gemini.models[1].modelType, .embedding)
    }

    func testPricesAreConvertedByMovingTheDecimalPoint() {
        XCTAssertEqual(Price.parse("0.0000002", unit: .perToken), .perMillion(0.2))
        XCTAssertEqual(Price.parse("0.000015", unit: .perToken), .perMillion(15))
        XCTAssertEqual(Price.parse("1.5e-7", unit: .perToken), .perMillion(0.15))
        XCTAssertEqual(Price.parse("0", unit: .perToken), .perMillion(0))
        XCTAssertEqual(Price.parse("-1", unit: .perToken), .variable)
        XCTAssertNil(Price.parse("free", unit: .perToken))
        XCTAssertEqual(Price.parse(.double(0.15), unit: .perThousand), .perMillion(150))
        XCTAssertEqual(Price.parse(.double(0.0003), unit: .perThousand), .perMillion(0.3))
        XCTAssertEqual(Price.parse(.int(3), unit: .perMillion), .perMillion(3))
        XCTAssertNil(Price.parse(.null, unit: .perMillion))
    }
}
