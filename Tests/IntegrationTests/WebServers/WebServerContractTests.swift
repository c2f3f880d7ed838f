import Foundation
import FunctionRuntime
import TestSupport
import Testing

/// The checks every supported web server passes with every contract it has, configured from the
/// templates in deploy/: nginx, Apache (mod_proxy_fcgi, mod_cgid), lighttpd (mod_fastcgi, mod_cgi)
/// and Caddy (reverse_proxy's FastCGI transport).
@Suite(.serialized) struct WebServerContractTests {
    typealias Setup = WebServerDeployment.Setup

    private static func chat(_ deployment: WebServerDeployment, stream: Bool, closeAfterBytes: Int? = nil) throws -> HTTPTestClient.TimedResponse {
        try deployment.client.request(
            "POST", "/functions/v1/v1-chat/v1/chat/completions",
            headers: ["Authorization": "Bearer \(deployment.bed.token)", "Content-Type": "application/json"],
            body: Array(ChatTestbed.request("gpt-4o-mini", stream: stream).utf8), closeAfterBytes: closeAfterBytes)
    }

    @Test(arguments: Setup.all)
    func aChatRequestSucceedsAndLeavesOneRow(_ setup: Setup) throws {
        let deployment = try WebServerDeployment(setup)
        let response = try Self.chat(deployment, stream: false)
        try #require(response.status == 200, "\(response.text)\n\(deployment.diagnostics())")
        let message = (response.json?["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any]
        #expect(message?["content"] as? String == "ok")
        #expect(response.headers["content-type"] == "application/json")
        let rows = try deployment.bed.rows(waitingFor: 1)
        #expect(rows.map(\.status) == [.success])
        #expect(rows.first?.promptTokens == 5)
    }

    @Test(arguments: Setup.all)
    func aStreamArrivesIncrementally(_ setup: Setup) throws {
        let deployment = try WebServerDeployment(setup, chunks: 5)
        let response = try Self.chat(deployment, stream: true)
        try #require(response.status == 200, "\(response.text)\n\(deployment.diagnostics())")
        #expect(response.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        let events = response.events
        #expect(events.last?.data == "[DONE]")
        let content = events.filter { $0.data.contains(#""content":"x""#) }
        #expect(content.count == 5, "\(response.text)")
        // The mock writes a chunk every 100 ms: buffered, they would all arrive together at the end.
        if let first = content.first, let last = content.last {
            #expect(last.receivedAtMs - first.receivedAtMs >= 250, "the stream was held back: \(content.map(\.receivedAtMs))")
        }
    }

    @Test(arguments: Setup.all)
    func aClientThatHangsUpAbortsTheUpstreamTransferAndLeavesAClientAbortedRow(_ setup: Setup) throws {
        let deployment = try WebServerDeployment(setup, chunks: 100)
        let response = try Self.chat(deployment, stream: true, closeAfterBytes: 1500)
        try #require(response.status == 200, "\(response.text)\n\(deployment.diagnostics())")
        let hungUp = Date()
        while deployment.mock.abandonedStreams == 0, Date().timeIntervalSince(hungUp) < 8 { usleep(10_000) }
        let seconds = Date().timeIntervalSince(hungUp)
        // The mock's stream would run 10 s: a transfer still running after 5 s was not aborted.
        #expect(deployment.mock.abandonedStreams == 1, "the upstream transfer was not aborted\n\(deployment.diagnostics())")
        #expect(seconds < 5)
        print(String(format: "figure: %@: upstream closed %.0f ms after the client hung up", setup.description, seconds * 1000))
        let rows = try deployment.bed.rows(waitingFor: 1)
        #expect(rows.map(\.status) == [.clientAborted], "\(deployment.diagnostics())")
    }

    @Test(arguments: Setup.all)
    func aBodyOverTheLimitGetsA413InJSON(_ setup: Setup) throws {
        let deployment = try WebServerDeployment(setup)
        // Over the functions' 10 MiB default and under the templates' 11 MiB backstop.
        let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":""# + String(repeating: "x", count: 10_600_000) + #""}]}"#
        let response = try deployment.client.request(
            "POST", "/functions/v1/v1-chat/v1/chat/completions",
            headers: ["Authorization": "Bearer \(deployment.bed.token)", "Content-Type": "application/json"], body: Array(body.utf8))
        #expect(response.status == 413, "\(response.text.prefix(300))\n\(deployment.diagnostics())")
        #expect(response.headers["content-type"] == "application/json")
        #expect((response.json?["error"] as? [String: Any])?["code"] as? String == "request_too_large")
        #expect(try deployment.bed.rows(waitingFor: 1).map(\.errorCode) == ["request_too_large"])
    }

    @Test(arguments: Setup.all)
    func onlyTheListedFunctionNamesAreRouted(_ setup: Setup) throws {
        let deployment = try WebServerDeployment(setup)
        for path in [
            "/functions/v1/local-runner/serve", "/functions/v1/v1-chatty/v1/models", "/functions/v1/..%2F..%2Fbin%2Fsh/x",
            "/functions/v1/invocation-probe/echo", "/functions/v1/", "/functions/v1/models/../../../etc/passwd",
        ] {
            let response = try deployment.client.request("GET", path, headers: ["Authorization": "Bearer \(deployment.bed.token)"])
            #expect([400, 403, 404].contains(response.status), "\(path) answered \(response.status): \(response.text.prefix(200))")
            #expect(response.headers["x-request-id"] == nil, "\(path) reached a function")
            #expect(!response.text.contains("root:") && !response.text.contains("ELF"), "\(path) served a file")
        }
        // And every listed one is.
        for name in WebServerDeployment.functions {
            let response = try deployment.client.request("GET", "/functions/v1/\(name)/")
            #expect(response.status == 401, "\(name): \(response.status) \(response.text.prefix(200))")
        }
    }

    @Test(arguments: Setup.all)
    func theConsoleIsServedWithItsSecurityHeaders(_ setup: Setup) throws {
        let deployment = try WebServerDeployment(setup)
        let client = deployment.client
        let page = try client.request("GET", "/")
        try #require(page.status == 200, "\(page.text.prefix(300))\n\(deployment.diagnostics())")
        #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(page.text == (try String(contentsOfFile: "\(WebServerDeployment.consoleDirectory)/index.html", encoding: .utf8)))
        let policy = page.headers["content-security-policy"] ?? ""
        for directive in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"] {
            #expect(policy.contains(directive), "CSP lacks \(directive): \(policy)")
        }
        #expect(page.headers["x-content-type-options"] == "nosniff")
        #expect(page.headers["referrer-policy"] == "no-referrer")
        let module = try client.request("GET", "/js/app.js")
        #expect(module.status == 200)
        #expect(module.headers["content-type"]?.hasPrefix("text/javascript") == true, "a module script needs a JavaScript type under nosniff")
        #expect(try client.request("GET", "/css/console.css").headers["content-type"]?.hasPrefix("text/css") == true)
        let chart = try client.request("GET", "/javascript/chart.js/chart.min.js")
        #expect(chart.status == 200)
        #expect(chart.text.contains("Chart.js v"))
        for path in ["/.git/config", "/js/.hidden", "/js/missing.js", "/javascript/chart.js/../../../etc/passwd"] {
            let response = try client.request("GET", path)
            #expect([400, 403, 404].contains(response.status), "\(path) answered \(response.status)")
            #expect(!response.text.contains("root:"), "\(path)")
        }
    }
}
