import Foundation
import FunctionRuntime
import Synchronization
import TestSupport
import XCTest

/// A real nginx (Debian's package) in front of (a) fcgiwrap running a function as CGI and
/// (b) a FastCGI worker, configured with the templates shipped in deploy/nginx.
final class NginxTests: XCTestCase {
    private var directory = ""
    private var processes: [ManagedProcess] = []
    private var client: HTTPTestClient!
    private var gateway: GatewayTestEnvironment!
    private static let functions = "v1-chat|sync-models|usage-stats|providers|models|invocation-probe"

    override func setUp() async throws {
        guard let nginx = SystemTool.find("nginx"), let fcgiwrap = SystemTool.find("fcgiwrap") else {
            if SystemTool.runningInCI { throw TestFailure("nginx and fcgiwrap must be installed in CI (.ci/run installs them)") }
            throw XCTSkip("nginx or fcgiwrap not installed")
        }
        directory = try temporaryDirectory("nginx")
        let sockets = "\(directory)/sockets"
        try FileManager.default.createDirectory(atPath: sockets, withIntermediateDirectories: true)
        gateway = try GatewayTestEnvironment(label: "nginx-gateway")
        var environment = ProcessInfo.processInfo.environment.merging(gateway.variables) { $1 }
        environment["GATEWAY_TEST_MARKER"] = "from-server-environment"

        // fcgiwrap, which runs the function executables as CGI.
        let fcgiwrapSocket = "\(directory)/fcgiwrap.sock"
        processes.append(
            try ManagedProcess(
                fcgiwrap, ["-c", "4", "-s", "unix:\(fcgiwrapSocket)"],
                environment: environment, logPath: "\(directory)/fcgiwrap.log"))
        // One FastCGI worker per function, as systemd or spawn-fcgi would run them.
        for name in Self.functions.split(separator: "|") {
            processes.append(
                try ManagedProcess(
                    BuildProducts.path(String(name)), ["--fastcgi", "\(sockets)/\(name).sock"],
                    environment: environment, logPath: "\(directory)/\(name).log"))
        }
        try ManagedProcess.waitUntilAccepting(.unix(path: fcgiwrapSocket))
        for name in Self.functions.split(separator: "|") {
            try ManagedProcess.waitUntilAccepting(.unix(path: "\(sockets)/\(name).sock"))
        }

        let port = try Socket.freeLoopbackPort()
        try writeConfig(port: port, fcgiwrapSocket: fcgiwrapSocket, sockets: sockets)
        processes.append(
            try ManagedProcess(
                nginx, ["-p", directory, "-c", "\(directory)/nginx.conf"],
                logPath: "\(directory)/nginx.out"))
        try ManagedProcess.waitUntilAccepting(.tcp(host: "127.0.0.1", port: port))
        client = HTTPTestClient(port: port)
    }

