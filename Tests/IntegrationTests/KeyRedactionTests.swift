import Foundation
import TestSupport
import XCTest

/// Upstreams that quote the key they were sent, whole and in pieces, in every field their real
/// error bodies have: no response of any function may carry 8 or more characters of it.
final class KeyRedactionTests: XCTestCase {
    private static let refusedKey = "sk-test-NEVER-LOGGED-echo-refused-5f2c8a1e9d3b7f4a6c0e"
    private static let acceptedKey = "sk-test-NEVER-LOGGED-echo-accepted-9a8b7c6d5e4f3a2b1c0d"

    /// The credential the request carried, however its provider sends it.
    private static func credential(_ request: MockUpstream.Received) -> String {
        let bearer = request.headers["authorization"].map { String($0.dropFirst("Bearer ".count)) }
        return bearer ?? request.headers["x-api-key"] ?? request.headers["x-goog-api-key"] ?? ""
    }

    /// The key whole, then cut the ways providers cut it: a prefix, a suffix, a middle, a split.
    private static func pieces(_ key: String) -> (whole: String, prefix: String, suffix: String, middle: String, split: String) {
        let bytes = Array(key.utf8)
        let middle = String(decoding: bytes[10..<20], as: UTF8.self)
        let split = String(decoding: bytes[0..<9], as: UTF8.self) + " " + String(decoding: bytes[9...], as: UTF8.self)
        return (key, String(key.prefix(12)), String(key.suffix(12)), middle, split)
    }

    private static func openAIError(_ key: String) -> String {
        let p = pieces(key)
        return
            #"{"error":{"message":"Incorrect API key provided: \#(p.whole) (\#(p.split))","type":"invalid_request_error \#(p.prefix)","param":"\#(p.middle)","code":"invalid_api_key:\#(p.suffix)"}}"#
    }

    private static func anthropicError(_ key: String) -> String {
        let p = pieces(key)
        return
            #"{"type":"error","error":{"type":"authentication_error:\#(p.middle)","message":"invalid x-api-key \#(p.whole) \#(p.suffix)"},"request_id":"req_\#(p.prefix)"}"#
    }

    private static func geminiError(_ key: String) -> String {
        let p = pieces(key)
        return
            #"{"error":{"code":400,"message":"API key not valid: \#(p.whole)","status":"INVALID_ARGUMENT:\#(p.prefix)","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID \#(p.middle)","metadata":{"key":"\#(p.split)"}}]}}"#
    }

