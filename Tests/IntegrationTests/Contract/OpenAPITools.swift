import Foundation
import FunctionHost
import TestSupport
import XCTest

/// schemathesis and openapi-spec-validator (from PyPI, in a venv of their own), and the scripts in
/// `OpenAPI/` run with them.
enum OpenAPITools {
    /// The venv's python; skips (outside CI) where python3 or PyPI is missing.
    static func python() throws -> String {
        try PythonVenv.python("openapi", packages: ["schemathesis", "openapi-spec-validator"])
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