    override func tearDown() {
        processes.reversed().forEach { $0.stop() }
        processes = []
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func writeConfig(port: UInt16, fcgiwrapSocket: String, sockets: String) throws {
        let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy/nginx").standardized.path
        func render(_ template: String) throws -> String {
            try String(contentsOfFile: "\(deploy)/\(template)", encoding: .utf8)
                .replacingOccurrences(of: "@FUNCTIONS@", with: Self.functions)
                .replacingOccurrences(of: "@FUNCTIONS_DIR@", with: BuildProducts.directory)
                .replacingOccurrences(of: "@FCGIWRAP_SOCKET@", with: fcgiwrapSocket)
                .replacingOccurrences(of: "@SOCKET_DIR@", with: sockets)
                .replacingOccurrences(of: "/functions/v1/", with: "/MODE/functions/v1/")
        }
        let cgi = try render("llm-gateway-cgi.conf").replacingOccurrences(of: "/MODE/", with: "/cgi/")
        let fastcgi = try render("llm-gateway-fastcgi.conf").replacingOccurrences(of: "/MODE/", with: "/fastcgi/")
        // The console, as installed: its static files at /, the functions (FastCGI) at /functions/v1/ on the same origin.
        let console = try render("llm-gateway-console.conf").replacingOccurrences(of: "@CONSOLE_DIR@", with: Self.consoleDirectory)
        let consoleFunctions = try render("llm-gateway-fastcgi.conf").replacingOccurrences(of: "/MODE/", with: "/")
        // The shipped pools, and one for the probe, which the template does not list.
        let upstreams =
            try render("llm-gateway-fastcgi-upstreams.conf")
            + "upstream llm-gateway-invocation-probe { server unix:\(sockets)/invocation-probe.sock; keepalive 16; }\n"
        try FileManager.default.copyItem(atPath: "/etc/nginx/fastcgi_params", toPath: "\(directory)/fastcgi_params")
        let config = """
            \(getuid() == 0 ? "user root;" : "")
            daemon off;
            master_process on;
            worker_processes 2;
            pid \(directory)/nginx.pid;
            error_log \(directory)/error.log info;
            events { worker_connections 512; }
            http {
                access_log \(directory)/access.log;
                client_body_temp_path \(directory)/client_body;
                fastcgi_temp_path \(directory)/fastcgi_temp;
                proxy_temp_path \(directory)/proxy_temp;
                uwsgi_temp_path \(directory)/uwsgi_temp;
                scgi_temp_path \(directory)/scgi_temp;
                \(upstreams)
                server {
                    listen 127.0.0.1:\(port);
                    \(cgi)
                    \(fastcgi)
                    \(consoleFunctions)
                    \(console)
                }
            }
            """
        try config.write(toFile: "\(directory)/nginx.conf", atomically: true, encoding: .utf8)
    }

    private func diagnostics() -> String {
        processes.map { "\($0.logPath):\n\($0.log.suffix(2000))" }.joined(separator: "\n")
            + ((try? String(contentsOfFile: "\(directory)/error.log", encoding: .utf8).suffix(3000)).map(String.init) ?? "")
    }

    func testRequestSucceedsThroughFcgiwrapAndThroughAFastCGIWorkerUnderCGI() throws {
        try requestSucceedsThroughFcgiwrapAndThroughAFastCGIWorker("cgi")
    }

    func testRequestSucceedsThroughFcgiwrapAndThroughAFastCGIWorkerUnderFastCGI() throws {
        try requestSucceedsThroughFcgiwrapAndThroughAFastCGIWorker("fastcgi")
    }

    private func requestSucceedsThroughFcgiwrapAndThroughAFastCGIWorker(_ mode: String) throws {
        let response = try client.request(
            "POST", "/\(mode)/functions/v1/invocation-probe/echo?model=gpt-4o&x=a%20b",
            headers: ["Authorization": "Bearer test-token", "Content-Type": "application/json"],
            body: Array(#"{"hello":"world"}"#.utf8))
        XCTAssertEqual(response.status, 200, "\(mode): \(response.text)\n\(diagnostics())")
        let json = try XCTUnwrap(response.json, mode)
        XCTAssertEqual(json["path"] as? String, "/echo", mode)
        XCTAssertEqual(json["method"] as? String, "POST", mode)
        XCTAssertEqual(json["body"] as? String, #"{"hello":"world"}"#, mode)
        XCTAssertEqual((json["query_parameters"] as? [String: String])?["x"], "a b", mode)
        XCTAssertEqual((json["headers"] as? [String: String])?["authorization"], "Bearer test-token", mode)
        XCTAssertEqual(json["remote_addr"] as? String, "127.0.0.1", mode)
        XCTAssertEqual(json["env_marker"] as? String, "from-server-environment", "\(mode): configuration reaches the function")
    }

    /// 4,000 requests from 16 clients through the shipped template, whose pools keep connections to
    /// the worker (KEEP_CONN), and not one 502 ("upstream prematurely closed connection" was 10 in
    /// 25,131 when every request opened a connection).
    func testThousandsOfConcurrentRequestsThroughTheFastCGITemplateAreAllAnswered() throws {
        let client = self.client!
        let answered = Mutex(0), failures = Mutex<[String]>([])
        let deadline = Date().addingTimeInterval(60)
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            for _ in 0..<250 where Date() < deadline {
                let response = try? client.request("POST", "/fastcgi/functions/v1/invocation-probe/echo", body: Array("{}".utf8))
                if response?.status == 200 {
                    answered.withLock { $0 += 1 }
                } else {
                    failures.withLock { $0.append("\(response?.status ?? 0) \(response?.text.prefix(100) ?? "")") }
                }
            }
        }
        XCTAssertEqual(failures.withLock { Array($0.prefix(5)) }, [], diagnostics())
        XCTAssertEqual(answered.withLock { $0 }, 4_000)
    }

    func testStreamArrivesIncrementallyUnderCGI() throws { try streamArrivesIncrementally("cgi") }

    func testStreamArrivesIncrementallyUnderFastCGI() throws { try streamArrivesIncrementally("fastcgi") }

    private func streamArrivesIncrementally(_ mode: String) throws {
        let response = try client.request("GET", "/\(mode)/functions/v1/invocation-probe/stream?events=4&delay_ms=400")
        XCTAssertEqual(response.status, 200, "\(mode)\n\(diagnostics())")
        XCTAssertEqual(response.headers["content-type"], "text/event-stream; charset=utf-8")
        let events = response.events.filter { $0.data != "[DONE]" }
        XCTAssertEqual(events.count, 4, "\(mode): \(response.text)")
        guard events.count == 4, let last = try? JSONValue.parse(events[3].data)["sent_at_ms"]?.intValue else { return }
        // The first event reached the client before the function had even written the last one.
        XCTAssertLessThan(events[0].receivedAtMs, last, "\(mode): the stream was buffered")
        XCTAssertGreaterThanOrEqual(events[3].receivedAtMs, last - 5, mode)
    }

    func testRealFunctionsAnswerThroughNginx() throws {
        let token = try gateway.token("user-nginx")
        for mode in ["cgi", "fastcgi"] {
            let refused = try client.request("GET", "/\(mode)/functions/v1/providers/")
            XCTAssertEqual(refused.status, 401, "\(mode): \(refused.text)")
            let response = try client.request(
                "POST", "/\(mode)/functions/v1/v1-chat/v1/chat/completions",
                headers: ["Content-Type": "application/json", "Authorization": "Bearer \(token)"],
                body: Array("{}".utf8))
            XCTAssertEqual(response.status, 400, "\(mode): \(response.text)")
            let error = try XCTUnwrap(response.json?["error"] as? [String: Any], mode)
            XCTAssertEqual(error["code"] as? String, "invalid_request")
            XCTAssertEqual(error["param"] as? String, "model")
            XCTAssertNotNil(error["message"] as? String)
            XCTAssertEqual(response.headers["content-type"], "application/json")
        }
        // One row per request through either path (the FastCGI worker writes after answering: allow it a moment).
        let deadline = Date().addingTimeInterval(5)
        while try gateway.usageRows().count < 4, Date() < deadline { usleep(20_000) }
        XCTAssertEqual(try gateway.usageRows().count, 4)
        XCTAssertEqual(try gateway.usageRows().filter { $0.userID == "user-nginx" }.count, 2)
    }

    static let consoleDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../console").standardized.path

    func testConsoleFilesAreServedWithTheConsoleSecurityHeaders() throws {
        let page = try client.request("GET", "/")
        XCTAssertEqual(page.status, 200, page.text)
        XCTAssertEqual(page.headers["content-type"], "text/html")
        XCTAssertEqual(page.text, try String(contentsOfFile: "\(Self.consoleDirectory)/index.html", encoding: .utf8))
        let policy = try XCTUnwrap(page.headers["content-security-policy"])
        for directive in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"] {
            XCTAssertTrue(policy.contains(directive), "CSP lacks \(directive): \(policy)")
        }
        XCTAssertEqual(page.headers["x-content-type-options"], "nosniff")
        XCTAssertEqual(page.headers["referrer-policy"], "no-referrer")
        let module = try client.request("GET", "/js/app.js")
        XCTAssertEqual(module.status, 200)
        XCTAssertEqual(module.headers["content-type"], "text/javascript", "a module script needs a JavaScript type under nosniff")
        XCTAssertEqual(try client.request("GET", "/css/console.css").headers["content-type"], "text/css")
    }

    func testChartJSIsServedFromDebiansPackage() throws {
        let chart = try client.request("GET", "/javascript/chart.js/chart.min.js")
        guard FileManager.default.fileExists(atPath: "/usr/share/javascript/chart.js/chart.min.js") else {
            if SystemTool.runningInCI { throw TestFailure("libjs-chart.js must be installed in CI (deploy/install-debian-packages.sh)") }
            throw XCTSkip("libjs-chart.js is not installed")
        }
        XCTAssertEqual(chart.status, 200)
        XCTAssertEqual(chart.headers["content-type"], "text/javascript")
        XCTAssertTrue(chart.text.contains("Chart.js v"), String(chart.text.prefix(200)))
    }

    func testConsoleLocationServesNothingHiddenOrOutsideItsFolder() throws {
        for path in [
            "/.git/config", "/js/.hidden", "/js/missing.js", "/../README.md", "/%2e%2e/README.md", "/javascript/chart.js/../../../etc/passwd",
        ] {
            let response = try client.request("GET", path)
            XCTAssertTrue([400, 404].contains(response.status), "\(path) answered \(response.status)")
            XCTAssertFalse(response.text.contains("root:"), path)
        }
    }

    func testFunctionsBesideTheConsoleAnswerOnTheSameOrigin() throws {
        let token = try gateway.token("user-console")
        let response = try client.request("GET", "/functions/v1/providers", headers: ["Authorization": "Bearer \(token)"])
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertNotNil(response.headers["x-request-id"], "the console's playground reads a request's id from this header")
    }

    /// The console as nginx serves it (its headers, its types, Debian's Chart.js) in a real browser:
    /// signed in from the URL fragment, every screen renders, no request fails and the CSP blocks nothing.
    func testTheConsoleWorksInARealBrowserBehindNginx() throws {
        let browser = try BrowserRun()
        let user = "user-nginx-console"
        let run = try browser.run(
            [
                "CONSOLE_CHECK": "smoke", "CONSOLE_URL": "http://127.0.0.1:\(client.port)/", "USER_ID": user, "USER_TOKEN": try gateway.token(user),
                "SCREENSHOT_DIR": BrowserRun.artifacts("console-screenshots-nginx-\(GatewayTestEnvironment.backend)"),
                "DOWNLOAD_DIR": "\(directory)/downloads", "PROFILE_DIR": "\(directory)/chromium-profile",
            ], log: "\(directory)/browser.log")
        XCTAssertEqual(run.status, 0, "the browser run failed:\n\(run.output)\n\(diagnostics())")
        print(String(format: "figure: console smoke behind nginx: %.1f s", run.seconds))
    }

    func testUnlistedNamesAreNotRoutedToAnyExecutable() throws {
        let response = try client.request("GET", "/cgi/functions/v1/..%2F..%2Fbin%2Fsh/x")
        XCTAssertEqual(response.status, 404)
    }
}
