import FunctionRuntime
import Gateway
import Testing

/// Management request bodies decode into their types: absent, null and a value are three different
/// things in a change, and a field of the wrong type is a 400 that names it.
@Suite struct BodyDecodingTests {
    @Test func aPatchTellsAbsentNullAndAValueApart() throws {
        let body = try ModelBody.decode(Array(#"{"display_name":null,"model_type":"chat","pricing":{"input":null,"output":2.5}}"#.utf8))
        #expect(body.modelID == .absent)
        #expect(body.displayName == .null)
        #expect(body.modelType == .value("chat"))
        #expect(body.pricing?.input == .null)
        #expect(body.pricing?.output == .value(2.5))
        #expect(body.pricing?.cacheRead == .absent)
    }

    @Test func applyingAPatchKeepsClearsOrSets() {
        #expect(Patch<String>.absent.applied(to: "kept") == "kept")
        #expect(Patch<String>.null.applied(to: "kept") == nil)
        #expect(Patch.value("new").applied(to: "kept") == "new")
    }

    @Test(arguments: [
        (#"{"priority":"high"}"#, "priority", "'priority' must be an integer."),
        (#"{"is_active":"yes"}"#, "is_active", "'is_active' must be true or false."),
        (#"{"settings":[1]}"#, "settings", "'settings' must be an object."),
        (#"{"validate":"no"}"#, "validate", "'validate' must be true or false."),
        (#"{"api_key":42}"#, "api_key", "'api_key' must be a non-empty string of at most 1024 bytes."),
    ])
    func aProviderKeyFieldOfTheWrongTypeIsA400NamingIt(body: String, param: String, message: String) {
        #expect(throws: APIError.badRequest(message, param: param)) { try ProviderKeyBody.decode(Array(body.utf8)) }
    }

    @Test func aPriceKeyThePricingDoesNotTakeIsNamed() {
        #expect(
            throws: APIError.badRequest(
                "'pricing' takes input, output, cache_read, cache_write, per_request in USD per 1M tokens.", param: "pricing.bogus")
        ) {
            try ModelBody.decode(Array(#"{"pricing":{"bogus":1}}"#.utf8))
        }
    }

    @Test func aNestedFieldIsNamedWithItsPath() {
        #expect(throws: APIError.badRequest("'pricing.input' must be a non-negative number (USD per 1M tokens).", param: "pricing.input")) {
            try ModelBody.decode(Array(#"{"pricing":{"input":"cheap"}}"#.utf8))
        }
        #expect(throws: APIError.badRequest("'alert_thresholds' must be up to 10 percentages (1 to 1000).", param: "alert_thresholds[1]")) {
            try BudgetBody.decode(Array(#"{"alert_thresholds":[50,"eighty"]}"#.utf8))
        }
    }

    @Test(arguments: ["", "not json", "[1,2]", "\"text\"", "{\"a\":"])
    func aBodyThatIsNotAJSONObjectIsInvalidJSON(body: String) {
        #expect(throws: APIError.badRequest("The request body must be a JSON object.", code: "invalid_json")) {
            try CatalogueEntryBody.decode(Array(body.utf8))
        }
    }
}
