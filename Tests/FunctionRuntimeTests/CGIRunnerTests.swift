import FunctionRuntime
import Logging
import TestSupport
import XCTest

/// The CGI contract in-process: stdin and stdout are pipes the test holds.
final class CGIRunnerTests: XCTestCase {
    private let logger = Logger(label: "test")

    private func makePipe() -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        return (fds[0], fds[1])
    }

    func testResponseIsAStatusLineHeadersAndBody() async throws {
        let stdin = makePipe(), stdout = makePipe()
        close(stdin.write)
        let handler = ClosureHandler { request, writer in
            try writer.respond(status: 201, json: ["path": .string(request.path)], headers: ["X-Test": "yes"])
        }
        await CGIRunner.run(
            handler, environment: ["REQUEST_METHOD": "GET", "PATH_INFO": "/p"],
            input: stdin.read, output: stdout.write, logger: logger)
        close(stdout.write)
        let output = String(decoding: try FileDescriptorIO.readToEnd(stdout.read, limit: 1 << 20)!, as: UTF8.self)
        XCTAssertTrue(output.hasPrefix("Status: 201 Created\r\n"), output)
        XCTAssertTrue(output.contains("X-Test: yes\r\n"))
        XCTAssertTrue(output.contains("Content-Type: application/json\r\n"))
        XCTAssertTrue(output.hasSuffix("\r\n\r\n{\"path\":\"/p\"}"), output)
    }

    func testStreamedChunksReachStdoutBeforeTheNextIsWritten() async throws {
        let stdin = makePipe(), stdout = makePipe()
        close(stdin.write)
        let gate = AsyncGate()
        let handler = ClosureHandler { _, writer in
            try writer.startEventStream()
            try writer.writeEvent(data: "first")
            await gate.wait()  // the test reads "first" before this handler may go on
            try writer.writeEvent(data: "second")
        }
        let logger = self.logger
        let run = Task {
            await CGIRunner.run(handler, environment: ["REQUEST_METHOD": "GET"], input: stdin.read, output: stdout.write, logger: logger)
        }

        var seen = ""
        while !seen.contains("data: first\n\n") {
            let chunk = try FileDescriptorIO.read(stdout.read)
            XCTAssertFalse(chunk.isEmpty, "stdout ended before the first event")
            seen += String(decoding: chunk, as: UTF8.self)
        }
        XCTAssertFalse(seen.contains("second"), "the second event cannot exist yet")
        XCTAssertTrue(seen.contains("X-Accel-Buffering: no"))
        await gate.open()
        await run.value
        close(stdout.write)
        seen += String(decoding: try FileDescriptorIO.readToEnd(stdout.read, limit: 1 << 20)!, as: UTF8.self)
        XCTAssertTrue(seen.hasSuffix("data: second\n\n"))
    }

    func testClientDisconnectMidStreamIsToldToTheHandlerWithoutCrashing() async throws {
        let stdin = makePipe(), stdout = makePipe()
        close(stdin.write)
        let gate = AsyncGate()
        let observed = Observed()
        let handler = ClosureHandler { _, writer in
            writer.onClientDisconnect { observed.set("callback") }
            try writer.startEventStream()
            try writer.writeEvent(data: "one")
            await gate.wait()
            do {
                try writer.writeEvent(data: "two")
                observed.set("write succeeded")
            } catch is ClientDisconnected {
                XCTAssertTrue(writer.isClientGone)
                throw ClientDisconnected()
            }
        }
        let logger = self.logger
        let run = Task {
            await CGIRunner.run(handler, environment: ["REQUEST_METHOD": "GET"], input: stdin.read, output: stdout.write, logger: logger)
        }
        _ = try FileDescriptorIO.read(stdout.read)
        close(stdout.read)  // the client goes away
        await gate.open()
        await run.value  // returns: no SIGPIPE death, no hang
        close(stdout.write)
        XCTAssertEqual(observed.value, "callback")
    }

    func testThrownHTTPErrorBecomesOpenAIErrorJSON() async throws {
        let stdin = makePipe(), stdout = makePipe()
        close(stdin.write)
        let handler = ClosureHandler { _, _ in throw APIError(status: 429, message: "slow down", code: "rate_limited", headers: ["Retry-After": "3"])
        }
        await CGIRunner.run(handler, environment: ["REQUEST_METHOD": "GET"], input: stdin.read, output: stdout.write, logger: logger)
        close(stdout.write)
        let output = try FileDescriptorIO.readToEnd(stdout.read, limit: 1 << 20)!
        let (head, start) = try XCTUnwrap(try CGIResponseHead.parse(output))
        XCTAssertEqual(head.status, 429)
        XCTAssertEqual(head.headers["Retry-After"], "3")
        let json = try JSONValue.parse(Array(output[start...]))
        XCTAssertEqual(json["error"]?["message"], "slow down")
        XCTAssertEqual(json["error"]?["type"], "rate_limit_error")
        XCTAssertEqual(json["error"]?["code"], "rate_limited")
    }

    func testUnexpectedErrorIs500WithoutItsTextAndItsLogLineMasksKeys() async throws {
        struct Secretive: Error { var detail = "sk-secret-value" }
        let stdin = makePipe(), stdout = makePipe()
        close(stdin.write)
        let lines = CapturedLogLines()
        let capturing = Logger(label: "test") { _ in CapturingLogHandler(lines: lines) }
        await CGIRunner.run(
            ClosureHandler { _, _ in throw Secretive() }, environment: ["REQUEST_METHOD": "GET"],
            input: stdin.read, output: stdout.write, logger: capturing)
        close(stdout.write)
        let output = String(decoding: try FileDescriptorIO.readToEnd(stdout.read, limit: 1 << 20)!, as: UTF8.self)
        XCTAssertTrue(output.hasPrefix("Status: 500"))
        XCTAssertTrue(output.contains("internal_error"))
        XCTAssertFalse(output.contains("sk-secret-value"))
        let logged = lines.all.joined(separator: "\n")
        XCTAssertTrue(logged.contains("handler failed"), logged)
        XCTAssertTrue(logged.contains("Secretive"), "the error's type stays in the log: \(logged)")
        XCTAssertFalse(logged.contains("sk-secret-value"), logged)
    }

    func testOversizedBodyIsAnswered413() async throws {
        let stdin = makePipe(), stdout = makePipe()
        try FileDescriptorIO.writeAll(stdin.write, [UInt8](repeating: 0, count: 64))
        close(stdin.write)
        let called = Observed()
        await CGIRunner.run(
            ClosureHandler { _, _ in called.set("called") },
            environment: ["REQUEST_METHOD": "POST", "GATEWAY_MAX_BODY_BYTES": "32"],
            input: stdin.read, output: stdout.write, logger: logger)
        close(stdout.write)
        let output = String(decoding: try FileDescriptorIO.readToEnd(stdout.read, limit: 1 << 20)!, as: UTF8.self)
        XCTAssertTrue(output.hasPrefix("Status: 413 Payload Too Large"), output)
        XCTAssertNil(called.value, "the handler never sees an oversized request")
    }
}

/// Lets a test hold a handler at a point until the test has checked something.
actor AsyncGate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        waiters.forEach { $0.resume() }
        waiters = []
    }
}

final class CapturedLogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var all: [String] { lock.withLock { lines } }
    func append(_ line: String) { lock.withLock { lines.append(line) } }
}

struct CapturingLogHandler: LogHandler {
    let lines: CapturedLogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.append("\(event.message) \(merged.map { "\($0)=\($1)" }.sorted().joined(separator: " "))")
    }
}
