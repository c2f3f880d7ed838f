import Foundation
import FunctionRuntime
import Gateway
import GatewayStore
import TestSupport
import XCTest

/// `usage-stats` as a CGI process against hand-computed fixtures: totals, zero-filled series in the
/// caller's time zone (across a DST change), breakdowns, validation and isolation.
final class UsageStatsFunctionTests: XCTestCase {
    private let service = Caller(userID: "ops", role: .serviceRole)

    private func at(_ text: String) -> Int64 { ISO8601Milliseconds.parse(text)! }

    private func row(
        _ user: String, _ time: String, provider: String = "openrouter", model: String = "openai/gpt-4o-mini",
        status: UsageRecord.Status = .success, prompt: Int = 0, completion: Int = 0, cached: Int = 0, reasoning: Int = 0,
        cost: Double? = nil, latency: Int? = nil, ttft: Int? = nil
    ) -> UsageRecord {
        UsageRecord(
            id: UUID().uuidString, userID: user, providerID: provider, modelRequested: model, modelServed: model,
            promptTokens: prompt, completionTokens: completion, cachedTokens: cached, reasoningTokens: reasoning,
            costUSD: cost, latencyMs: latency, ttftMs: ttft, status: status, createdAt: at(time))
    }

    /// Alice: three requests on 2 and 4 November 2026 (one an error), one at 04:30Z on 2 November
    /// (still 1 November in New York, the day clocks went back). Bob: one request she must never see.
    private func seeded() throws -> GatewayTestEnvironment {
        let gateway = try GatewayTestEnvironment(label: "usage-stats")
        let store = try gateway.store()
        for record in [
            row("user-alice", "2026-11-02T10:00:00Z", prompt: 100, completion: 50, cached: 10, cost: 0.001, latency: 200, ttft: 50),
            row("user-alice", "2026-11-02T23:30:00Z", status: .error, latency: 1000),
            row(
                "user-alice", "2026-11-04T05:00:00Z", provider: "openai", model: "gpt-4o", prompt: 1000, completion: 500, reasoning: 100,
                cost: 0.0125, latency: 800, ttft: 300),
            row("user-alice", "2026-11-02T04:30:00Z", prompt: 10, completion: 5, cost: 0.0001, latency: 100, ttft: 20),
            row("user-bob", "2026-11-02T12:00:00Z", prompt: 7, completion: 7, cost: 5, latency: 10),
        ] {
            try store.recordUsage(service, record)
        }
        return gateway
    }

    private func stats(
        _ gateway: GatewayTestEnvironment, _ query: String, user: String = "user-alice",
        role: CallerRole = .authenticated, path: String = "/"
    ) throws -> (Int?, JSONValue) {
        let result = try gateway.invoke("usage-stats", "GET", path, query: query, token: try gateway.token(user, role: role))
        return (result.head?.status, (try? JSONValue.parse(result.body)) ?? .null)
    }

    func testTotalsSeriesAndBreakdownsMatchTheHandComputedFigures() throws {
        let gateway = try seeded()
        let (status, json) = try stats(gateway, "start_date=2026-11-01&end_date=2026-11-05&granularity=day")
        XCTAssertEqual(status, 200, "\(json)")
        let totals = try XCTUnwrap(json["totals"])
        XCTAssertEqual(totals["requests"], 4)
        XCTAssertEqual(totals["errors"], 1)
        XCTAssertEqual(totals["prompt_tokens"], 1110)
        XCTAssertEqual(totals["completion_tokens"], 555)
        XCTAssertEqual(totals["cached_tokens"], 10)
        XCTAssertEqual(totals["reasoning_tokens"], 100)
        XCTAssertEqual(totals["cost_usd"], 0.0136)
        XCTAssertEqual(totals["avg_latency_ms"], 525, "(200 + 1000 + 800 + 100) / 4")
        XCTAssertEqual(totals["p95_latency_ms"], 1023, "1000 ms falls in the [724, 1023] bucket")
        XCTAssertEqual(totals["avg_ttft_ms"], 123.3, "(50 + 300 + 20) / 3")
        let series = try XCTUnwrap(json["series"]?.arrayValue)
        XCTAssertEqual(
            series.map { $0["start"]?.stringValue ?? "" },
            ["2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z", "2026-11-04T00:00:00Z", "2026-11-05T00:00:00Z"])
        XCTAssertEqual(series.map { $0["requests"]?.intValue ?? -1 }, [0, 3, 0, 1, 0], "empty days are present with zeros")
        XCTAssertEqual(series[2]["cost_usd"], 0)

        let models = try XCTUnwrap(json["models"]?.arrayValue)
        XCTAssertEqual(models.map { $0["model"]?.stringValue ?? "" }, ["gpt-4o", "openai/gpt-4o-mini"], "most expensive first")
        XCTAssertEqual(models[1]["requests"], 3)
        XCTAssertEqual(models[1]["cost_usd"], 0.0011)
        let providers = try XCTUnwrap(json["providers"]?.arrayValue)
        XCTAssertEqual(providers.first?["provider"], "openrouter")
        XCTAssertEqual(providers.first?["error_rate"], 0.3333)
        XCTAssertEqual(providers.last?["avg_latency_ms"], 800)

        let (_, onlyOpenAI) = try stats(gateway, "start_date=2026-11-01&end_date=2026-11-05&provider_id=openai")
        XCTAssertEqual(onlyOpenAI["totals"]?["requests"], 1)
        let (_, onlyModel) = try stats(gateway, "start_date=2026-11-01&end_date=2026-11-05&model=openai/gpt-4o-mini")
        XCTAssertEqual(onlyModel["totals"]?["requests"], 3)
    }

