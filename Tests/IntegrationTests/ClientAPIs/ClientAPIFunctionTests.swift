import Foundation
import FunctionRuntime
import GatewayProviders
import GatewayStore
import TestSupport
import XCTest

/// The client APIs through the real v1-chat worker: failures in each API's own shapes, and the row
/// each request leaves.
final class ClientAPIFunctionTests: XCTestCase {
    /// (event name, parsed data) of an SSE body.
    private func events(_ response: HTTPTestClient.TimedResponse) -> [(name: String?, data: JSONValue)] {
        var parser = SSEParser()
        return (parser.feed(response.body) + parser.flush()).compactMap { event in
            (try? JSONValue.parse(Array(event.data.utf8))).map { (event.event, $0) }
        }
    }

    func testAMessagesStreamThatFailsUpstreamEndsWithAnErrorEventAndAMarkedRow() throws {
        let world = try ClientAPITestbed()
        let response = try world.post(
            "/v1/messages", #"{"model":"gpt-4o-fails","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"#)
        XCTAssertEqual(response.status, 200)
        let events = events(response)
        XCTAssertEqual(events.first?.name, "message_start")
        XCTAssertEqual(events.last?.name, "error")
        XCTAssertEqual(events.last?.data["type"], "error")
        XCTAssertEqual(events.last?.data["error"]?["type"], "api_error")
        XCTAssertFalse(response.text.contains("[DONE]"), "Anthropic streams have no [DONE]")
        let row = try XCTUnwrap(try world.bed.rows(waitingFor: 1).first)
        XCTAssertEqual(row.api, .messages)
        XCTAssertEqual(row.status, .upstreamAborted)
        XCTAssertEqual(row.errorCode, "upstream_error")
    }

    func testAResponsesStreamThatFailsUpstreamEndsWithResponseFailedAndAMarkedRow() throws {
        let world = try ClientAPITestbed()
        let response = try world.post("/v1/responses", #"{"model":"gpt-4o-fails","stream":true,"input":"Hi"}"#)
        XCTAssertEqual(response.status, 200)
        let events = events(response)
        XCTAssertEqual(events.first?.name, "response.created")
        XCTAssertEqual(events.last?.name, "response.failed")
        XCTAssertEqual(events.last?.data["response"]?["status"], "failed")
        XCTAssertEqual(events.last?.data["response"]?["error"]?["code"], "upstream_error")
        let row = try XCTUnwrap(try world.bed.rows(waitingFor: 1).first)
        XCTAssertEqual(row.api, .responses)
        XCTAssertEqual(row.status, .upstreamAborted)
    }

    /// Garbage, an empty object, a wrong type: 400 in the path's own error shape, one row each, never a 5xx.
    func testBadInputOnEveryClientAPIIsA400InItsOwnShape() throws {
        let world = try ClientAPITestbed()
        let bodies = ["not json", "{}", "[]", #"{"model":"gpt-4o","messages":"x","input":7,"max_tokens":"many"}"#]
        let paths: [(String, ClientAPI)] = [
            ("/v1/messages", .messages), ("/messages", .messages), ("/v1/messages/count_tokens", .countTokens),
            ("/v1/responses", .responses), ("/responses", .responses), ("/v1/embeddings", .embeddings),
        ]
        for (path, _) in paths {
            for body in bodies {
                let response = try world.post(path, body)
                XCTAssertEqual(response.status, 400, "\(path) \(body): \(response.text)")
                let json = try JSONValue.parse(response.body)
                if path.contains("/messages") {
                    XCTAssertEqual(json["type"], "error", "\(path) \(body)")
                    XCTAssertEqual(json["error"]?["type"], "invalid_request_error", "\(path) \(body)")
                } else {
                    XCTAssertEqual(json["error"]?["type"], "invalid_request_error", "\(path) \(body)")
                    XCTAssertNotNil(json["error"]?["code"]?.stringValue, "\(path) \(body)")
                }
            }
        }
        let rows = try world.bed.rows(waitingFor: paths.count * bodies.count)
        XCTAssertEqual(rows.count, paths.count * bodies.count)
        for (path, api) in paths {
            XCTAssertEqual(rows.filter { $0.api == api }.count, paths.filter { $0.1 == api }.count * bodies.count, path)
        }
    }

    func testTheAnthropicPathsAnswerAMissingTokenInAnthropicsShape() throws {
        let world = try ClientAPITestbed()
        let response = try world.client.request(
            "POST", "/functions/v1/v1-chat/v1/messages", headers: ["x-api-key": "", "Content-Type": "application/json"],
            body: Array(#"{"model":"gpt-4o","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}"#.utf8))
        XCTAssertEqual(response.status, 401)
        XCTAssertEqual(try JSONValue.parse(response.body)["error"]?["type"], "authentication_error")
        XCTAssertEqual(try JSONValue.parse(response.body)["type"], "error")
    }

    /// Agents append `?beta=true` and send `anthropic-beta`; the latter reaches Anthropic upstreams only.
    func testBetaMessagesRequestsAreServedAndTheBetaHeaderReachesOnlyAnthropic() throws {
        let world = try ClientAPITestbed()
        for model in ["claude-sonnet-4-5", "gpt-4o"] {
            let response = try world.post(
                "/v1/messages?beta=true", #"{"model":"\#(model)","max_tokens":20,"messages":[{"role":"user","content":"Hi"}]}"#,
                headers: ["anthropic-beta": "interleaved-thinking-2025-05-14", "anthropic-version": "2023-06-01"])
            XCTAssertEqual(response.status, 200, response.text)
            XCTAssertEqual(try JSONValue.parse(response.body)["type"], "message")
        }
        let received = world.mock.requests
        let anthropic = try XCTUnwrap(received.first { $0.path.hasPrefix("/anthropic") })
        let openAI = try XCTUnwrap(received.first { $0.path.hasPrefix("/openai") })
        XCTAssertEqual(anthropic.headers["anthropic-beta"], "interleaved-thinking-2025-05-14")
        XCTAssertNil(openAI.headers["anthropic-beta"])
        XCTAssertFalse(String(decoding: openAI.body, as: UTF8.self).contains("anthropic"), "nothing Anthropic-only goes to OpenAI")
    }

    func testTheModelListTakesAnthropicsShapeWhenAskedInAnthropicsWay() throws {
        let world = try ClientAPITestbed()
        let anthropic = try world.client.request(
            "GET", "/functions/v1/v1-chat/v1/models", headers: ["x-api-key": world.bed.token, "anthropic-version": "2023-06-01"])
        let list = try JSONValue.parse(anthropic.body)
        XCTAssertEqual(list["has_more"], false)
        XCTAssertEqual(list["data"]?[0]?["type"], "model")
        XCTAssertNotNil(list["first_id"]?.stringValue)
        let openAI = try world.client.request("GET", "/functions/v1/v1-chat/v1/models", headers: ["Authorization": "Bearer \(world.bed.token)"])
        XCTAssertEqual(try JSONValue.parse(openAI.body)["object"], "list")
    }
}