    /// Every upstream route the functions call, answering with the caller's key quoted back.
    private func echoingMock() throws -> MockUpstream {
        try MockUpstream { request in
            let key = Self.credential(request)
            let path = request.path.split(separator: "?").first.map(String.init) ?? request.path
            let stream = request.json?["stream"]?.boolValue == true || request.path.contains("streamGenerateContent")
            let p = Self.pieces(key)
            switch path {
            case "/v1/chat/completions" where request.json?["model"] == "gpt-4o-plain":
                return .json(status: 500, body: "upstream crashed while checking \(p.whole) / \(p.suffix)")
            case "/v1/chat/completions" where stream:
                return .stream(events: [
                    #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#
                        + "\n\n",
                    "data: " + Self.openAIError(key) + "\n\n",
                ])
            case "/v1/chat/completions":
                return .json(status: 401, body: Self.openAIError(key))
            case "/openrouter/api/v1/chat/completions" where stream:
                return .stream(events: [
                    ": OPENROUTER PROCESSING\n\n",
                    #"data: {"error":{"message":"Provider returned error for \#(p.whole)","code":401,"metadata":{"raw":"\#(p.split)"}}}"# + "\n\n",
                ])
            case "/openrouter/api/v1/chat/completions":
                // OpenRouter answers some failures with 200 and an error body.
                return .json(
                    status: 200, body: #"{"error":{"message":"User not found for key \#(p.whole)","code":401,"metadata":{"raw":"\#(p.middle)"}}}"#)
            case "/anthropic/v1/messages" where stream:
                return .stream(events: [
                    "event: message_start\ndata: "
                        + #"{"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"claude-x","content":[],"usage":{"input_tokens":1,"output_tokens":1}}}"#
                        + "\n\n",
                    "event: error\ndata: " + Self.anthropicError(key) + "\n\n",
                ])
            case "/anthropic/v1/messages":
                return .json(status: 401, body: Self.anthropicError(key))
            case let google where google.hasPrefix("/google/"):
                return .json(status: 400, body: Self.geminiError(key))
            case _ where ["/v1/models", "/openrouter/api/v1/models"].contains(path) && key == Self.acceptedKey:
                // A listing that quotes the key: it is stored, and shown later without the key at hand.
                return .json(
                    status: 200,
                    body:
                        #"{"data":[{"id":"echo/model-1","name":"Echo \#(p.whole)","description":"for \#(p.split)","context_length":8192,"pricing":{"prompt":"0.000001","completion":"0.000002"}}]}"#
                )
            default:
                return .json(status: 401, body: Self.openAIError(key))
            }
        }
    }

    private func assertNoPieceOfAnyKey(_ text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        if let piece = keyPiece(in: text, of: [ChatTestbed.apiKey, Self.refusedKey, Self.acceptedKey]) {
            XCTFail("\(what): '\(piece)' of a key in the response: \(text.prefix(2000))", file: file, line: line)
        }
    }

    func testChatErrorsInEveryWireFormatStreamedOrNotNeverCarryTheKeyUnderCGI() throws {
        try chatErrorsInEveryWireFormatStreamedOrNotNeverCarryTheKey(.cgi)
    }

    func testChatErrorsInEveryWireFormatStreamedOrNotNeverCarryTheKeyUnderFastCGI() throws {
        try chatErrorsInEveryWireFormatStreamedOrNotNeverCarryTheKey(.fastcgi)
    }

    private func chatErrorsInEveryWireFormatStreamedOrNotNeverCarryTheKey(_ mode: ChatTestbed.Mode) throws {
        let bed = try ChatTestbed(mode)
        let mock = try echoingMock()
        try bed.connect("openai", to: mock.baseURL + "/v1")
        try bed.connect("openrouter", to: mock.baseURL + "/openrouter/api/v1")
        try bed.connect("anthropic", to: mock.baseURL + "/anthropic")
        try bed.connect("google", to: mock.baseURL + "/google/v1beta")
        try bed.listModel("gpt-4o-mini", on: "openai")
        try bed.listModel("gpt-4o-plain", on: "openai")
        try bed.listModel("meta/echo-1", on: "openrouter")
        try bed.listModel("claude-x", on: "anthropic")
        try bed.listModel("gemini-2.0-flash", on: "google")
        for model in ["gpt-4o-mini", "gpt-4o-plain", "meta/echo-1", "claude-x", "gemini-2.0-flash"] {
            for stream in [false, true] {
                let result = try bed.chat(ChatTestbed.request(model, stream: stream))
                XCTAssertNotEqual(result.head?.status, 500, "\(mode) \(model) stream=\(stream): \(result.text)")
                XCTAssertTrue(
                    result.text.contains("[redacted]"), "\(mode) \(model) stream=\(stream): the upstream's words are kept, masked: \(result.text)"
                )
                assertNoPieceOfAnyKey(result.text, "\(mode) \(model) stream=\(stream)")
            }
        }
        XCTAssertEqual(try bed.rows(waitingFor: 10).count, 10)
    }

    func testProviderKeyChecksSyncAndDiscoveryNeverCarryTheKey() throws {
        let gateway = try GatewayTestEnvironment(label: "key-echo")
        let mock = try echoingMock()
        try gateway.setBaseURL("openai", mock.baseURL + "/v1")
        try gateway.setBaseURL("openrouter", mock.baseURL + "/openrouter/api/v1")
        let token = try gateway.token("user-echo")
        func call(_ function: String, _ method: String, _ path: String, _ body: String = "") throws -> CGIInvocation.Result {
            let result = try gateway.invoke(function, method, path, body: body, token: token)
            assertNoPieceOfAnyKey(result.text, "\(function) \(method) \(path)")
            XCTAssertNotEqual(result.head?.status, 500, result.text)
            return result
        }

        let refused = try call("providers", "POST", "/", #"{"provider":"openai","api_key":"\#(Self.refusedKey)"}"#)
        XCTAssertEqual(refused.head?.status, 400, refused.text)
        XCTAssertTrue(refused.text.contains("Incorrect API key"), "the provider's reason is kept: \(refused.text)")
        let added = try call("providers", "POST", "/", #"{"provider":"openrouter","api_key":"\#(Self.acceptedKey)"}"#)
        XCTAssertEqual(added.head?.status, 201, added.text)
        let id = try XCTUnwrap((added.json?["id"] as? String))
        let unvalidated = try call("providers", "POST", "/", #"{"provider":"openai","api_key":"\#(Self.refusedKey)","validate":false}"#)
        let openaiID = try XCTUnwrap((unvalidated.json?["id"] as? String), unvalidated.text)

        XCTAssertEqual(try call("providers", "PUT", "/\(id)", #"{"api_key":"\#(Self.refusedKey)x"}"#).head?.status, 400)
        let tested = try call("providers", "POST", "/\(openaiID)/test")
        XCTAssertEqual(tested.head?.status, 200, tested.text)
        XCTAssertEqual(tested.json?["ok"] as? Bool, false)

        let synced = try call("sync-models", "POST", "/", "{}")
        XCTAssertTrue(synced.text.contains("invalid_provider_key"), "openai's refusal is reported: \(synced.text)")
        let models = try call("providers", "GET", "/\(id)/models")
        XCTAssertTrue(models.text.contains("echo/model-1"), "the listing was stored, with the key masked: \(models.text)")
        _ = try call("models", "GET", "/discover")
        _ = try call("models", "GET", "/")
    }
}
