import FunctionRuntime

/// A validated OpenAI embeddings request: `input` is a string, strings, a token array or token arrays.
package struct EmbeddingsRequest: Sendable {
    package enum Input: Sendable, Equatable {
        case texts([String])
        case tokens([[Int]])
    }

    package var json: [String: JSONValue]
    package var model: String
    package var input: Input
    /// `encoding_format: base64`: vectors as base64 of little-endian float32s.
    package var base64: Bool
    package var dimensions: Int?

    /// OpenAI's own limit on inputs per request.
    package static let maxInputs = 2048

    package init(body: [UInt8]) throws(APIError) {
        guard !body.isEmpty else { throw .badRequest("The request body is empty: send a JSON embeddings request.", code: "invalid_json") }
        guard case .object(let json)? = try? JSONValue.parse(body) else {
            throw .badRequest("The request body must be a JSON object.", code: "invalid_json")
        }
        guard let model = json["model"]?.stringValue, !model.isEmpty else {
            throw .badRequest("'model' is required and must be a non-empty string.", param: "model")
        }
        try InputLimits.checked(model, param: "model", limit: InputLimits.modelBytes)
        let invalid = APIError.badRequest(
            "'input' must be a non-empty string, an array of strings, an array of token ids or an array of token id arrays.", param: "input")
        switch json["input"] {
        case .string(let text)?:
            guard !text.isEmpty else { throw invalid }
            input = .texts([text])
        case .array(let items)? where !items.isEmpty && items.count <= Self.maxInputs:
            if let texts = Optional(items.compactMap(\.stringValue)), texts.count == items.count, !texts.contains("") {
                input = .texts(texts)
            } else if let tokens = Optional(items.compactMap(\.intValue)), tokens.count == items.count {
                input = .tokens([tokens])
            } else {
                let arrays = items.compactMap { item -> [Int]? in
                    guard let values = item.arrayValue, !values.isEmpty else { return nil }
                    let ints = values.compactMap(\.intValue)
                    return ints.count == values.count ? ints : nil
                }
                guard arrays.count == items.count else { throw invalid }
                input = .tokens(arrays)
            }
        default:
            throw invalid
        }
        switch json["encoding_format"]?.stringValue {
        case nil, "float": base64 = false
        case "base64": base64 = true
        default: throw .badRequest("'encoding_format' must be 'float' or 'base64'.", param: "encoding_format")
        }
        if let value = json["dimensions"], !value.isNull {
            guard let number = value.intValue, (1...65_536).contains(number) else {
                throw .badRequest("'dimensions' must be an integer from 1 to 65536.", param: "dimensions")
            }
            dimensions = number
        }
        self.json = json
        self.model = model
    }
}

/// An upstream's embeddings, in OpenAI's shape, and the prompt tokens they used.
package struct EmbeddingsResult: Sendable {
    package var body: [UInt8]
    package var promptTokens: Int
    /// False when the upstream reports no usage and `promptTokens` is the gateway's estimate.
    package var reported: Bool

    package init(body: [UInt8], promptTokens: Int, reported: Bool) {
        self.body = body
        self.promptTokens = promptTokens
        self.reported = reported
    }
}
