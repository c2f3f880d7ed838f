import Foundation
import FunctionHost
import FunctionRuntime
import GatewayStore

/// A throwaway PostgreSQL cluster (Debian's `postgresql` binaries) for the test process: started
/// once on a free loopback port under a temp dir, stopped at exit. Tests get a fresh database each,
/// owned by an ordinary role (`gateway`): a superuser would bypass row-level security.
package final class PostgresTestServer: @unchecked Sendable {
    package let port: UInt16
    /// Where it listens: loopback, or its own address on a test network.
    package let host: String
    package let directory: String
    private var process: ManagedProcess
    private let launch: (String, [String])

    private static let startLock = NSLock()
    nonisolated(unsafe) private static var started: Result<PostgresTestServer, any Error>?

    /// The shared server; `nil` (skip) only outside CI when PostgreSQL is not installed.
    package static func shared() throws -> PostgresTestServer? {
        startLock.lock()
        defer { startLock.unlock() }
        if let started { return try started.get() }
        guard let binaries = binaryDirectory() else {
            if SystemTool.runningInCI { throw TestFailure("PostgreSQL is not installed (deploy/install-debian-packages.sh installs it)") }
            return nil
        }
        let result = Result { try PostgresTestServer(binaries: binaries) }
        started = result
        if case .success = result {
            atexit { PostgresTestServer.stopAtExit() }
        }
        return try result.get()
    }

    private static func stopAtExit() {
        if case .success(let server) = started { server.process.stop() }
    }

    static func binaryDirectory() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        return versions.reversed().map { "\(root)/\($0)/bin" }.first {
            FileManager.default.isExecutableFile(atPath: "\($0)/postgres")
        }
    }

    /// - Parameter host: a test network's host to run on (its namespace and address); loopback when nil.
    private init(binaries: String, on networkHost: TestNetwork.Host? = nil) throws {
        directory = try temporaryDirectory("postgres")
        port = networkHost == nil ? try Socket.freeLoopbackPort() : 5432
        host = networkHost?.address ?? "127.0.0.1"
        let data = "\(directory)/data"
        // initdb and postgres refuse to run as root: run them as Debian's `postgres` user then.
        let asRoot = getuid() == 0
        func command(_ tool: String, _ arguments: [String]) -> (String, [String]) {
            asRoot ? ("/usr/sbin/runuser", ["-u", "postgres", "--", "\(binaries)/\(tool)"] + arguments) : ("\(binaries)/\(tool)", arguments)
        }
        if asRoot {
            try Self.run("/bin/chown", ["postgres:postgres", directory])
        }
        let (initdb, initArguments) = command(
            "initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"])
        try Self.run(initdb, initArguments, log: "\(directory)/initdb.log")
        if let networkHost {
            // The test network's hosts (and the test, on the bridge) connect as on a private network.
            let rule = "host all all \(networkHost.network.prefix).0/24 trust\n"
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(data)/pg_hba.conf"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(rule.utf8))
            try handle.close()
        }
        let (postgres, arguments) = command(
            "postgres",
            [
                "-D", data, "-p", String(port), "-k", directory, "-c", "listen_addresses=\(host)",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200",
            ])
        launch = networkHost?.command(postgres, arguments) ?? (postgres, arguments)
        process = try ManagedProcess(launch.0, launch.1, logPath: "\(directory)/postgres.log")
        try waitUntilReady()
        let admin = try PostgresConnection(url: adminURL(database: "postgres"))
        try admin.execute("CREATE ROLE gateway LOGIN NOSUPERUSER NOBYPASSRLS")
    }

    /// A server of the test's own, which it may stop and start (an outage must not hit the other tests).
    /// `nil` only outside CI when PostgreSQL is not installed. Stopped when the process exits.
    package static func dedicated() throws -> PostgresTestServer? {
        guard let binaries = binaryDirectory() else {
            if SystemTool.runningInCI { throw TestFailure("PostgreSQL is not installed (deploy/install-debian-packages.sh installs it)") }
            return nil
        }
        return try PostgresTestServer(binaries: binaries)
    }

    /// A server of the test's own on a host of a test network, listening on the host's address.
    package static func on(_ host: TestNetwork.Host) throws -> PostgresTestServer {
        guard let binaries = binaryDirectory() else {
            throw TestFailure("PostgreSQL is not installed (deploy/install-debian-packages.sh installs it)")
        }
        return try PostgresTestServer(binaries: binaries, on: host)
    }

    /// A fast shutdown (SIGINT to the postmaster): connections are cut, as in a crash or a failover.
    /// (A plain SIGTERM is a smart shutdown, which waits for every client to leave.)
    package func stop() {
        let pidFile = "\(directory)/data/postmaster.pid"
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.split(separator: "\n").first ?? "") {
            kill(pid, SIGINT)
            let deadline = Date().addingTimeInterval(15)
            while FileManager.default.fileExists(atPath: pidFile), Date() < deadline { usleep(20_000) }
        }
        process.stop()
    }

    /// Starts the stopped server again on the same port and data.
    package func start() throws {
        process = try ManagedProcess(launch.0, launch.1, logPath: "\(directory)/postgres.log")
        try waitUntilReady()
    }

    deinit { process.stop() }

    /// The shared server, which this run cannot do without.
    package static func required() throws -> PostgresTestServer {
        guard let server = try shared() else { throw TestFailure("GATEWAY_TEST_BACKEND=postgres, but PostgreSQL is not installed") }
        return server
    }

    /// A new, empty database owned by the `gateway` role; its URL.
    package func createDatabase() throws -> String {
        let name = "test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try PostgresConnection(url: adminURL(database: "postgres"))
        try admin.execute("CREATE DATABASE \(name) OWNER gateway")
        return "postgres://gateway@\(host):\(port)/\(name)"
    }

    package func adminURL(database: String) -> String {
        "postgres://postgres@\(host):\(port)/\(database)"
    }

    private func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(30)
        var lastError: (any Error)?
        while Date() < deadline {
            do {
                _ = try PostgresConnection(url: adminURL(database: "postgres"))
                return
            } catch {
                lastError = error
                usleep(100_000)
            }
        }
        throw TestFailure("PostgreSQL did not start: \(lastError.map { "\($0)" } ?? "") \(process.log)")
    }

    private static func run(_ executable: String, _ arguments: [String], log: String? = nil) throws {
        let child = try ChildProcess.spawn(
            executable: executable, arguments: arguments,
            environment: ProcessInfo.processInfo.environment,
            stdio: log.map { .logFile($0) } ?? .inherit)
        let status = child.wait()
        guard status == 0 else {
            let output = log.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
            throw TestFailure("\(executable) \(arguments.joined(separator: " ")) exited \(status): \(output)")
        }
    }
}
