import Foundation
import FunctionRuntime
import TestSupport

/// A web server from Debian's packages in front of the five functions, configured from its
/// templates in deploy/<server>/ with only their placeholders filled in: FastCGI workers behind
/// it, or the executables run as CGI (through fcgiwrap for nginx). The functions' user has an
/// OpenAI key pointing at a mock upstream that answers `ok`, or streams `chunks` chunks 100 ms apart.
final class WebServerDeployment {
    enum Server: String, CaseIterable, Sendable { case nginx, apache, lighttpd, caddy }
    enum Contract: String, Sendable { case cgi, fastcgi }

    struct Setup: Sendable, CustomStringConvertible {
        var server: Server
        var contract: Contract
        var description: String { "\(server.rawValue) \(contract.rawValue)" }

        /// Every server with every contract it has (Debian's Caddy has no CGI).
        static let all: [Setup] = Server.allCases.flatMap { server in
            (server == .caddy ? [Contract.fastcgi] : [.cgi, .fastcgi]).map { Setup(server: server, contract: $0) }
        }
    }

    static let functions = ["v1-chat", "sync-models", "usage-stats", "providers", "models"]
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../..").standardized.path
    static let consoleDirectory = "\(repository)/console"

    let setup: Setup
    let bed: ChatTestbed
    let mock: MockUpstream
    let client: HTTPTestClient
    let directory: String
    private var processes: [ManagedProcess] = []

    init(_ setup: Setup, chunks: Int = 5) throws {
        self.setup = setup
        (bed, mock) = try ChatTestbed.connectedToOpenAIMock(.cgi, chunks: chunks)
        directory = try temporaryDirectory("web-\(setup.server.rawValue)")
        let port = try Socket.freeLoopbackPort()
        client = HTTPTestClient(port: port)
        do {
            try start(port: port)
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    func stop() {
        processes.reversed().forEach { $0.stop() }
        processes = []
    }

    private var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.merging(bed.gateway.variables) { $1 }
        environment["GATEWAY_LOG_LEVEL"] = "info"
        // Caddy keeps its state under these; nothing of it outlives the test.
        environment["HOME"] = directory
        environment["XDG_DATA_HOME"] = directory
        environment["XDG_CONFIG_HOME"] = directory
        return environment
    }

    /// Apache will not serve as root: its children (and so the CGI processes) run as www-data,
    /// which must reach the workers' sockets and, under CGI, own the SQLite database.
    private var apacheUser: String? { getuid() == 0 ? "www-data" : nil }

    private func start(port: UInt16) throws {
        let sockets = "\(directory)/sockets"
        try FileManager.default.createDirectory(atPath: sockets, withIntermediateDirectories: true)
        if setup.contract == .fastcgi {
            for name in Self.functions {
                processes.append(
                    try ManagedProcess(
                        BuildProducts.path(name), ["--fastcgi", "\(sockets)/\(name).sock"],
                        environment: environment, logPath: "\(directory)/\(name).log"))
            }
            for name in Self.functions {
                try ManagedProcess.waitUntilAccepting(.unix(path: "\(sockets)/\(name).sock"))
                chmod("\(sockets)/\(name).sock", 0o666)
            }
        }
        let fcgiwrapSocket = "\(directory)/fcgiwrap.sock"
        if setup.server == .nginx, setup.contract == .cgi {
            processes.append(
                try ManagedProcess(
                    try Self.tool("fcgiwrap"), ["-c", "4", "-s", "unix:\(fcgiwrapSocket)"],
                    environment: environment, logPath: "\(directory)/fcgiwrap.log"))
            try ManagedProcess.waitUntilAccepting(.unix(path: fcgiwrapSocket))
        }
        if let apacheUser, setup.server == .apache, setup.contract == .cgi {
            try Self.giveDatabase(of: bed.gateway, to: apacheUser)
        }
        let (functionsDirectory, consoleDirectory) = try servedFolders()
        let values = [
            "@FUNCTIONS@": Self.functions.joined(separator: "|"), "@FUNCTIONS_DIR@": functionsDirectory,
            "@SOCKET_DIR@": sockets, "@FCGIWRAP_SOCKET@": fcgiwrapSocket, "@CONSOLE_DIR@": consoleDirectory,
        ]
        let configuration = try WebServerConfiguration(
            server: setup.server, contract: setup.contract, directory: directory, port: port, values: values, apacheUser: apacheUser)
        try configuration.write()
        processes.append(
            try ManagedProcess(
                try Self.tool(configuration.executable), configuration.arguments,
                environment: environment, logPath: "\(directory)/server.log"))
        try ManagedProcess.waitUntilAccepting(.tcp(host: "127.0.0.1", port: port))
    }

    /// Where the server finds the executables and the console. Apache's www-data may not reach the
    /// checkout (under a root-only home, say), so it is given copies under the test's folder.
    private func servedFolders() throws -> (functions: String, console: String) {
        guard apacheUser != nil, setup.server == .apache else { return (BuildProducts.directory, Self.consoleDirectory) }
        let functions = "\(directory)/bin", console = "\(directory)/console"
        try FileManager.default.createDirectory(atPath: functions, withIntermediateDirectories: true)
        for name in Self.functions { try FileManager.default.copyItem(atPath: BuildProducts.path(name), toPath: "\(functions)/\(name)") }
        try FileManager.default.copyItem(atPath: Self.consoleDirectory, toPath: console)
        return (functions, console)
    }

    /// The server's executable from Debian's package; `deploy/install-debian-packages.sh` installs them all.
    static func tool(_ name: String) throws -> String {
        guard let path = SystemTool.find(name) else {
            throw TestFailure("\(name) is not installed (deploy/install-debian-packages.sh installs it; `make test` runs that first)")
        }
        return path
    }

    /// SQLite, run as root, gives the journal files it creates the database file's owner.
    private static func giveDatabase(of gateway: GatewayTestEnvironment, to user: String) throws {
        guard gateway.databaseURL.hasPrefix("sqlite://"), let account = getpwnam(user) else { return }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: gateway.directory)) ?? [])
            .filter { $0.hasPrefix("gateway.db") }.map { "\(gateway.directory)/\($0)" }
        for path in [gateway.directory] + files where chown(path, account.pointee.pw_uid, account.pointee.pw_gid) != 0 {
            throw TestFailure("chown \(path) to \(user) failed: errno \(errno)")
        }
    }

    /// What the functions and the server logged, for a failure's message.
    func diagnostics() -> String {
        let logs = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".log") }.sorted()
        return logs.map { name in
            "\(name):\n" + String(((try? String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8)) ?? "").suffix(1500))
        }.joined(separator: "\n") + "\nv1-chat (CGI):\n" + String(((try? String(contentsOfFile: bed.logPath, encoding: .utf8)) ?? "").suffix(1500))
    }
}
