import Foundation
import FunctionRuntime
import GatewayStore
import TestSupport
import XCTest

/// `GET /metrics` on usage-stats, as Prometheus scrapes it: the counters of every request that reached a
/// function, in the text format `promtool` accepts, under CGI and FastCGI; never open; no usage row.
final class MetricsEndpointTests: XCTestCase {
    private static let scrapeToken = "scrape-NEVER-LOGGED-0123456789abcdef"

    private struct Scrape {
        var status: Int
        var contentType: String?
        var text: String
    }

    /// A bed that served two chats, one stream, a model nobody offers and a body that is not JSON.
    private func servedBed(_ mode: ChatTestbed.Mode, userLabels: Bool = false) throws -> ChatTestbed {
        let (bed, _) = try ChatTestbed.connectedToOpenAIMock(mode, chunks: 3)
        bed.extraEnvironment["GATEWAY_METRICS_TOKEN"] = Self.scrapeToken
        if userLabels { bed.extraEnvironment["GATEWAY_METRICS_USER_LABELS"] = "true" }
        for body in [ChatTestbed.request("gpt-4o-mini"), ChatTestbed.request("gpt-4o-mini"), ChatTestbed.request("gpt-4o-mini", stream: true)] {
            XCTAssertEqual(try bed.chat(body).head?.status, 200)
        }
        XCTAssertEqual(try bed.chat(ChatTestbed.request("no-such-model")).head?.status, 404)
        XCTAssertEqual(try bed.chat("{").head?.status, 400)
        _ = try bed.rows(waitingFor: 5)
        return bed
    }

    private func scrape(_ bed: ChatTestbed, authorization: String?) throws -> Scrape {
        if bed.mode == .fastcgi {
            let headers = authorization.map { ["Authorization": $0] } ?? [:]
            let response = try bed.runnerClient().request("GET", "/functions/v1/usage-stats/metrics", headers: headers)
            return Scrape(status: response.status, contentType: response.headers["content-type"], text: response.text)
        }
        var environment = bed.gateway.variables.merging(bed.extraEnvironment) { $1 }
        environment["REQUEST_METHOD"] = "GET"
        environment["PATH_INFO"] = "/metrics"
        environment["HTTP_AUTHORIZATION"] = authorization
        let result = try CGIInvocation(executable: BuildProducts.path("usage-stats"), environment: environment).run()
        return Scrape(
            status: result.head?.status ?? 0, contentType: result.head?.headers["Content-Type"], text: String(decoding: result.body, as: UTF8.self))
    }

    /// What `promtool check metrics` (Debian's prometheus package) says of `exposition`; nil when it is content.
    private func promtoolProblems(_ exposition: String) throws -> String? {
        guard let promtool = SystemTool.find("promtool") else {
            if SystemTool.runningInCI { throw TestFailure("promtool must be installed in CI (deploy/install-debian-packages.sh)") }
            throw XCTSkip("promtool is not installed (Debian's prometheus package)")
        }
        let directory = try temporaryDirectory("promtool")
        try exposition.write(toFile: "\(directory)/metrics.txt", atomically: true, encoding: .utf8)
        let ok = SystemTool.run("/bin/sh", ["-c", "'\(promtool)' check metrics < '\(directory)/metrics.txt' > '\(directory)/out.txt' 2>&1"])
        return ok ? nil : (try? String(contentsOfFile: "\(directory)/out.txt", encoding: .utf8)) ?? "promtool failed"
    }

