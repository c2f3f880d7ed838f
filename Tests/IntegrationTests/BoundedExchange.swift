import Foundation
import FunctionHost
import FunctionRuntime
import TestSupport
import XCTest

/// A response read with a deadline, as raw as it came: a fault test must tell "ended with an error"
/// from "never ended", and a cut stream from one its server ended on purpose.
struct BoundedResponse {
    /// The status line's code (HTTP) or the `Status:` header's (CGI); nil when no head arrived.
    var status: Int?
    /// Lowercased names.
    var headers: [String: String] = [:]
    /// The body, de-chunked.
    var body: [UInt8] = []
    /// From the request to the end of the response (or to the deadline).
    var seconds: Double
    /// When the response ended (or the deadline passed).
    var endedAt: Date
    /// The deadline passed with the response still open.
    var timedOut: Bool
    /// HTTP: the chunked body ended with its last chunk (or the whole Content-Length came); CGI: the process
    /// closed its output (and exited 0, when waited for).
    var endedCleanly: Bool

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    /// The OpenAI-style error code of a JSON error answer.
    var errorCode: String? { (json?["error"] as? [String: Any])?["code"] as? String }
    /// SSE `data:` payloads.
    var events: [String] {
        text.components(separatedBy: "\n\n").flatMap { block in
            block.split(separator: "\n").filter { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
        }
    }
}

extension ChatTestbed {
    /// One request to v1-chat (a CGI process, or through local-runner's worker), given up on after `seconds`.
    func boundedChat(_ body: String, path: String = "/v1/chat/completions", within seconds: Double) throws -> BoundedResponse {
        try endpoint().chat(body, path: path, within: seconds, waitingForExit: true)
    }

    /// What other threads need to send the bed's user's requests.
    func endpoint() throws -> ChatEndpoint {
        ChatEndpoint(
            runnerPort: mode == .fastcgi ? try startRunner().port : nil, token: token, logPath: logPath,
            cgiBase: gateway.variables.merging(extraEnvironment) { $1 })
    }
}

/// v1-chat as a client reaches it: through local-runner's port, or as a CGI process.
struct ChatEndpoint: Sendable {
    var runnerPort: UInt16?
    var token: String
    var logPath: String
    /// The bed's environment under CGI, before the request's own variables.
    var cgiBase: [String: String]

    /// - Parameter waitingForExit: CGI: return once the process has exited (its row written), not when its answer
    ///   is complete, as a web server does (the process then writes its row, and may retry, on its own).
    func chat(
        _ body: String, path: String = "/v1/chat/completions", within seconds: Double, waitingForExit: Bool = true
    ) throws -> BoundedResponse {
        guard let runnerPort else {
            return try BoundedExchange.cgi(
                BuildProducts.path("v1-chat"), environment: ChatTestbed.cgiEnvironment(base: cgiBase, body, token: token, path: path),
                body: Array(body.utf8), errorLog: logPath, within: seconds, waitingForExit: waitingForExit)
        }
        return try BoundedExchange.http(
            port: runnerPort, path: "/functions/v1/v1-chat" + path,
            headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"], body: Array(body.utf8), within: seconds)
    }
}

/// What several threads report, read once they are done.
final class Collected<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value] = []

    /// How many there are with this one.
    @discardableResult
    func append(_ value: Value) -> Int {
        lock.withLock {
            values.append(value)
            return values.count
        }
    }

    var all: [Value] { lock.withLock { values } }
}

enum BoundedExchange {
    /// `POST path` over HTTP/1.1 (`Connection: close`), read until the server closes or the deadline.
    static func http(port: UInt16, path: String, headers: [String: String], body: [UInt8], within seconds: Double) throws -> BoundedResponse {
        let started = Date()
        let fd = try Socket.connect(to: .tcp(host: "127.0.0.1", port: port))
        defer { close(fd) }
        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try FileDescriptorIO.writeAll(fd, Array((head + "\r\n").utf8) + body)
        let (raw, timedOut) = readUntilClosed(fd, deadline: started.addingTimeInterval(seconds))
        var response = BoundedResponse(seconds: Date().timeIntervalSince(started), endedAt: Date(), timedOut: timedOut, endedCleanly: false)
        guard let headEnd = find([13, 10, 13, 10], in: raw, from: 0) else { return response }
        let lines = String(decoding: raw[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        response.status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) }
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            response.headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let rest = Array(raw[(headEnd + 4)...])
        if response.headers["transfer-encoding"]?.lowercased() == "chunked" {
            (response.body, response.endedCleanly) = dechunk(rest)
        } else {
            response.body = rest
            response.endedCleanly = Int(response.headers["content-length"] ?? "") == rest.count
        }
        return response
    }

    /// Runs a CGI executable; past the deadline it is killed. The response ends when the process closes its output.
    static func cgi(
        _ executable: String, environment: [String: String], body: [UInt8], errorLog: String, within seconds: Double,
        waitingForExit: Bool
    ) throws -> BoundedResponse {
        ProcessSignals.ignoreBrokenPipe()
        let started = Date()
        let child = try ChildProcess.spawn(executable: executable, arguments: [], environment: environment, stdio: .pipesWithErrorLog(errorLog))
        let stdinFD = child.stdinFD
        NativeThread.detach {
            try? FileDescriptorIO.writeAll(stdinFD, body)
            close(stdinFD)
        }
        let (raw, timedOut) = readUntilClosed(child.stdoutFD, deadline: started.addingTimeInterval(seconds))
        let endedAt = Date()
        close(child.stdoutFD)
        if timedOut { child.signal(SIGKILL) }
        var exitedCleanly = true
        if waitingForExit || timedOut {
            exitedCleanly = child.wait() == 0
        } else {
            NativeThread.detach { _ = child.wait() }
        }
        var response = BoundedResponse(
            seconds: endedAt.timeIntervalSince(started), endedAt: endedAt, timedOut: timedOut, endedCleanly: !timedOut && exitedCleanly)
        if let (head, start) = try? CGIResponseHead.parse(raw) {
            response.status = head.status
            for (name, value) in head.headers { response.headers[name.lowercased()] = value }
            response.body = Array(raw[start...])
        }
        return response
    }

    /// Everything `fd` delivers until end of file, or until the deadline (then `timedOut`).
    private static func readUntilClosed(_ fd: Int32, deadline: Date) -> (bytes: [UInt8], timedOut: Bool) {
        var raw: [UInt8] = []
        while true {
            let remaining = Int(deadline.timeIntervalSinceNow * 1000)
            guard remaining > 0 else { return (raw, true) }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, Int32(min(remaining, 1000))) >= 0 else { return (raw, false) }
            guard descriptor.revents != 0 else { continue }
            // A connection the server cut (ECONNRESET) ends the response as surely as end of file.
            guard let chunk = try? FileDescriptorIO.read(fd), !chunk.isEmpty else { return (raw, false) }
            raw += chunk
        }
    }

    /// The chunks' data, and whether the last (empty) chunk came.
    private static func dechunk(_ raw: [UInt8]) -> (body: [UInt8], complete: Bool) {
        var body: [UInt8] = []
        var index = 0
        while let lineEnd = find([13, 10], in: raw, from: index) {
            let sizeText = String(decoding: raw[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText, radix: 16) else { break }
            if size == 0 { return (body, true) }
            let start = lineEnd + 2
            guard start + size <= raw.count else {
                body += raw[start...]
                break
            }
            body += raw[start..<start + size]
            index = start + size + 2
        }
        return (body, false)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        return (start...(haystack.count - needle.count)).first { index in
            needle.indices.allSatisfy { haystack[index + $0] == needle[$0] }
        }
    }
}
