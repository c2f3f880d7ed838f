import ArgumentParser
import Foundation
import FunctionRuntime
import Gateway
import GatewayDevelopment
import Hummingbird
import Logging
import NIOCore

/// `local-runner serve`: the functions at `/functions/v1/<name>/...`, like Supabase's local stack.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the functions over HTTP at /functions/v1/<name>/..."
    )

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case cgi, fastcgi
    }

    @Option(help: "Port to listen on.") var port: Int = 54321
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "cgi: a process per request; fastcgi: one persistent worker per function.") var mode: Mode = .cgi
    @Option(help: "Folder for the SQLite database and development secrets.") var dataDir: String = ".data"
    @Option(help: "Folder holding the function executables (default: beside local-runner).") var functionsDir: String?
    @Option(name: .customLong("extra-function"), help: "Serve another executable from the functions folder too.")
    var extraFunctions: [String] = []
    @Option(help: "Folder of the web console's static files (default: console/ of this checkout).") var consoleDir: String?
    @Option(help: "Folder of Chart.js (Debian's libjs-chart.js).") var chartJsDir: String = "/usr/share/javascript/chart.js"
    @Option(help: "The OpenAPI description served at /openapi.yaml (default: docs/openapi.yaml of this checkout).")
    var openapiFile: String?
    @Option(help: "The user the printed console URL signs in as (a development token).")
    var consoleUser: String = "00000000-0000-0000-0000-000000000001"

    func run() async throws {
        ProcessSignals.ignoreBrokenPipe()
        let logger = Logger(label: "local-runner")
        let catalog = FunctionCatalog(directory: functionsDir, extraFunctions: extraFunctions)
        let missing = catalog.missingExecutables()
        guard missing.isEmpty else {
            throw ValidationError("missing function executables in \(catalog.directory): \(missing.joined(separator: ", ")) (build them first)")
        }
        let dev = DevEnvironment(dataDirectory: dataDir)
        let environment = try dev.prepare(base: ProcessInfo.processInfo.environment, log: Console.say)
        let prepared = try DatabaseMigration.run(environment: environment)
        if !prepared.migrations.isEmpty { Console.say("local-runner: applied migrations \(prepared.migrations)") }
        if !prepared.seeded.isEmpty { Console.say("local-runner: added catalogue entries \(prepared.seeded)") }
        Console.say("local-runner: data in \(dev.dataDirectory), database \(environment["GATEWAY_DATABASE_URL"] ?? "")")

        var pool: FastCGIWorkerPool?
        let backend: any FunctionBackend
        switch mode {
        case .cgi:
            backend = CGIBackend(catalog: catalog, baseEnvironment: environment)
        case .fastcgi:
            let workers = try FastCGIWorkerPool.start(
                catalog: catalog, environment: environment,
                runDirectory: "\(dev.dataDirectory)/run", logger: logger)
            pool = workers
            backend = FastCGIBackend(workers: workers.addresses)
        }
        defer { pool?.stop() }

        var console: ConsoleSite?
        if let directory = consoleDir ?? ConsoleSite.defaultDirectory(executable: CommandLine.arguments[0]) {
            console = ConsoleSite(directory: directory, chartDirectory: chartJsDir)
        } else {
            Console.say("local-runner: no console/ folder found (--console-dir); serving the functions only")
        }
        let openAPI = (openapiFile ?? OpenAPIDocument.defaultFile(executable: CommandLine.arguments[0])).map(OpenAPIDocument.init(file:))
        if openAPI == nil { Console.say("local-runner: no docs/openapi.yaml found (--openapi-file); /openapi.yaml is not served") }
        let gateway = FunctionGateway(
            catalog: catalog, backend: backend, serverPort: port, logger: logger, console: console, openAPI: openAPI)
        let consoleURL = try await signInURL(environment: environment, enabled: console != nil)
        // A client that stops sending (a body shorter than its Content-Length, a connection left open)
        // is cut off after this long without a byte; responses being written are not affected.
        let readTimeoutSeconds =
            ProcessInfo.processInfo.environment["GATEWAY_RUNNER_READ_TIMEOUT_SECONDS"]
            .flatMap(Int.init).flatMap { (1...3_600).contains($0) ? $0 : nil } ?? 30
        let app = Application(
            responder: CallbackResponder<RunnerRequestContext> { request, context in
                await gateway.respond(to: request, context: context)
            },
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(readTimeoutSeconds)))),
            configuration: .init(address: .hostname(host, port: port), serverName: "local-runner"),
            onServerRunning: { _ in
                Console.say(
                    "local-runner: serving \(catalog.names.sorted().joined(separator: ", ")) (\(mode.rawValue)) at http://\(host):\(port)/functions/v1/<name>"
                )
                // On stdout, not in the log: the fragment holds a development token (never sent to a server, never logged).
                if let consoleURL { try? FileDescriptorIO.writeAll(1, Array("\nConsole: open \(consoleURL)\n\n".utf8)) }
            },
            logger: logger
        )
        try await app.runService()
    }
}

extension ServeCommand {
    /// The console's address with a 12-hour development token for `consoleUser` in the fragment
    /// (`#token=`), which the browser keeps to itself: it is in no request line and no access log.
    func signInURL(environment: [String: String], enabled: Bool) async throws -> String? {
        guard enabled else { return nil }
        let address = "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)/"
        guard let secret = environment["GATEWAY_JWT_SECRET"], !secret.isEmpty else { return address }
        let token = try await DevelopmentTokens.mint(subject: consoleUser, role: .authenticated, ttlSeconds: 12 * 3600, secret: secret)
        return address + "#token=" + token
    }
}

/// Hummingbird's basic context plus the client's address, for REMOTE_ADDR, and its connection,
/// so that a refused request's connection stops reading what the client still sends.
struct RunnerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: String
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "127.0.0.1"
        channel = source.channel
    }

    /// Reads no more from this connection: the response still goes out, then the connection closes
    /// (instead of reading a large body nobody will use, to find the next request behind it).
    func stopReading() {
        channel.close(mode: .input, promise: nil)
    }
}
