/// `v1-chat`: the OpenAI-compatible chat endpoint and model list.
public enum ChatFunction: GatewayFunction {
    public static let name = "v1-chat"

    public static func routes(_ router: inout Router<FunctionContext>) {
        for path in ["/", "/chat/completions", "/v1/chat/completions"] {
            router.notImplemented("POST", path, "Chat completions (v1-chat)")
        }
        for path in ["/models", "/v1/models"] {
            router.notImplemented("GET", path, "The model list (v1-chat)")
        }
    }
}