    private func sample(_ text: String, _ prefix: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix) }.map(String.init)
    }

    func testTheScrapeCountsEveryRequestAndPassesPromtoolUnderCGI() throws {
        try theScrapeCountsEveryRequestAndPassesPromtool(.cgi)
    }

    func testTheScrapeCountsEveryRequestAndPassesPromtoolUnderFastCGI() throws {
        try theScrapeCountsEveryRequestAndPassesPromtool(.fastcgi)
    }

    private func theScrapeCountsEveryRequestAndPassesPromtool(_ mode: ChatTestbed.Mode) throws {
        let bed = try servedBed(mode)
        let metrics = try scrape(bed, authorization: "Bearer \(Self.scrapeToken)")
        XCTAssertEqual(metrics.status, 200, metrics.text)
        XCTAssertEqual(metrics.contentType, "text/plain; version=0.0.4; charset=utf-8")
        XCTAssertNil(try promtoolProblems(metrics.text), "\(mode)")
        let chat = #"function="v1-chat",api="chat",provider="openai",model="gpt-4o-mini""#
        XCTAssertEqual(
            sample(metrics.text, "llm_gateway_requests_total{\(chat),status=\"success\"}"), "llm_gateway_requests_total{\(chat),status=\"success\"} 3"
        )
        let unrouted = #"function="v1-chat",api="chat",provider="",model="""#
        XCTAssertNotNil(sample(metrics.text, "llm_gateway_errors_total{\(unrouted),error_type=\"caller_model_not_found\"} 1"), metrics.text)
        XCTAssertNotNil(sample(metrics.text, "llm_gateway_errors_total{\(unrouted),error_type=\"caller_invalid_json\"} 1"), metrics.text)
        XCTAssertNotNil(sample(metrics.text, "llm_gateway_tokens_total{\(chat),kind=\"prompt\"} 15"), "5 prompt tokens each")
        let ttft = #"llm_gateway_time_to_first_token_seconds_count{function="v1-chat",api="chat",provider="openai"}"#
        XCTAssertEqual(sample(metrics.text, ttft), "\(ttft) 1", "the stream's first token")
        XCTAssertNotNil(sample(metrics.text, "llm_gateway_requests_in_flight "))
        XCTAssertFalse(metrics.text.contains(bed.user.userID), "no user id unless configured")
    }

    func testAScrapeWithoutTheTokenOrTheServiceRoleIsRefusedUnderCGI() throws {
        try aScrapeWithoutTheTokenOrTheServiceRoleIsRefused(.cgi)
    }

    func testAScrapeWithoutTheTokenOrTheServiceRoleIsRefusedUnderFastCGI() throws {
        try aScrapeWithoutTheTokenOrTheServiceRoleIsRefused(.fastcgi)
    }

    private func aScrapeWithoutTheTokenOrTheServiceRoleIsRefused(_ mode: ChatTestbed.Mode) throws {
        let bed = try servedBed(mode)
        for (authorization, status) in [
            (nil, 401), ("Bearer \(Self.scrapeToken.dropLast())x", 401), ("Bearer \(bed.token)", 403),
        ] as [(String?, Int)] {
            let refused = try scrape(bed, authorization: authorization)
            XCTAssertEqual(refused.status, status, "\(mode) \(authorization == nil ? "no token" : "a wrong token"): \(refused.text)")
            XCTAssertFalse(refused.text.contains("llm_gateway_"), "\(mode): no figures")
            XCTAssertFalse(refused.text.contains(Self.scrapeToken), "\(mode): the answer never quotes the token")
        }
        let service = try bed.gateway.token("scraper", role: .serviceRole)
        XCTAssertEqual(try scrape(bed, authorization: "Bearer \(service)").status, 200, "\(mode): the service role may scrape")
    }

    func testAScrapeLeavesNoUsageRowUnderCGI() throws {
        try aScrapeLeavesNoUsageRow(.cgi)
    }

    func testAScrapeLeavesNoUsageRowUnderFastCGI() throws {
        try aScrapeLeavesNoUsageRow(.fastcgi)
    }

    private func aScrapeLeavesNoUsageRow(_ mode: ChatTestbed.Mode) throws {
        let bed = try servedBed(mode)
        _ = try scrape(bed, authorization: "Bearer \(Self.scrapeToken)")
        let before = try bed.gateway.usageRows().count
        for _ in 0..<3 { XCTAssertEqual(try scrape(bed, authorization: "Bearer \(Self.scrapeToken)").status, 200) }
        _ = try scrape(bed, authorization: nil)
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(try bed.gateway.usageRows().count, before, "\(mode): scrapes are not usage")
    }

    func testEachUsersChatTotalsAppearWhenConfigured() throws {
        let bed = try servedBed(.cgi, userLabels: true)
        let metrics = try scrape(bed, authorization: "Bearer \(Self.scrapeToken)")
        XCTAssertEqual(
            sample(metrics.text, "llm_gateway_user_requests_total{user=\"\(bed.user.userID)\"}"),
            "llm_gateway_user_requests_total{user=\"\(bed.user.userID)\"} 5")
        XCTAssertNil(try promtoolProblems(metrics.text))
    }
}
