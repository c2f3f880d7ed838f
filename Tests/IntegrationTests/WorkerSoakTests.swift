import Foundation
import FunctionHost
import FunctionRuntime
import TestSupport
import XCTest

/// A v1-chat FastCGI worker behind nginx (the shipped template, connections kept) under steady load from
/// wrk: its resident memory, sampled every 10,000 requests, levels off, under 40 MiB. Bounded: 100,000 requests.
final class WorkerSoakTests: XCTestCase {
    static let requestsPerSample = 10_000
    static let samples = 10
    static let ceilingKiB = 40 * 1024
    /// Growth allowed from the second sample (the first includes warming up) to the last.
    static let marginKiB = 3 * 1024

    func testAWorkersMemoryLevelsOffUnder40MiBOver100000Requests() throws {
        guard let wrk = SystemTool.find("wrk") else {
            if SystemTool.runningInCI { throw TestFailure("wrk must be installed in CI (deploy/install-debian-packages.sh)") }
            throw XCTSkip("wrk is not installed")
        }
        let bed = try ChatTestbed()
        let directory = try temporaryDirectory("soak")
        let upstreamPort = try Socket.freeLoopbackPort()
        var environment = ProcessInfo.processInfo.environment.merging(bed.gateway.variables) { $1 }
        environment["GATEWAY_LOG_LEVEL"] = "warning"
        let upstream = try ManagedProcess(
            BuildProducts.path("bench-fixture"), ["upstream", String(upstreamPort)], environment: environment, logPath: "\(directory)/upstream.log")
        defer { upstream.stop() }
        try bed.connect("openai", to: "http://127.0.0.1:\(upstreamPort)/v1")
        try bed.listModel("gpt-4o-mini", on: "openai", input: 0.15, output: 0.6)
        let worker = try ManagedProcess(
            BuildProducts.path("v1-chat"), ["--fastcgi", "\(directory)/v1-chat.sock"], environment: environment, logPath: "\(directory)/v1-chat.log")
        defer { worker.stop() }
        try ManagedProcess.waitUntilAccepting(.unix(path: "\(directory)/v1-chat.sock"))
        let port = try Socket.freeLoopbackPort()
        let configuration = WebServerConfiguration(
            server: .nginx, contract: .fastcgi, directory: directory, port: port,
            values: ["@FUNCTIONS@": "v1-chat", "@SOCKET_DIR@": directory, "@CONSOLE_DIR@": WebServerDeployment.consoleDirectory], apacheUser: nil)
        try configuration.write()
        let nginx = try ManagedProcess(try WebServerDeployment.tool("nginx"), configuration.arguments, logPath: "\(directory)/nginx.log")
        defer { nginx.stop() }
        try ManagedProcess.waitUntilAccepting(.tcp(host: "127.0.0.1", port: port))
        try """
        wrk.method = "POST"
        wrk.body = '\(ChatTestbed.request("gpt-4o-mini"))'
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Authorization"] = "Bearer \(bed.token)"
        """.write(toFile: "\(directory)/post.lua", atomically: true, encoding: .utf8)

        var served = 0, runs = 0
        var samples: [(requests: Int, rssKiB: Int)] = []
        let started = Date()
        while samples.count < Self.samples, Date().timeIntervalSince(started) < 240 {
            let output = try run(
                wrk,
                [
                    "-t", "1", "-c", "8", "-d", "1s", "-s", "\(directory)/post.lua",
                    "http://127.0.0.1:\(port)/functions/v1/v1-chat/v1/chat/completions",
                ], directory)
            XCTAssertFalse(output.contains("Non-2xx"), "every request is served: \(output)")
            served += Self.requests(inWrkOutput: output)
            runs += 1
            if served >= (samples.count + 1) * Self.requestsPerSample { samples.append((served, try Self.rssKiB(worker.child.pid))) }
        }
        print(
            "figure: worker RSS every \(Self.requestsPerSample) requests: "
                + samples.map { "\($0.requests): \($0.rssKiB / 1024) MiB (\($0.rssKiB) KiB)" }.joined(separator: ", "))
        XCTAssertEqual(samples.count, Self.samples, "the soak ran its \(Self.samples * Self.requestsPerSample) requests within 240 s: \(served)")
        guard samples.count == Self.samples else { return }
        XCTAssertLessThanOrEqual(samples.last!.rssKiB - samples[1].rssKiB, Self.marginKiB, "RSS grew from the second sample to the last: \(samples)")
        XCTAssertLessThan(samples.map(\.rssKiB).max()!, Self.ceilingKiB, "\(samples)")
        // Every request left its row (the soak is also a durability check at volume).
        // wrk counts the requests it saw answered; at the end of each 1 s run it hangs up on those in flight
        // (at most its 8 connections), which the worker records as `client_aborted` or finishes.
        // Counted by status from the metrics' counters, which move in each row's transaction.
        func rowsByStatus() throws -> [String: Int] {
            try bed.store.usageMetrics(bed.service, perUser: false).series.reduce(into: [:]) { $0[$1.status, default: 0] += $1.usage.requests }
        }
        var rows = try rowsByStatus()
        let deadline = Date().addingTimeInterval(10)
        while rows["success", default: 0] < served, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            rows = try rowsByStatus()
        }
        XCTAssertGreaterThanOrEqual(rows["success", default: 0], served, "every answered request has its row: \(rows)")
        XCTAssertLessThanOrEqual(rows.values.reduce(0, +), served + runs * 8, "no row without a request: \(rows)")
        XCTAssertEqual(Set(rows.keys).subtracting(["success", "client_aborted"]), [], "\(rows)")
    }

    private func run(_ executable: String, _ arguments: [String], _ directory: String) throws -> String {
        let log = "\(directory)/wrk.log"
        unlink(log)
        let child = try ChildProcess.spawn(
            executable: executable, arguments: arguments, environment: ProcessInfo.processInfo.environment, stdio: .logFile(log))
        guard child.wait() == 0 else { throw TestFailure("wrk failed: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")") }
        return try String(contentsOfFile: log, encoding: .utf8)
    }

    /// wrk's "12345 requests in 1.00s, ...".
    static func requests(inWrkOutput output: String) -> Int {
        output.split(separator: "\n").first { $0.contains("requests in") }.flatMap {
            Int($0.trimmingCharacters(in: .whitespaces).split(separator: " ")[0])
        } ?? 0
    }

    static func rssKiB(_ pid: pid_t) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }), let kib = Int(line.split(separator: " ")[1]) else {
            throw TestFailure("no VmRSS for \(pid)")
        }
        return kib
    }
}
