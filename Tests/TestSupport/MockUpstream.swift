import Foundation
import FunctionRuntime

/// A provider on 127.0.0.1 that speaks HTTP/1.1 (keep-alive, chunked streams) and answers
/// each request as the test script says. It records what it received and how connections ended.
package final class MockUpstream: @unchecked Sendable {
    package struct Received: Sendable {
        package var method: String
        package var path: String
        package var headers: [String: String]
        package var body: [UInt8]
        package var json: JSONValue? { try? JSONValue.parse(body) }
    }

    package enum Reply: Sendable {
        case json(status: Int, body: String, headers: [String: String] = [:])
        /// Each event is written as one chunk, `delayMs` apart.
        case stream(events: [String], delayMs: Int = 0, headers: [String: String] = [:])
        /// Reads the request and never answers.
        case hang
        /// The head and `events` (a chunk each), then one byte every `byteEveryMs` (a comment line that never
        /// ends), until the gateway hangs up or the mock stops: alive, but too slow to be of use.
        case trickle(events: [String], byteEveryMs: Int)
    }

    package let port: UInt16
    package var baseURL: String { "http://127.0.0.1:\(port)" }
    private let listener: Int32
    private let lock = NSLock()
    private var received: [Received] = []
    private var accepted = 0
    private var streamWriteFailures = 0
    private var closed = false
    private let reply: @Sendable (Received) -> Reply

    package init(port: UInt16? = nil, _ reply: @escaping @Sendable (Received) -> Reply) throws {
        self.port = try port ?? Socket.freeLoopbackPort()
        listener = try Socket.listen(on: .tcp(host: "127.0.0.1", port: self.port))
        self.reply = reply
        // A gateway that hangs up mid-stream must cost an EPIPE here, not the test process.
        ProcessSignals.ignoreBrokenPipe()
        NativeThread.detach { [self] in acceptLoop() }
    }

    deinit { stop() }

    package func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    package var requests: [Received] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }
    package var connectionsAccepted: Int {
        lock.lock()
        defer { lock.unlock() }
        return accepted
    }
    /// Streams that stopped because the gateway closed the connection.
    package var abandonedStreams: Int {
        lock.lock()
        defer { lock.unlock() }
        return streamWriteFailures
    }

    private func acceptLoop() {
        while let fd = Socket.accept(listener) {
            lock.lock()
            accepted += 1
            lock.unlock()
            NativeThread.detach { [self] in serve(fd) }
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer: [UInt8] = []
        while let request = readRequest(fd, &buffer) {
            lock.lock()
            received.append(request)
            lock.unlock()
            switch reply(request) {
            case .json(let status, let body, let headers):
                var head = "HTTP/1.1 \(status) Mock\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                guard (try? FileDescriptorIO.writeAll(fd, Array((head + "\r\n" + body).utf8))) != nil else { return }
            case .stream(let events, let delayMs, let headers):
                var head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                guard (try? FileDescriptorIO.writeAll(fd, Array((head + "\r\n").utf8))) != nil else { return }
                for event in events {
                    if delayMs > 0 { usleep(useconds_t(delayMs * 1000)) }
                    guard writeChunk(fd, Array(event.utf8)) else { return }
                }
                guard (try? FileDescriptorIO.writeAll(fd, Array("0\r\n\r\n".utf8))) != nil else { return }
            case .hang:
                while let chunk = try? FileDescriptorIO.read(fd), !chunk.isEmpty {}
                return
            case .trickle(let events, let byteEveryMs):
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                guard (try? FileDescriptorIO.writeAll(fd, Array(head.utf8))) != nil else { return }
                for event in events { guard writeChunk(fd, Array(event.utf8)) else { return } }
                while true {
                    // In short sleeps, so that a stopped mock lets its connection go.
                    for _ in 0..<max(1, byteEveryMs / 50) {
                        usleep(50_000)
                        if isStopped { return }
                    }
                    guard writeChunk(fd, Array(":".utf8)) else { return }
                }
            }
        }
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return closed
    }

    /// One chunk of a chunked body; false (and counted as an abandoned stream) when the gateway has hung up.
    private func writeChunk(_ fd: Int32, _ data: [UInt8]) -> Bool {
        let chunk = Array(String(data.count, radix: 16).utf8) + [13, 10] + data + [13, 10]
        guard (try? FileDescriptorIO.writeAll(fd, chunk)) == nil else { return true }
        lock.lock()
        streamWriteFailures += 1
        lock.unlock()
        return false
    }

    private func readRequest(_ fd: Int32, _ buffer: inout [UInt8]) -> Received? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            if buffer.count >= 4 {
                headEnd = (0...(buffer.count - 4)).first { Array(buffer[$0..<$0 + 4]) == separator }
            }
            if headEnd != nil { break }
            guard let chunk = try? FileDescriptorIO.read(fd), !chunk.isEmpty else { return nil }
            buffer += chunk
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "") ?? 0
        let bodyStart = headEnd! + 4
        while buffer.count < bodyStart + length {
            guard let chunk = try? FileDescriptorIO.read(fd), !chunk.isEmpty else { return nil }
            buffer += chunk
        }
        let body = Array(buffer[bodyStart..<bodyStart + length])
        buffer.removeFirst(bodyStart + length)
        return Received(
            method: String(requestLine.first ?? ""), path: String(requestLine.dropFirst().first ?? ""),
            headers: headers, body: body)
    }
}
