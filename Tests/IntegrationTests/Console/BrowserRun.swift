import Foundation
import FunctionHost
import TestSupport
import XCTest

/// Runs Console/console_browser_check.py: Python with selenium (from PyPI, in a venv of its own)
/// driving Debian's chromium through Debian's chromium-driver.
struct BrowserRun {
    let python: String
    let chromium: String
    let driver: String

    /// Skips locally when a piece is missing; in CI a missing piece is a failure.
    init() throws {
        guard SystemTool.find("python3") != nil, let chromium = SystemTool.find("chromium"), let driver = SystemTool.find("chromedriver")
        else {
            if SystemTool.runningInCI {
                throw TestFailure("python3, chromium and chromium-driver must be installed in CI (deploy/install-debian-packages.sh)")
            }
            throw XCTSkip("chromium, chromium-driver or python3 is not installed")
        }
        self.python = try PythonVenv.python("selenium", packages: ["selenium>=4.20,<5"])
        self.chromium = chromium
        self.driver = driver
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("console_browser_check.py").path

    /// Runs the script with `settings` added to the environment; returns its exit status and output.
    func run(_ settings: [String: String], log: String) throws -> (status: Int32, output: String, seconds: Double) {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(settings) { $1 }
        environment.merge(["CHROMIUM": chromium, "CHROMEDRIVER": driver, "RUN_SECONDS": "300"]) { $1 }
        let started = Date()
        let child = try ChildProcess.spawn(executable: python, arguments: [Self.script], environment: environment, stdio: .logFile(log))
        let status = child.wait()
        return (status, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "", Date().timeIntervalSince(started))
    }

    /// A folder kept after the run (`GATEWAY_TEST_ARTIFACTS`, set by Tests/run-tests.sh), else a temporary one.
    static func artifacts(_ name: String) -> String {
        let root = ProcessInfo.processInfo.environment["GATEWAY_TEST_ARTIFACTS"] ?? NSTemporaryDirectory() + "gateway-test-artifacts"
        let path = "\(root)/\(name)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
