import Foundation
import FunctionHost
import FunctionRuntime
import TestSupport
import XCTest

/// The official OpenAI Python SDK (from PyPI, in a venv this test creates) against local-runner.
final class OpenAISDKTests: XCTestCase {
    func testTheOpenAIPythonSDKWorksUnchanged() throws {
        guard let python = SystemTool.find("python3") else {
            if SystemTool.runningInCI { throw TestFailure("python3 must be installed in CI (deploy/install-debian-packages.sh)") }
            throw XCTSkip("python3 is not installed")
        }
        let bed = try ChatTestbed()
        let venv = "\(bed.gateway.directory)/venv"
        try run(python, ["-m", "venv", venv], log: "\(bed.gateway.directory)/venv.log")
        do {
            try run("\(venv)/bin/pip", ["install", "--quiet", "--disable-pip-version-check", "openai"], log: "\(bed.gateway.directory)/pip.log")
        } catch {
            if SystemTool.runningInCI { throw error }
            throw XCTSkip("PyPI is not reachable here: \(error)")
        }

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

        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("SDK/openai_sdk_check.py").path
        let output = "\(bed.gateway.directory)/sdk.log"
        try run("\(venv)/bin/python", [script, "http://127.0.0.1:\(port)/functions/v1/v1-chat/v1", bed.token, "gpt-4o"], log: output)
        let text = try String(contentsOfFile: output, encoding: .utf8)
        XCTAssertTrue(text.contains("ok"), text)
        print("figure: \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
        XCTAssertEqual(try bed.rows().count, 5, "one row per SDK request: create, two streams, list, the 404 (the 401 has no user)")
    }

    private func run(_ executable: String, _ arguments: [String], log: String) throws {
        let child = try ChildProcess.spawn(
            executable: executable, arguments: arguments,
            environment: ProcessInfo.processInfo.environment, stdio: .logFile(log))
        let status = child.wait()
        guard status == 0 else {
            throw TestFailure("\(executable) \(arguments.first ?? "") exited \(status): \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
    }
}
