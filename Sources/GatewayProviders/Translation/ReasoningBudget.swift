/// Reasoning asked for as an effort (OpenAI's `reasoning_effort`) or as a token budget (Anthropic's
/// `thinking.budget_tokens`, Gemini's `thinkingBudget`), each turned into the other where an
/// upstream takes only one: low 1,024 tokens, medium 4,096, high 16,384.
package enum ReasoningBudget {
    package static func effort(forBudget budget: Int) -> String {
        switch budget {
        case ..<2048: "low"
        case ..<8192: "medium"
        default: "high"
        }
    }

    package static func budget(forEffort effort: String) -> Int? {
        switch effort {
        case "minimal": 512
        case "low": 1024
        case "medium": 4096
        case "high": 16384
        default: nil  // "none", or a word no upstream knows
        }
    }

    /// The budget a chat request asks for: Anthropic's own, else its effort's.
    package static func requested(_ chat: ChatRequest) -> Int? {
        chat.extensions.thinkingBudget ?? chat.json["reasoning_effort"]?.stringValue.flatMap(budget(forEffort:))
    }
}
