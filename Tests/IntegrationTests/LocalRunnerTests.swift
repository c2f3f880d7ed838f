import Foundation
import FunctionRuntime
import Gateway
import GatewayStore
import JWTKit
import TestSupport
import XCTest

/// local-runner end to end: serve (both contracts), invoke, token.
final class LocalRunnerTests: XCTestCase {
    private var directory = ""
    private var runner: ManagedProcess?

    override func setUp() async throws {
        directory = try temporaryDirectory("runner")
    }

    override func tearDown() {
        runner?.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func serve(mode: String, extraEnvironment: [String: String] = [:]) throws -> HTTPTestClient {
        let port = try Socket.freeLoopbackPort()
        var environment = ProcessInfo.processInfo.environment
        environment["GATEWAY_JWT_SECRET"] = nil
        environment["GATEWAY_ENCRYPTION_KEY"] = nil
        environment.merge(extraEnvironment) { _, new in new }
        runner = try ManagedProcess(
            BuildProducts.path("local-runner"),
            ["serve", "--port", String(port), "--mode", mode, "--data-dir", "\(directory)/.data", "--extra-function", "invocation-probe"],
            environment: environment, logPath: "\(directory)/runner.log")
        try ManagedProcess.waitUntilAccepting(.tcp(host: "127.0.0.1", port: port))
        return HTTPTestClient(port: port)
    }

    func testServeRunsFunctionsThroughCGIAndFastCGI() throws {
        for mode in ["cgi", "fastcgi"] {
            let client = try serve(mode: mode, extraEnvironment: ["GATEWAY_MAX_BODY_BYTES": "1000"])
            let echo = try client.request(
                "POST", "/functions/v1/invocation-probe/echo?q=1",
                headers: ["Authorization": "Bearer abc"], body: Array("{\"a\":1}".utf8))
            XCTAssertEqual(echo.status, 200, "\(mode): \(echo.text)\n\(runner?.log ?? "")")
            XCTAssertEqual(echo.headers["content-type"], "application/json")
            XCTAssertEqual(echo.json?["path"] as? String, "/echo")
            XCTAssertEqual(echo.json?["query"] as? String, "q=1")
            XCTAssertEqual(echo.json?["body"] as? String, "{\"a\":1}")
            XCTAssertEqual((echo.json?["headers"] as? [String: String])?["authorization"], "Bearer abc")

            let stream = try client.request("GET", "/functions/v1/invocation-probe/stream?events=3&delay_ms=400")
            let events = stream.events.filter { $0.data != "[DONE]" }
            XCTAssertEqual(events.count, 3, "\(mode): \(stream.text)")
            if events.count == 3, let lastSent = try JSONValue.parse(events[2].data)["sent_at_ms"]?.intValue {
                XCTAssertLessThan(events[0].receivedAtMs, lastSent, "\(mode): local-runner buffered the stream")
            }

            let tooLarge = try client.request("POST", "/functions/v1/invocation-probe/echo", body: [UInt8](repeating: 65, count: 1001))
            XCTAssertEqual(tooLarge.status, 413, "\(mode): \(tooLarge.text)")

            let unknown = try client.request("GET", "/functions/v1/no-such-function/x")
            XCTAssertEqual(unknown.status, 404)
            XCTAssertEqual((unknown.json?["error"] as? [String: Any])?["code"] as? String, "function_not_found")

            let anonymous = try client.request("POST", "/functions/v1/v1-chat/v1/chat/completions", body: Array("{}".utf8))
            XCTAssertEqual(anonymous.status, 401, anonymous.text)
            let token = try runCommand(["token", "--user", "user-runner", "--data-dir", "\(directory)/.data"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let chat = try client.request(
                "POST", "/functions/v1/v1-chat/v1/chat/completions",
                headers: ["Authorization": "Bearer \(token)"], body: Array("{}".utf8))
            XCTAssertEqual(chat.status, 400, chat.text)

            let log = runner?.log ?? ""
            XCTAssertTrue(log.contains("POST /functions/v1/invocation-probe/echo 200"), "one log line per request: \(log)")
            XCTAssertTrue(log.contains("WARNING: using generated DEVELOPMENT secrets"), log)
            runner?.stop()
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(directory)/.data/dev-secrets.env"))
        // serve migrated the embedded database; a second migrate has nothing to do.
        let providers = try SQLiteConnection(path: "\(directory)/.data/gateway.db").query("SELECT count(*) AS n FROM api_providers")
        XCTAssertEqual(providers.first?["n"]?.int, 5)
        let migrate = try runCommand(["migrate", "--data-dir", "\(directory)/.data"])
        XCTAssertEqual(migrate.status, 0, migrate.stderr)
        XCTAssertTrue(migrate.stderr.contains("up to date"), migrate.stderr)
    }

    func testTheConsoleIsServedAtTheRootWithItsSecurityHeaders() throws {
        let client = try serve(mode: "cgi")
        let page = try client.request("GET", "/")
        XCTAssertEqual(page.status, 200, page.text)
        XCTAssertEqual(page.headers["content-type"], "text/html; charset=utf-8")
        XCTAssertTrue(page.text.contains(#"<script type="module" src="js/app.js">"#), page.text)
        let policy = try XCTUnwrap(page.headers["content-security-policy"])
        for directive in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"] {
            XCTAssertTrue(policy.contains(directive), "CSP lacks \(directive): \(policy)")
        }
        XCTAssertFalse(policy.contains("unsafe-inline"), policy)
        XCTAssertEqual(page.headers["x-content-type-options"], "nosniff")
        XCTAssertEqual(page.headers["referrer-policy"], "no-referrer")
        XCTAssertEqual(try client.request("GET", "/js/app.js").headers["content-type"], "text/javascript; charset=utf-8")
        let chart = try client.request("GET", "/javascript/chart.js/chart.min.js")
        if FileManager.default.fileExists(atPath: "/usr/share/javascript/chart.js/chart.min.js") || SystemTool.runningInCI {
            XCTAssertEqual(chart.status, 200, "Chart.js from Debian's libjs-chart.js")
            XCTAssertTrue(chart.text.contains("Chart.js v"))
        }
    }

    func testTheConsoleServesNothingOutsideItsFolderAndOnlyReads() throws {
        let client = try serve(mode: "cgi")
        for path in [
            "/../Package.swift", "/js/../../Package.swift", "/%2e%2e/Package.swift", "/.data/dev-secrets.env", "/js/.hidden",
            "/javascript/chart.js/../../../../etc/passwd", "/missing.html", "/js",
        ] {
            let response = try client.request("GET", path)
            XCTAssertEqual(response.status, 404, "\(path): \(response.text.prefix(200))")
            XCTAssertFalse(response.text.contains("GATEWAY_"), path)
        }
        let post = try client.request("POST", "/", body: Array("x".utf8))
        XCTAssertEqual(post.status, 405)
        XCTAssertEqual(post.headers["allow"], "GET, HEAD")
    }

    func testTheConsoleURLSignsInWithADevTokenThatIsInTheFragmentOnlyAndInNoLogLine() throws {
        let client = try serve(mode: "cgi")
        let deadline = Date().addingTimeInterval(5)
        var line: Substring?
        while line == nil, Date() < deadline {
            line = runner?.log.split(separator: "\n").first { $0.hasPrefix("Console: open ") }
            if line == nil { usleep(20_000) }
        }
        let url = try XCTUnwrap(line.map { String($0.dropFirst("Console: open ".count)) }, runner?.log ?? "")
        XCTAssertTrue(url.hasPrefix("http://127.0.0.1:\(client.port)/#token="), url)
        XCTAssertFalse(url.contains("?"), "never in a query string: \(url)")
        let token = String(url.split(separator: "=", maxSplits: 1)[1])
        let providers = try client.request("GET", "/functions/v1/providers", headers: ["Authorization": "Bearer \(token)"])
        XCTAssertEqual(providers.status, 200, providers.text)
        XCTAssertEqual((providers.json?["caller"] as? [String: String])?["user_id"], "00000000-0000-0000-0000-000000000001")
        XCTAssertEqual((providers.json?["caller"] as? [String: String])?["role"], "authenticated")
        _ = try client.request("GET", "/")
        let mentions = runner?.log.components(separatedBy: token).count ?? 0
        XCTAssertEqual(mentions - 1, 1, "the token is printed once, with the URL, and appears in no log line")
    }

    func testClientDisconnectReachesTheFunction() throws {
        let marker = "\(directory)/disconnect-marker"
        let client = try serve(mode: "cgi")
        // Read a little of a long stream, then hang up.
        _ = try? client.request("GET", "/functions/v1/invocation-probe/stream?events=200&delay_ms=20&marker=\(marker)", closeAfterBytes: 200)
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: marker) && Date() < deadline { usleep(50_000) }
        let note = (try? String(contentsOfFile: marker, encoding: .utf8)) ?? ""
        XCTAssertTrue(note.contains("told=true"), "the function was not told: '\(note)'\n\(runner?.log ?? "")")
    }

    private func runCommand(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuildProducts.path("local-runner"))
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged["GATEWAY_JWT_SECRET"] = nil
        process.environment = merged.merging(environment) { _, new in new }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// A worker killed by one request (a trap, the OOM killer) is started again: later requests, anyone's, are served.
    func testADeadFastCGIWorkerIsRestartedAndServesAgain() throws {
        let client = try serve(mode: "fastcgi")
        let before = try client.request("GET", "/functions/v1/invocation-probe/slow?ms=1")
        let firstPID = try XCTUnwrap(before.json?["pid"] as? Int, before.text)
        let died = try client.request("GET", "/functions/v1/invocation-probe/die")
        XCTAssertEqual(died.status, 502, "the request that killed it fails: \(died.text)")
        var after: HTTPTestClient.TimedResponse?
        let deadline = Date().addingTimeInterval(10)
        repeat {
            Thread.sleep(forTimeInterval: 0.05)
            after = try? client.request("GET", "/functions/v1/invocation-probe/slow?ms=1")
        } while after?.status != 200 && Date() < deadline
        XCTAssertEqual(after?.status, 200, "served again after the restart: \(after?.text ?? "")\n\(runner?.log ?? "")")
        let secondPID = try XCTUnwrap(after?.json?["pid"] as? Int)
        XCTAssertNotEqual(secondPID, firstPID, "by a new worker")
        XCTAssertTrue(runner?.log.contains("FastCGI worker exited; restarting it") == true, "and the restart is logged")
    }

    /// A request whose body never comes (Content-Length 5, nothing sent) no longer holds a connection forever.
    func testABodyThatNeverArrivesIsCutOffAfterTheReadTimeout() throws {
        let client = try serve(mode: "cgi", extraEnvironment: ["GATEWAY_RUNNER_READ_TIMEOUT_SECONDS": "1"])
        let fd = try Socket.connect(to: .tcp(host: "127.0.0.1", port: UInt16(client.port)))
        defer { close(fd) }
        try FileDescriptorIO.writeAll(fd, Array("POST /functions/v1/invocation-probe/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n".utf8))
        let started = Date()
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        while let chunk = try? FileDescriptorIO.read(fd), !chunk.isEmpty {}
        let waited = Date().timeIntervalSince(started)
        XCTAssertLessThan(waited, 5, "the connection was closed after the 1 s read timeout, not left open")
    }

    /// A refused request (over the body limit) is answered and its connection closed: local-runner does
    /// not go on reading the megabytes the client still sends.
    func testARefusedRequestIsAnsweredAndTheRestOfItsBodyIsNotRead() throws {
        let client = try serve(mode: "cgi", extraEnvironment: ["GATEWAY_MAX_BODY_BYTES": "1000"])
        let fd = try Socket.connect(to: .tcp(host: "127.0.0.1", port: UInt16(client.port)))
        defer { close(fd) }
        let declared = 200 * 1024 * 1024
        try FileDescriptorIO.writeAll(
            fd, Array("POST /functions/v1/invocation-probe/echo HTTP/1.1\r\nHost: x\r\nContent-Length: \(declared)\r\n\r\n".utf8))
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let block = [UInt8](repeating: 65, count: 64 * 1024)
        var sent = 0
        let deadline = Date().addingTimeInterval(20)
        while sent < declared, Date() < deadline, (try? FileDescriptorIO.writeAll(fd, block)) != nil { sent += block.count }
        XCTAssertLessThan(sent, declared / 4, "the server stopped taking the body long before its end")
        var response: [UInt8] = []
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        while let chunk = try? FileDescriptorIO.read(fd), !chunk.isEmpty { response += chunk }
        XCTAssertTrue(
            String(decoding: response, as: UTF8.self).hasPrefix("HTTP/1.1 413"),
            "answered first: \(String(decoding: response.prefix(200), as: UTF8.self))")
    }

    func testInvokeSendsOneRequestThroughCGI() throws {
        let result = try runCommand([
            "invoke", "invocation-probe", "--method", "PUT", "--path", "/echo?x=1",
            "--data", "{\"k\":\"v\"}", "--header", "X-Custom: yes", "--data-dir", "\(directory)/.data",
        ])
        XCTAssertEqual(result.status, 22, "PUT /echo has no route: 405 -> non-zero exit; \(result.stderr)")
        let ok = try runCommand([
            "invoke", "invocation-probe", "--method", "POST", "--path", "/echo?x=1", "-i",
            "--data", "{\"k\":\"v\"}", "--header", "X-Custom: yes", "--data-dir", "\(directory)/.data",
        ])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let json = try JSONValue.parse(ok.stdout)
        XCTAssertEqual(json["body"], "{\"k\":\"v\"}")
        XCTAssertEqual(json["query"], "x=1")
        XCTAssertEqual(json["headers"]?["x-custom"], "yes")
        XCTAssertEqual(json["headers"]?["content-type"], "application/json")
        XCTAssertTrue(ok.stderr.contains("HTTP 200"), ok.stderr)
    }

    func testTokenIsAnHS256JWTSignedWithTheConfiguredSecret() async throws {
        let secret = "test-secret-0123456789-abcdefghijklmnop"
        let result = try runCommand(
            ["token", "--user", "user-42", "--role", "service_role", "--ttl", "120", "--data-dir", "\(directory)/.data"],
            environment: ["GATEWAY_JWT_SECRET": secret])
        XCTAssertEqual(result.status, 0, result.stderr)
        let token = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        let claims = try await keys.verify(token, as: GatewayClaims.self)
        XCTAssertEqual(claims.sub.value, "user-42")
        XCTAssertEqual(claims.role, "service_role")
        XCTAssertEqual(claims.aud?.value, ["authenticated"])
        let lifetime = claims.exp.value.timeIntervalSince(try XCTUnwrap(claims.iat?.value))
        XCTAssertEqual(lifetime, 120, accuracy: 1)

        let wrongKeys = JWTKeyCollection()
        await wrongKeys.add(hmac: HMACKey(from: "another-secret-entirely-0123456789"), digestAlgorithm: .sha256)
        do {
            _ = try await wrongKeys.verify(token, as: GatewayClaims.self)
            XCTFail("a token must not verify under another secret")
        } catch {}

        let badRole = try runCommand(["token", "--user", "u", "--role", "admin", "--data-dir", "\(directory)/.data"])
        XCTAssertNotEqual(badRole.status, 0)
    }

    func testRotateKeysReEncryptsStoredKeysUnderTheNewKey() throws {
        let old = VaultKey.generate(id: "2025"), new = VaultKey.generate(id: "2026")
        let data = "\(directory)/.data"
        XCTAssertEqual(try runCommand(["migrate", "--data-dir", data], environment: ["GATEWAY_ENCRYPTION_KEY": old.exported]).status, 0)
        let store = try StoreFactory.open(.sqlite(path: "\(data)/gateway.db"))
        let alice = Caller(userID: "user-alice", role: .authenticated)
        let apiKey = "sk-test-gateway-NEVER-LOGGED-rotation"
        let sealed = try ProviderKeySealer(vault: Vault(current: old)).seal(apiKey, rowID: "row-1", userID: alice.userID)
        try store.insertUserProvider(
            alice,
            UserProvider(
                id: "row-1", userID: alice.userID, providerID: "openrouter",
                apiKeyEncrypted: sealed.encrypted, apiKeyHash: sealed.hash, apiKeyLast4: sealed.last4))

        let rotated = try runCommand(
            ["rotate-keys", "--data-dir", data],
            environment: ["GATEWAY_ENCRYPTION_KEY": new.exported, "GATEWAY_ENCRYPTION_KEYS_OLD": old.exported])
        XCTAssertEqual(rotated.status, 0, rotated.stderr)
        XCTAssertTrue(rotated.stderr.contains("1 stored, 1 rotated"), rotated.stderr)
        let row = try XCTUnwrap(try store.userProvider(alice, id: "row-1"))
        XCTAssertEqual(Vault.keyID(of: row.apiKeyEncrypted), "2026")
        XCTAssertEqual(try ProviderKeySealer(vault: Vault(current: new)).open(row), apiKey, "readable without the old key")

        let again = try runCommand(["rotate-keys", "--data-dir", data], environment: ["GATEWAY_ENCRYPTION_KEY": new.exported])
        XCTAssertTrue(again.stderr.contains("0 rotated, 1 already current"), again.stderr)
        let lost = try runCommand(["rotate-keys", "--data-dir", data], environment: ["GATEWAY_ENCRYPTION_KEY": VaultKey.generate(id: "x").exported])
        XCTAssertEqual(lost.status, 3, "a key no configured key opens fails the run: \(lost.stderr)")
        XCTAssertTrue(lost.stderr.contains("row-1"), lost.stderr)
        XCTAssertFalse((rotated.stdout + rotated.stderr + lost.stderr).contains(apiKey))
    }
}
