import FunctionRuntime
import GatewayProviders
import GatewayStore
import XCTest

/// OpenAI chat -> Gemini `generateContent`: roles, system instructions, tool calls and results,
/// generation settings, and where the key goes.
final class GeminiTranslationTests: XCTestCase {
    private let provider = CatalogueProvider(
        id: "google", name: "google", displayName: "Google Gemini", kind: .direct, apiStandard: .gemini,
        baseURL: "https://generativelanguage.googleapis.com/v1beta")

    private func request(_ body: String) throws -> (UpstreamRequest, JSONValue) {
        let request = try GeminiAdapter().makeRequest(
            ChatRequest(body: Array(body.utf8)), model: "gemini-2.0-flash", provider: provider, apiKey: "AIza-test")
        return (request, try JSONValue.parse(request.body))
    }

    func testSystemMessagesBecomeTheSystemInstructionAndAssistantTurnsTheModelRole() throws {
        let (_, json) = try request(
            #"{"model":"g","messages":[{"role":"system","content":"One."},{"role":"developer","content":"Two."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},{"role":"user","content":"Again"}]}"#
        )
        XCTAssertEqual(json["systemInstruction"], ["parts": [["text": "One.\n\nTwo."]]])
        XCTAssertEqual(json["contents"]?.arrayValue?.compactMap { $0["role"]?.stringValue }, ["user", "model", "user"])
        XCTAssertEqual(json["contents"]?[1]?["parts"], [["text": "Hello"]])
    }

    func testToolCallsBecomeFunctionCallsAndTheirResultsFunctionResponsesByName() throws {
        let (_, json) = try request(
            #"""
            {"model":"g","tools":[{"type":"function","function":{"name":"weather","description":"Weather","parameters":{"type":"object"}}}],
             "messages":[{"role":"user","content":"Oslo?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_9","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}}]},
              {"role":"tool","tool_call_id":"call_9","content":"rain"}]}
            """#)
        XCTAssertEqual(json["tools"]?[0]?["functionDeclarations"], [["name": "weather", "description": "Weather", "parameters": ["type": "object"]]])
        XCTAssertEqual(json["contents"]?[1]?["parts"], [["functionCall": ["name": "weather", "args": ["city": "Oslo"]]]])
        XCTAssertEqual(json["contents"]?[2]?["role"], "user")
        XCTAssertEqual(json["contents"]?[2]?["parts"], [["functionResponse": ["name": "weather", "response": ["content": "rain"]]]])
    }

    func testGenerationSettingsAreMapped() throws {
        let (_, json) = try request(
            #"{"model":"g","max_tokens":64,"temperature":0.5,"top_p":0.9,"stop":["END"],"response_format":{"type":"json_object"},"messages":[{"role":"user","content":"Hi"}]}"#
        )
        XCTAssertEqual(
            json["generationConfig"],
            ["maxOutputTokens": 64, "temperature": 0.5, "topP": 0.9, "stopSequences": ["END"], "responseMimeType": "application/json"])
    }

    func testAStreamUsesServerSentEventsAndTheKeyNeverGoesInTheURL() throws {
        let (streamed, _) = try request(#"{"model":"g","stream":true,"messages":[{"role":"user","content":"Hi"}]}"#)
        XCTAssertEqual(streamed.url, "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse")
        XCTAssertFalse(streamed.url.contains("key="))
        XCTAssertTrue(streamed.headers.contains { $0.name == "x-goog-api-key" && $0.value == "AIza-test" })
        let (plain, _) = try request(#"{"model":"g","messages":[{"role":"user","content":"Hi"}]}"#)
        XCTAssertTrue(plain.url.hasSuffix("/models/gemini-2.0-flash:generateContent"), plain.url)
    }
}
