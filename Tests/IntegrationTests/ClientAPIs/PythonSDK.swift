import Foundation
import FunctionHost
import TestSupport
import XCTest

/// A venv with the official Python SDKs (from PyPI), made once per test process, and the
/// scripts in `SDK/` run with it.
enum PythonSDK {
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
        let venv = NSTemporaryDirectory() + "gateway-sdk-venv-\(getpid())"
        try run(python, ["-m", "venv", venv], log: venv + ".log")
        do {
            try run("\(venv)/bin/pip", ["install", "--quiet", "--disable-pip-version-check", "openai", "anthropic"], log: venv + "-pip.log")
        } catch {
            if SystemTool.runningInCI { throw error }
            throw XCTSkip("PyPI is not reachable here: \(error)")
        }
        made = "\(venv)/bin/python"
        return made!
    }

    /// Runs `SDK/<script>` and returns what it printed.
    static func runScript(_ script: String, _ arguments: [String], log: String) throws -> String {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SDK/\(script)").path
        try run(try python(), [path] + arguments, log: log)
        return try String(contentsOfFile: log, encoding: .utf8)
    }

    static func run(_ executable: String, _ arguments: [String], log: String) throws {
        let child = try ChildProcess.spawn(
            executable: executable, arguments: arguments, environment: ProcessInfo.processInfo.environment, stdio: .logFile(log))
        let status = child.wait()
        guard status == 0 else {
            throw TestFailure("\(executable) \(arguments.first ?? "") exited \(status): \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
    }
}
