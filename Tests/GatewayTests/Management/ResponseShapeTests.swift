import FunctionRuntime
import Gateway
import GatewayStore
import Testing

/// Management answers are typed structs; their optional fields are `null` when they are part of the
/// shape, and left out only where an answer did not compute them.
@Suite struct ResponseShapeTests {
    @Test func anAbsentOptionalFieldOfTheShapeIsNull() throws {
        let entry = CatalogueProvider(id: "x", name: "x", displayName: "X", kind: .direct, apiStandard: .openai, baseURL: "https://x.example/v1")
        let json = CatalogueEntryResponse(entry).json
        #expect(json.objectValue?.keys.contains("documentation_url") == true)
        #expect(json["documentation_url"] == .null)
        #expect(json["api_standard"] == "openai")
        #expect(json["features"]?["chat"] == true)
    }

    @Test func countsAnAnswerDidNotComputeAreLeftOut() throws {
        let key = UserProvider(id: "k", userID: "u", providerID: "openai", apiKeyEncrypted: "v1:k:x", apiKeyHash: "h", apiKeyLast4: "")
        let json = ProviderKeyResponse(key, provider: nil, modelCount: nil).json
        #expect(json.objectValue?.keys.contains("model_count") == false)
        #expect(json["key_last4"] == .null, "no last four characters is null, never an empty string")
        #expect(json["health_status"] == "unknown")
        #expect(json.serializedString.contains("v1:k:x") == false, "never the envelope")
    }

    @Test func aModelWithoutANameShowsItsIdAndNullPrices() throws {
        let json = ModelResponse(CatalogueModel(id: "m", providerID: "openrouter", modelID: "vendor/model")).json
        #expect(json["display_name"] == "vendor/model")
        #expect(json["pricing"]?["input"] == .null)
        #expect(json["pricing"]?["unit"] == "usd_per_1m_tokens")
        #expect(json["scope"] == "shared")
    }
}