    func testTheSeriesFollowsTheCallersTimeZoneAcrossADaylightSavingChange() throws {
        let gateway = try seeded()
        let (status, json) = try stats(gateway, "start_date=2026-11-01&end_date=2026-11-03&tz=America/New_York")
        XCTAssertEqual(status, 200, "\(json)")
        let series = try XCTUnwrap(json["series"]?.arrayValue)
        XCTAssertEqual(
            series.map { $0["start"]?.stringValue ?? "" },
            ["2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", "2026-11-03T00:00:00-05:00"], "clocks went back on 1 November")
        XCTAssertEqual(series.map { $0["requests"]?.intValue ?? -1 }, [1, 2, 0], "04:30Z on the 2nd is 23:30 on the 1st in New York")
        XCTAssertEqual(json["range"]?["end"], "2026-11-04T00:00:00-05:00", "end dates are inclusive")

        let (_, hours) = try stats(gateway, "start_date=2026-11-01&end_date=2026-11-01&tz=America/New_York&granularity=hour")
        XCTAssertEqual(hours["series"]?.arrayValue?.count, 25, "the day clocks go back has 25 hours")
        let (_, spring) = try stats(gateway, "start_date=2026-03-08&end_date=2026-03-08&tz=America/New_York&granularity=hour")
        XCTAssertEqual(spring["series"]?.arrayValue?.count, 23, "the day clocks go forward has 23")
        let (_, india) = try stats(gateway, "start_date=2026-11-02&end_date=2026-11-02&tz=Asia/Kolkata")
        XCTAssertEqual(india["series"]?[0]?["start"], "2026-11-02T00:00:00+05:30")
        XCTAssertEqual(india["totals"]?["requests"], 2, "04:30Z and 10:00Z are on 2 November in India; 23:30Z is already the 3rd")
        let (_, weeks) = try stats(gateway, "start_date=2026-11-01&end_date=2026-11-15&granularity=week")
        XCTAssertEqual(weeks["series"]?[0]?["start"], "2026-10-26T00:00:00Z", "weeks start on Monday")
        XCTAssertEqual(
            weeks["series"]?.arrayValue?.map { $0["requests"]?.intValue ?? -1 }, [0, 4, 0], "(the test's own requests, today, are outside the range)")
    }

    func testBadRangesAreRefusedAndUsersSeeOnlyTheirOwnUsage() throws {
        let gateway = try seeded()
        for (query, code) in [
            ("start_date=2026-11-05&end_date=2026-11-01", "invalid_range"), ("start_date=yesterday", "invalid_date"),
            ("start_date=2026-13-01", "invalid_date"), ("tz=Mars/Olympus", "invalid_request"), ("tz=../../etc/passwd", "invalid_request"),
            ("granularity=minute", "invalid_request"), ("start_date=2020-01-01&end_date=2026-01-01&granularity=hour", "invalid_range"),
        ] {
            let (status, json) = try stats(gateway, query)
            XCTAssertEqual(status, 400, query)
            XCTAssertEqual(json["error"]?["code"]?.stringValue, code, query)
        }
        let range = "start_date=2026-11-01&end_date=2026-11-05"
        XCTAssertEqual(try stats(gateway, range, user: "user-bob").1["totals"]?["requests"], 1)
        XCTAssertEqual(try stats(gateway, range, user: "user-bob").1["totals"]?["cost_usd"], 5)
        XCTAssertEqual(try stats(gateway, range + "&user_id=user-alice", user: "user-bob").0, 403)
        XCTAssertEqual(try stats(gateway, range + "&all_users=true", user: "user-bob").0, 403)
        XCTAssertEqual(try stats(gateway, range + "&user_id=user-bob", user: "ops", role: .serviceRole).1["totals"]?["requests"], 1)
        XCTAssertEqual(try stats(gateway, range + "&all_users=true", user: "ops", role: .serviceRole).1["totals"]?["requests"], 5)
    }

