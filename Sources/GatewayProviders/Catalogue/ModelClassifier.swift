import GatewayStore

/// Model type and capabilities. A provider's own fields decide first (`Declared`); the name
/// heuristics below fill in only what the provider did not say. The heuristics are deliberately
/// short and listed in README ("Capabilities"): they are a fallback for id-only lists.
package struct ModelClassifier: Sendable {
    /// What a provider's listing said; `nil` means it did not say.
    package struct Declared: Sendable {
        package var type: ModelType?
        package var vision: Bool?
        package var tools: Bool?
        package var reasoning: Bool?
        package var jsonMode: Bool?

        package init(type: ModelType? = nil, vision: Bool? = nil, tools: Bool? = nil, reasoning: Bool? = nil, jsonMode: Bool? = nil) {
            self.type = type
            self.vision = vision
            self.tools = tools
            self.reasoning = reasoning
            self.jsonMode = jsonMode
        }
    }

    package init() {}

    /// `(model_type, capabilities)` for `modelID`, capabilities in a fixed order.
    package func classify(_ modelID: String, declared: Declared = Declared()) -> (type: ModelType, capabilities: [Capability]) {
        let name = Self.bareName(modelID)
        let type = declared.type ?? typeFromName(name)
        guard type == .chat else { return (type, []) }
        var capabilities: [Capability] = []
        if declared.vision ?? Self.visionByName(name) { capabilities.append(.vision) }
        if declared.tools ?? Self.toolsByName(name) { capabilities.append(.tools) }
        // Every chat model the gateway routes to streams (all five providers stream chat).
        capabilities.append(.streaming)
        if declared.reasoning ?? Self.reasoningByName(name) { capabilities.append(.reasoning) }
        if declared.jsonMode ?? Self.jsonModeByName(name) { capabilities.append(.jsonMode) }
        return (type, capabilities)
    }

    /// `openai/gpt-4o` -> `gpt-4o`, `models/gemini-2.0-flash` -> `gemini-2.0-flash`, lowercased.
    static func bareName(_ modelID: String) -> String {
        let lower = modelID.lowercased()
        return lower.split(separator: "/").last.map(String.init) ?? lower
    }

    func typeFromName(_ name: String) -> ModelType {
        if name.contains("embed") { return .embedding }
        if name.contains("rerank") { return .rerank }
        if name.contains("moderation") { return .moderation }
        if ["whisper", "tts", "transcribe", "speech", "audio", "realtime"].contains(where: name.contains) { return .audio }
        if ["dall-e", "gpt-image", "imagen", "flux", "stable-diffusion", "sdxl", "midjourney", "ideogram", "recraft"].contains(where: name.contains) {
            return .image
        }
        if ["sora", "veo-", "kling", "video"].contains(where: name.contains) { return .video }
        return .chat
    }

    static func visionByName(_ name: String) -> Bool {
        if name.hasPrefix("o1-mini") || name.hasPrefix("o3-mini") || name.hasPrefix("gpt-3.5") { return false }
        return [
            "gpt-4o", "gpt-4.1", "gpt-4-turbo", "gpt-4-vision", "gpt-5", "chatgpt-4o", "claude-3", "claude-sonnet-4",
            "claude-opus-4", "claude-haiku-4", "gemini", "vision", "-vl", "vl-", "pixtral", "llava", "grok-4",
        ]
        .contains(where: name.contains) || ["o1", "o3", "o4"].contains(where: name.hasPrefix)
    }

    static func toolsByName(_ name: String) -> Bool {
        if name.hasPrefix("o1-mini") || name.hasPrefix("o1-preview") { return false }
        return [
            "gpt-4", "gpt-3.5-turbo", "gpt-5", "claude-3", "claude-sonnet", "claude-opus", "claude-haiku", "gemini",
            "mistral-large", "mistral-medium", "mistral-small", "command-r", "qwen", "deepseek-chat", "deepseek-v3",
            "llama-3.1", "llama-3.3", "llama-4", "grok", "kimi", "glm-4",
        ]
        .contains(where: name.contains) || ["o1", "o3", "o4"].contains(where: name.hasPrefix)
    }

    static func reasoningByName(_ name: String) -> Bool {
        ["o1", "o3", "o4"].contains(where: name.hasPrefix)
            || [
                "gpt-5", "deepseek-r1", "reasoner", "thinking", "qwq", "claude-3.7", "claude-3-7", "claude-sonnet-4",
                "claude-opus-4", "claude-haiku-4", "gemini-2.5", "gemini-3", "grok-3-mini", "grok-4", "-r1",
            ]
            .contains(where: name.contains)
    }

    static func jsonModeByName(_ name: String) -> Bool {
        ["gpt-4o", "gpt-4.1", "gpt-4-turbo", "gpt-5", "gpt-3.5-turbo", "gemini", "mistral", "deepseek-chat", "deepseek-v3"]
            .contains(where: name.contains) || ["o1", "o3", "o4"].contains(where: name.hasPrefix)
    }
}
