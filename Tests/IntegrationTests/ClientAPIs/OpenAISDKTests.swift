import Foundation
import FunctionHost
import FunctionRuntime
import TestSupport
import XCTest

/// The official OpenAI Python SDK (from PyPI, in the venv `PythonSDK` makes) against local-runner: chat completions.
final class OpenAISDKTests: XCTestCase {
    func testTheOpenAIPythonSDKWorksUnchanged() throws {
        _ = try PythonSDK.python()
        let bed = try ChatTestbed()
        let mock = try MockUpstream { request in
            request.json?["stream"] == true
                ? .stream(events: ProviderWire.openAIStream(["a", "b", "c"], model: "gpt-4o", prompt: 3, completion: 3))
                : .json(status: 200, body: ProviderWire.openAICompletion("plain", model: "gpt-4o", prompt: 2, completion: 1))
        }
        try bed.connect("openai", to: mock.baseURL + "/v1")
        try bed.listModel("gpt-4o", on: "openai")
        let port = try Socket.freeLoopbackPort()
        let runner = try ManagedProcess(
            BuildProducts.path("local-runner"),
            ["serve", "--port", String(port), "--mode", "fastcgi", "--data-dir", "\(bed.gateway.directory)/.data"],
            environment: ProcessInfo.processInfo.environment.merging(bed.gateway.variables) { $1 },
            logPath: "\(bed.gateway.directory)/runner.log")
        defer { runner.stop() }
        try ManagedProcess.waitUntilAccepting(.tcp(host: "127.0.0.1", port: port))

        let text = try PythonSDK.runScript(
            "openai_sdk_check.py", ["http://127.0.0.1:\(port)/functions/v1/v1-chat/v1", bed.token, "gpt-4o"], log: "\(bed.gateway.directory)/sdk.log")
        XCTAssertTrue(text.contains("ok"), text)
        print("figure: \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
        XCTAssertEqual(try bed.rows().count, 5, "one row per SDK request: create, two streams, list, the 404 (the 401 has no user)")
    }
}