    func testARequestIsReadByItsIDAndOnlyByItsOwner() throws {
        let gateway = try seeded()
        let rows = try gateway.store().usage(service, UsageFilter(scope: .allUsers))
        let alices = try XCTUnwrap(rows.first { $0.userID == "user-alice" && $0.providerID == "openai" })
        let bobs = try XCTUnwrap(rows.first { $0.userID == "user-bob" })
        let (status, json) = try stats(gateway, "", path: "/requests/\(alices.id)")
        XCTAssertEqual(status, 200, "\(json)")
        XCTAssertEqual(json["id"]?.stringValue, alices.id)
        XCTAssertEqual(json["provider"]?.stringValue, "openai")
        XCTAssertEqual(json["model_requested"]?.stringValue, "gpt-4o")
        XCTAssertEqual(json["prompt_tokens"], 1000)
        XCTAssertEqual(json["completion_tokens"], 500)
        XCTAssertEqual(json["total_tokens"], 1500)
        XCTAssertEqual(json["cost_usd"], 0.0125)
        XCTAssertEqual(json["latency_ms"], 800)
        XCTAssertEqual(json["ttft_ms"], 300)
        XCTAssertEqual(json["status"]?.stringValue, "success")
        let foreign = try stats(gateway, "", path: "/requests/\(bobs.id)")
        XCTAssertEqual(foreign.0, 404, "another user's request is as absent as a missing one")
        XCTAssertEqual(foreign.1["error"]?["code"]?.stringValue, "request_not_found")
        XCTAssertEqual(try stats(gateway, "", user: "ops", role: .serviceRole, path: "/requests/\(bobs.id)").0, 200)
    }

    func testTheLatestRequestsAreListedNewestFirstWithinTheLimit() throws {
        let gateway = try seeded()
        let (status, json) = try stats(gateway, "limit=2", path: "/requests")
        XCTAssertEqual(status, 200, "\(json)")
        XCTAssertEqual(
            json["data"]?.arrayValue?.compactMap { $0["created_at"]?.stringValue }, ["2026-11-04T05:00:00.000Z", "2026-11-02T23:30:00.000Z"])
        let chats = try stats(gateway, "function=v1-chat", path: "/requests").1["data"]?.arrayValue
        XCTAssertEqual(chats?.count, 4, "alice's four chats, never bob's")
        let all = try stats(gateway, "", path: "/requests").1["data"]?.arrayValue
        XCTAssertEqual(all?.first?["function"], "usage-stats", "her own reads of the statistics are requests too")
        for limit in ["0", "101", "x"] {
            XCTAssertEqual(try stats(gateway, "limit=\(limit)", path: "/requests").0, 400, limit)
        }
        XCTAssertEqual(try stats(gateway, "user_id=user-alice", user: "user-bob", path: "/requests").0, 403)
        XCTAssertEqual(
            try stats(gateway, "user_id=user-bob&function=v1-chat", user: "ops", role: .serviceRole, path: "/requests").1["data"]?.arrayValue?.count,
            1)
    }

    /// Alice with keys for OpenRouter (which lists gpt-4o-mini) and OpenAI (direct, priced from the table).
    private func withProviders(_ gateway: GatewayTestEnvironment) throws {
        let store = try gateway.store()
        let alice = Caller(userID: "user-alice", role: .authenticated)
        for provider in ["openrouter", "openai"] {
            try store.insertUserProvider(
                alice,
                UserProvider(
                    id: UUID().uuidString, userID: alice.userID, providerID: provider,
                    apiKeyEncrypted: "v1:none:none", apiKeyHash: "hash-\(provider)", apiKeyLast4: ""))
        }
        try store.saveModel(
            service,
            CatalogueModel(
                id: UUID().uuidString, providerID: "openrouter", modelID: "gpt-4o-mini",
                contextWindow: 128_000, inputPrice: 0.15, outputPrice: 0.6))
    }

    func testComparisonShowsEachServingProvidersPriceAndObservedLatency() throws {
        let gateway = try GatewayTestEnvironment(label: "usage-compare")
        try withProviders(gateway)
        let store = try gateway.store()
        let recent = ISO8601Milliseconds.format(Int64(Date().timeIntervalSince1970 * 1000) - 3_600_000, offsetSeconds: 0)
        for record in [
            row("user-alice", recent, model: "gpt-4o-mini", latency: 100),
            row("user-alice", recent, model: "gpt-4o-mini", status: .error, latency: 300),
            row("user-alice", recent, provider: "openai", model: "gpt-4o-mini", latency: 50),
        ] {
            try store.recordUsage(service, record)
        }
        let (status, json) = try stats(gateway, "model=gpt-4o-mini", path: "/compare")
        XCTAssertEqual(status, 200, "\(json)")
        let providers = try XCTUnwrap(json["providers"]?.arrayValue)
        XCTAssertEqual(providers.map { $0["provider"]?.stringValue ?? "" }, ["openrouter", "openai"], "routing order: aggregators, then direct")
        XCTAssertEqual(providers[0]["observed"]?["requests"], 2)
        XCTAssertEqual(providers[0]["observed"]?["error_rate"], 0.5)
        XCTAssertEqual(providers[0]["observed"]?["avg_latency_ms"], 200)
        XCTAssertEqual(providers[1]["observed"]?["avg_latency_ms"], 50)
        XCTAssertEqual(providers[1]["pricing"]?["input"], 0.15, "the direct provider's list price")
        XCTAssertEqual(providers[0]["pricing"]?["output"], 0.6)
        XCTAssertEqual(try stats(gateway, "", path: "/compare").0, 400)
        XCTAssertEqual(try stats(gateway, "model=gpt-4o-mini", user: "user-bob", path: "/compare").0, 404, "bob has no provider for it")
    }

