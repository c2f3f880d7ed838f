import Foundation
import Shared

/// A server process a test starts and always stops (nginx, fcgiwrap, a FastCGI worker, local-runner).
final class ManagedProcess {
    let process = Process()
    let logPath: String

    init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, logPath: String) throws {
        self.logPath = logPath
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    /// Waits until something accepts connections at `address`.
    static func waitUntilAccepting(_ address: SocketAddress, seconds: Double = 15) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let fd = try? Socket.connect(to: address) {
                close(fd)
                return
            }
            usleep(25_000)
        }
        throw TestFailure("nothing accepted connections at \(address) within \(seconds)s")
    }
}

/// Runs a function executable once through the CGI contract, with pipes the test controls.
struct CGIInvocation {
    var executable: String
    var environment: [String: String]
    var body: [UInt8] = []

    struct Result {
        var status: Int32
        var output: [UInt8]
        var text: String { String(decoding: output, as: UTF8.self) }

        var head: CGIResponseHead? { (try? CGIResponseHead.parse(output))?.head }
        var body: [UInt8] {
            guard let (_, start) = try? CGIResponseHead.parse(output) else { return [] }
            return Array(output[start...])
        }
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    }

    func run() throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        try stdin.fileHandleForWriting.write(contentsOf: Data(body))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: Array(output))
    }
}
