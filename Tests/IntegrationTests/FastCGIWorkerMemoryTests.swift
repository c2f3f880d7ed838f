import Foundation
import FunctionHost
import FunctionRuntime
import TestSupport
import XCTest

/// A worker gives memory back after a burst: 30 connections each holding 8 MiB of request body, then
/// gone. (glibc keeps what threads freed in their arenas: a worker once went from 21 to 427 MiB under
/// hostile input and stayed at 344 MiB.)
final class FastCGIWorkerMemoryTests: XCTestCase {
    private func residentKiB(_ pid: pid_t) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    func testMemoryHeldByAbandonedRequestBodiesIsReturnedToTheSystem() throws {
        ProcessSignals.ignoreBrokenPipe()  // a worker that hangs up on us must fail the assertions, not kill the test run
        let directory = try temporaryDirectory("fcgi-memory")
        let address = SocketAddress.unix(path: "\(directory)/probe.sock")
        let worker = try ManagedProcess(
            BuildProducts.path("invocation-probe"), ["--fastcgi", address.description],
            logPath: "\(directory)/probe.log")
        defer { worker.stop() }
        try ManagedProcess.waitUntilAccepting(address)
        let baseline = residentKiB(worker.child.pid)

        let piece = [UInt8](repeating: 66, count: 65_000)
        var connections: [FastCGIClientConnection] = []
        for _ in 0..<30 {
            let connection = try FastCGIClientConnection(address: address)
            var records = [
                FastCGIRecord(.beginRequest, requestID: 1, content: FastCGIBeginRequest(role: 1, keepConnection: false).encoded),
                FastCGIRecord(.params, requestID: 1, content: FastCGINameValuePairs.encode([("REQUEST_METHOD", "POST"), ("PATH_INFO", "/echo")])),
                FastCGIRecord(.params, requestID: 1),
            ]
            records += Array(repeating: FastCGIRecord(.stdin, requestID: 1, content: piece), count: 128)  // 8 MB, never ended
            try connection.sendRecords(records)
            connections.append(connection)
        }
        Thread.sleep(forTimeInterval: 0.5)
        let peak = residentKiB(worker.child.pid)
        connections.removeAll()  // the web server hangs up: every buffered body is dropped

        var after = residentKiB(worker.child.pid)
        let deadline = Date().addingTimeInterval(25)
        while after > baseline + 20 * 1024, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.25)
            after = residentKiB(worker.child.pid)
        }
        print("worker RSS: \(baseline) KiB at start, \(peak) KiB holding 30 x 8 MB of body, \(after) KiB after they were dropped")
        XCTAssertGreaterThan(peak - baseline, 100 * 1024, "the bodies were held (else this test shows nothing)")
        XCTAssertLessThan(after - baseline, 20 * 1024, "freed memory went back to the system")
        let connection = try FastCGIClientConnection(address: address)
        try connection.sendRequest(params: [("REQUEST_METHOD", "GET"), ("PATH_INFO", "/echo")], body: [])
        XCTAssertEqual(try connection.readResponse().end?.protocolStatus, 0, "and the worker still serves")
    }
}
