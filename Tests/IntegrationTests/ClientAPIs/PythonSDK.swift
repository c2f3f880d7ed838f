import Foundation
import FunctionHost
import TestSupport
import XCTest

/// The official Python SDKs (from PyPI, in a venv of their own), and the scripts in `SDK/` run with them.
enum PythonSDK {
    /// The venv's python; skips (outside CI) where python3 or PyPI is missing.
    static func python() throws -> String {
        try PythonVenv.python("sdk", packages: ["openai", "anthropic"])
    }

    /// Runs `SDK/<script>` and returns what it printed.
    static func runScript(_ script: String, _ arguments: [String], log: String) throws -> String {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SDK/\(script)").path
        try PythonVenv.run(try python(), [path] + arguments, log: log)
        return try String(contentsOfFile: log, encoding: .utf8)
    }
}
