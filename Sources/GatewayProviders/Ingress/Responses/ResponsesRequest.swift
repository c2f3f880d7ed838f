import FunctionRuntime

/// A validated OpenAI Responses request (`POST /v1/responses`), stateless: the client resends the
/// whole conversation each turn. It becomes the internal chat request; the fields the response
/// object echoes are kept.
package struct ResponsesRequest: Sendable {
    package var json: [String: JSONValue]
    package var chat: ChatRequest

    package init(body: [UInt8]) throws(APIError) {
        guard !body.isEmpty else { throw .badRequest("The request body is empty: send a JSON Responses request.", code: "invalid_json") }
        guard case .object(let json)? = try? JSONValue.parse(body) else {
            throw .badRequest("The request body must be a JSON object.", code: "invalid_json")
        }
        try ResponsesTranslation.check(json)
        self.json = json
        chat = try ChatRequest(object: try ResponsesTranslation.chatObject(json), extensions: ChatRequest.Extensions(translated: true))
    }
}
