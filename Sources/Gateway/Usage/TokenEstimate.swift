import FunctionRuntime

/// A prompt's token count before sending it, without the provider's tokenizer: about four characters
/// per token of English text (OpenAI's rule of thumb), plus 4 tokens of framing per message and 3 to
/// prime the reply (their chat format's overhead), and 85 per image (a low-detail image). Good to
/// about ±20 % for English prose; code and other scripts count higher.
enum TokenEstimate {
    static func promptTokens(_ messages: [JSONValue]) -> Int {
        var tokens = 3
        for message in messages {
            tokens += 4
            tokens += textTokens(message["role"]?.stringValue ?? "")
            if let name = message["name"]?.stringValue { tokens += textTokens(name) }
            if let text = message["content"]?.stringValue {
                tokens += textTokens(text)
            } else if let parts = message["content"]?.arrayValue {
                for part in parts {
                    if let text = part["text"]?.stringValue { tokens += textTokens(text) } else { tokens += 85 }
                }
            }
            if let calls = message["tool_calls"] { tokens += textTokens(calls.serializedString) }
        }
        return tokens
    }

    static func textTokens(_ text: String) -> Int { (text.unicodeScalars.count + 3) / 4 }
}