    func testTheEstimateCountsThePromptAndPricesItAcrossProviders() throws {
        let gateway = try GatewayTestEnvironment(label: "usage-estimate")
        try withProviders(gateway)
        let body = #"{"model":"gpt-4o-mini","max_tokens":100,"messages":[{"role":"user","content":"Hello world, how are you?"}]}"#
        let result = try gateway.invoke("usage-stats", "POST", "/estimate", body: body, token: try gateway.token("user-alice"))
        let json = try JSONValue.parse(result.body)
        XCTAssertEqual(result.head?.status, 200, result.text)
        XCTAssertEqual(json["estimated_prompt_tokens"], 15, "3 + 4 per message + 1 (role) + 7 (25 characters)")
        XCTAssertEqual(json["providers"]?.arrayValue?.count, 2)
        XCTAssertEqual(json["max_cost_usd"], 0.00006225, "15 x 0.15 + 100 x 0.6 per 1M")
        XCTAssertEqual(json["prompt_cost_usd"]?["min"], 0.00000225)
        let bad = try gateway.invoke("usage-stats", "POST", "/estimate", body: #"{"model":"gpt-4o-mini"}"#, token: try gateway.token("user-alice"))
        XCTAssertEqual(bad.head?.status, 400)
    }

    func testTheCSVExportRoundTripsEveryRowInPagesAndOnlyTheCallers() throws {
        let gateway = try GatewayTestEnvironment(label: "usage-export")
        let store = try gateway.store()
        var expected: [String: UsageRecord] = [:]
        for index in 0..<2_300 {
            var record = row(
                "user-alice", "2026-11-0\(1 + index % 5)T0\(index % 10):00:00Z", model: index == 7 ? #"=evil,"quoted" model"# : "gpt-4o-mini",
                prompt: index, completion: 2 * index, cost: Double(index) / 1000, latency: index % 700)
            record.createdAt += Int64(index)
            try store.recordUsage(service, record)
            expected[record.id] = record
        }
        try store.recordUsage(service, row("user-bob", "2026-11-02T00:00:00Z", prompt: 1))
        let result = try gateway.invoke(
            "usage-stats", "GET", "/export", query: "format=csv&start_date=2026-11-01&end_date=2026-11-06",
            token: try gateway.token("user-alice"))
        XCTAssertEqual(result.head?.status, 200)
        XCTAssertEqual(result.head?.headers["Content-Type"], "text/csv; charset=utf-8")
        let lines = try CSVReader.parse(String(decoding: result.body, as: UTF8.self))
        XCTAssertEqual(lines.first?.first, "id")
        let rows = Array(lines.dropFirst())
        XCTAssertEqual(rows.count, 2_300, "every row, across three pages, and none of bob's")
        for fields in rows {
            let record = try XCTUnwrap(expected[fields[0]], fields[0])
            XCTAssertEqual(ISO8601Milliseconds.parse(fields[1]), record.createdAt)
            XCTAssertEqual(fields[4], record.modelRequested == #"=evil,"quoted" model"# ? #"'=evil,"quoted" model"# : record.modelRequested ?? "")
            XCTAssertEqual(Int(fields[9]), record.promptTokens)
            XCTAssertEqual(Int(fields[10]), record.completionTokens)
            XCTAssertEqual(Double(fields[13]), record.costUSD)
            XCTAssertEqual(Int(fields[15]), record.latencyMs)
        }
        XCTAssertEqual(
            try gateway.invoke("usage-stats", "GET", "/export", query: "format=xml", token: try gateway.token("user-alice")).head?.status, 400)
    }
}

/// RFC 4180, enough to read back what the export writes.
enum CSVReader {
    static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character? = nil
        while let char = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if char == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            field.append("\"")
                        } else {
                            quoted = false
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(char)
                }
            } else if char == "\"" {
                quoted = true
            } else if char == "," {
                row.append(field)
                field = ""
            } else if char == "\r\n" || char == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(char)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
