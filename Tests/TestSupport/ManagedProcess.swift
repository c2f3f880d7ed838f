import Foundation
import FunctionHost
import FunctionRuntime

/// A server process a test starts and always stops (nginx, fcgiwrap, a FastCGI worker, local-runner),
/// with everything it forks: it leads its own process group.
package final class ManagedProcess {
    package let child: ChildProcess
    package let logPath: String
    private var stopped = false

    package init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, logPath: String) throws {
        self.logPath = logPath
        child = try ChildProcess.spawn(
            executable: executable, arguments: arguments,
            environment: environment ?? ProcessInfo.processInfo.environment,
            stdio: .logFile(logPath), newProcessGroup: true)
    }

    package var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    package func stop() {
        guard !stopped else { return }
        stopped = true
        child.stop(graceSeconds: 2)
    }

    deinit { stop() }

    /// Waits until something accepts connections at `address`.
    package static func waitUntilAccepting(_ address: SocketAddress, seconds: Double = 15) throws {
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
package struct CGIInvocation {
    package var executable: String
    package var environment: [String: String]
    package var body: [UInt8] = []
    /// Where the function's stderr (its log) goes; discarded when nil.
    package var errorLogPath: String?
    /// Command-line arguments (a script run the same way, e.g. deploy/scheduled-sync.sh under /bin/sh).
    package var arguments: [String] = []

    package init(executable: String, arguments: [String] = [], environment: [String: String], body: [UInt8] = [], errorLogPath: String? = nil) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.body = body
        self.errorLogPath = errorLogPath
    }

    package struct Result {
        package var status: Int32
        package var output: [UInt8]

        package init(status: Int32, output: [UInt8]) {
            self.status = status
            self.output = output
        }

        package var text: String { String(decoding: output, as: UTF8.self) }

        package var head: CGIResponseHead? { (try? CGIResponseHead.parse(output))?.head }
        package var body: [UInt8] {
            guard let (_, start) = try? CGIResponseHead.parse(output) else { return [] }
            return Array(output[start...])
        }
        package var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    }

    /// posix_spawn and waitpid rather than Foundation's Process, whose `waitUntilExit` polls its run
    /// loop every 50 ms: that alone added tens of milliseconds to every measured CGI request.
    package func run() throws -> Result {
        ProcessSignals.ignoreBrokenPipe()  // a function may answer (413) without reading the body
        let child = try ChildProcess.spawn(
            executable: executable, arguments: arguments, environment: environment,
            stdio: .pipesWithErrorLog(errorLogPath ?? "/dev/null"))
        // The body is written on its own thread: a function may write before it has read it all.
        let written = DispatchSemaphore(value: 0)
        let body = self.body, stdinFD = child.stdinFD
        NativeThread.detach {
            try? FileDescriptorIO.writeAll(stdinFD, body)
            close(stdinFD)
            written.signal()
        }
        let output = (try? FileDescriptorIO.readToEnd(child.stdoutFD, limit: 1 << 30)) ?? nil
        close(child.stdoutFD)
        written.wait()
        let status = child.wait()
        return Result(status: status, output: output ?? [])
    }
}
