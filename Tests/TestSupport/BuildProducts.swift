import Foundation
import FunctionHost

/// The executables `swift build` put beside the test bundle.
package enum BuildProducts {
    package static var directory: String {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var url = testBinary.deletingLastPathComponent()
        // On Linux the bundle is .build/<config>/<name>PackageTests.xctest (a file).
        if url.lastPathComponent.hasSuffix(".xctest") { url.deleteLastPathComponent() }
        return url.path
    }

    package static func path(_ name: String) -> String { "\(directory)/\(name)" }
}

/// Debian packages the integration tests start for real. Missing outside CI -> skip; in CI -> fail.
package enum SystemTool {
    package static func find(_ name: String) -> String? {
        for directory in ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/usr/lib/postgresql/15/bin"] {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    package static var runningInCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Runs a system command to completion (output to the test's stderr); true when it exited 0.
    @discardableResult
    package static func run(_ executable: String, _ arguments: [String]) -> Bool {
        guard
            let child = try? ChildProcess.spawn(
                executable: executable, arguments: arguments,
                environment: ProcessInfo.processInfo.environment, stdio: .inherit)
        else { return false }
        return child.wait() == 0
    }
}

package func epochMilliseconds() -> Int {
    Int((Date().timeIntervalSince1970 * 1000).rounded())
}

package func temporaryDirectory(_ label: String) throws -> String {
    let path = NSTemporaryDirectory() + "gateway-\(label)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
