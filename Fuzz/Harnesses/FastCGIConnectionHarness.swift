import FunctionRuntime
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A real FastCGI responder (`FastCGIServer`, the connection state machine behind it) fed an
/// arbitrary record stream on a Unix socket, as nginx would send it. The connection must close
/// once the input ends (a hang is a finding), and what the responder wrote must be well formed:
/// whole records of the types a responder sends, at most one END_REQUEST per BEGIN_REQUEST, and
/// every response's STDOUT starting with a complete CGI head.
enum FastCGIConnectionHarness {
    static let responder = Responder()
    /// Below libFuzzer's -timeout (10 s in run.sh), so that a hang is reported as one.
    static let deadlineSeconds = 5

    static func run(_ input: [UInt8]) {
        let output = exchange(input, with: responder.address)
        var records: [FastCGIRecord] = []
        var decoder = FastCGIRecordDecoder()
        decoder.append(output)
        do {
            while let record = try decoder.next() { records.append(record) }
        } catch {
            fatalError("invariant broken: the responder wrote a malformed record stream: \(error)")
        }
        check(decoder.pendingByteCount == 0, "the responder's output ends inside a record")
        let begun = beginRequestCounts(input)
        var ended: [UInt16: Int] = [:]
        var stdout: [UInt16: [UInt8]] = [:]
        for record in records {
            switch record.kind {
            case .stdout:
                check(record.requestID != 0, "STDOUT for the management id")
                stdout[record.requestID, default: []] += record.content
            case .endRequest:
                check(record.content.count == 8, "an END_REQUEST body of \(record.content.count) bytes")
                ended[record.requestID, default: 0] += 1
                if let response = stdout.removeValue(forKey: record.requestID), !response.isEmpty {
                    check((try? CGIResponseHead.parse(response)) != nil, "a response without a complete CGI head")
                }
            case .getValuesResult, .unknownType:
                check(record.requestID == 0, "a management record for request \(record.requestID)")
            default:
                fatalError("invariant broken: the responder sent a record of type \(record.type)")
            }
        }
        for (id, count) in ended {
            check(count <= begun[id, default: 0], "\(count) END_REQUEST for request \(id), begun \(begun[id, default: 0]) times")
        }
    }

    /// BEGIN_REQUEST records per id in the part of the input that decodes (the responder stops at a protocol error).
    private static func beginRequestCounts(_ input: [UInt8]) -> [UInt16: Int] {
        var decoder = FastCGIRecordDecoder()
        decoder.append(input)
        var counts: [UInt16: Int] = [:]
        while let record = try? decoder.next() {
            if record.kind == .beginRequest && record.requestID != 0 { counts[record.requestID, default: 0] += 1 }
        }
        return counts
    }

    /// Writes the input, half-closes, and reads until the responder closes, all at once
    /// (the responder may answer before it has read everything).
    private static func exchange(_ input: [UInt8], with address: SocketAddress) -> [UInt8] {
        guard let fd = try? Socket.connect(to: address) else { fatalError("cannot connect to the responder") }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var sent = 0
        var writing = true
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = MonotonicClock.nanoseconds() + UInt64(deadlineSeconds) * 1_000_000_000
        func finishWriting() {
            writing = false
            shutdown(fd, Int32(SHUT_WR))
        }
        if input.isEmpty { finishWriting() }
        while true {
            let now = MonotonicClock.nanoseconds()
            check(now < deadline, "the connection was still open \(deadlineSeconds) s after the input ended")
            var poller = pollfd(fd: fd, events: Int16(POLLIN) | (writing ? Int16(POLLOUT) : 0), revents: 0)
            _ = poll(&poller, 1, Int32((deadline - now) / 1_000_000) + 1)
            if writing && poller.revents & Int16(POLLOUT | POLLERR | POLLHUP) != 0 {
                let count = input[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if count > 0 {
                    sent += count
                    if sent == input.count { finishWriting() }
                } else if count < 0 && errno != EAGAIN && errno != EINTR {
                    finishWriting()  // the responder closed first (a protocol error): read what it said
                }
            }
            if poller.revents & Int16(POLLIN | POLLERR | POLLHUP) != 0 {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count == 0 { return received }
                if count > 0 {
                    received += buffer[..<count]
                } else if errno != EAGAIN && errno != EINTR {
                    return received  // ECONNRESET: the responder closed with input unread
                }
            }
        }
    }
}

/// The FastCGI responder under test, on a Unix socket in a fresh directory under TMPDIR.
final class Responder: Sendable {
    let address: SocketAddress
    private let server: FastCGIServer

    init() {
        ProcessSignals.ignoreBrokenPipe()
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/fuzz-fastcgi.XXXXXX".utf8CString)
        guard let directory = mkdtemp(&template).map({ String(cString: $0) }) else { fatalError("mkdtemp: \(errno)") }
        address = .unix(path: directory + "/responder.sock")
        guard let listener = try? Socket.listen(on: address) else { fatalError("cannot listen on \(address)") }
        server = FastCGIServer(
            listener: listener, handler: EchoHandler(), limits: InvocationLimits(maxBodyBytes: 4096), logger: CGIEnvironmentHarness.silent)
        server.start()
    }
}

/// Answers with what it was given, so that every part of a request is read.
struct EchoHandler: RequestHandler {
    func handle(_ request: FunctionRequest, _ writer: ResponseWriter) async throws {
        try writer.respond(json: [
            "method": .string(request.method), "path": .string(String(request.path.prefix(64))), "body": .int(request.body.count),
            "query": .int(request.queryParameters.count), "headers": .int(request.headers.fields.count),
        ])
    }
}
