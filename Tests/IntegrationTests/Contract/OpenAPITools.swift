import Foundation
import FunctionHost
import TestSupport
import XCTest

/// A venv with schemathesis and openapi-spec-validator (from PyPI), made once per test process, and
/// the scripts in `OpenAPI/` run with it.
enum OpenAPITools {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var made: String?

    /// The venv's python; skips (outside CI) where python3 or PyPI is missing.
    static func python() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        guard let python = SystemTool.find("python3") else {
            if SystemTool.runningInCI { throw TestFailure("python3 must be installed in CI (deploy/install-debian-packages.sh)") }
            throw XCTSkip("python3 is not installed")
        }
        let venv = NSTemporaryDirectory() + "gateway-openapi-venv-\(getpid())"
        try PythonSDK.run(python, ["-m", "venv", venv], log: venv + ".log")
        do {
            try PythonSDK.run(
                "\(venv)/bin/pip", ["install", "--quiet", "--disable-pip-version-check", "schemathesis", "openapi-spec-validator"],
                log: venv + "-pip.log")
        } catch {
            if SystemTool.runningInCI { throw error }
            throw XCTSkip("PyPI is not reachable here: \(error)")
        }
        made = "\(venv)/bin/python"
        return made!
    }

    /// A file of `OpenAPI/` (scripts, schemathesis' configuration).
    static func file(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("OpenAPI/\(name)").path
    }

    /// The repository's spec.
    static var spec: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml").path
    }

    /// Runs `OpenAPI/<script>` with `environment` added (tokens go there, never on a command line) and returns what it printed.
    static func runScript(_ script: String, _ arguments: [String], environment: [String: String] = [:], log: String) throws -> String {
        let child = try ChildProcess.spawn(
            executable: try python(), arguments: [file(script)] + arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, stdio: .logFile(log))
        let status = child.wait()
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard status == 0 else { throw TestFailure("\(script) exited \(status):\n\(output)") }
        return output
    }
}
