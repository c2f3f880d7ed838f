import Foundation
import FunctionHost
import TestSupport
import XCTest

/// Python virtual environments with packages from PyPI, one for each name (the official SDKs, schemathesis,
/// selenium), made once under the run's temporary folder and shared by its SQLite and PostgreSQL passes.
enum PythonVenv {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var made: [String: String] = [:]

    /// The python of the venv `name` with `packages`; skips (outside CI) where python3 or PyPI is missing.
    static func python(_ name: String, packages: [String]) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let python = made[name] { return python }
        guard let python = SystemTool.find("python3") else {
            if SystemTool.runningInCI { throw TestFailure("python3 must be installed in CI (deploy/install-debian-packages.sh)") }
            throw XCTSkip("python3 is not installed")
        }
        let venv = NSTemporaryDirectory() + "gateway-\(name)-venv"
        // Made whole by an earlier pass (the marker is written last).
        if !FileManager.default.fileExists(atPath: "\(venv)/installed") {
            try? FileManager.default.removeItem(atPath: venv)
            try run(python, ["-m", "venv", venv], log: venv + ".log")
            do {
                try run("\(venv)/bin/pip", ["install", "--quiet", "--disable-pip-version-check"] + packages, log: venv + "-pip.log")
            } catch {
                if SystemTool.runningInCI { throw error }
                throw XCTSkip("PyPI is not reachable here: \(error)")
            }
            FileManager.default.createFile(atPath: "\(venv)/installed", contents: Data(packages.joined(separator: "\n").utf8))
        }
        made[name] = "\(venv)/bin/python"
        return "\(venv)/bin/python"
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
