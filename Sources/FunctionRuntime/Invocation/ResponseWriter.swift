import Synchronization

/// Writes one response. The same writer serves CGI, FastCGI and local-runner:
/// the head is always a CGI response head (`Status:` + header lines), which is also
/// what a FastCGI responder sends on its STDOUT stream.
public final class ResponseWriter: Sendable {
    private struct State {
        var status: Int?
        var bytesWritten = 0
        var finished = false
        var clientGone = false
        var disconnectHandlers: [@Sendable () -> Void] = []
        var extraHeaders: [(name: String, value: String)] = []
    }

    private let transport: any ResponseTransport
    private let state = Mutex(State())
    /// What this response must never contain (the provider keys its request used): every byte
    /// written, head and body, is redacted against it.
    public let secrets = SecretRedactor()

    public init(transport: any ResponseTransport) {
        self.transport = transport
    }

    /// The status sent, once the head is out.
    public var status: Int? { state.withLock { $0.status } }
    public var headSent: Bool { status != nil }
    public var isFinished: Bool { state.withLock { $0.finished } }
    /// Body bytes written so far.
    public var bytesWritten: Int { state.withLock { $0.bytesWritten } }
    public var isClientGone: Bool { state.withLock { $0.clientGone } }

    /// Runs `handler` once when the client goes away (at once if it already has),
    /// so that work on its behalf, such as an upstream transfer, can be aborted.
    public func onClientDisconnect(_ handler: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.clientGone { return true }
            state.disconnectHandlers.append(handler)
            return false
        }
        if runNow { handler() }
    }

    /// Called by a transport that learns of the disconnect without writing (FastCGI abort, EOF).
    public func clientDidDisconnect() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.clientGone else { return [] }
            state.clientGone = true
            defer { state.disconnectHandlers = [] }
            return state.disconnectHandlers
        }
        for handler in handlers { handler() }
    }

    /// A header for whatever response head is written later (a budget alert on a chat answer).
    public func addHeaderToResponse(_ name: String, _ value: String) {
        state.withLock { $0.extraHeaders.append((name: name, value: value)) }
    }

    public func writeHead(status: Int, headers: HTTPHeaders = [:]) throws {
        var head = "Status: \(status) \(HTTPStatus.reasonPhrase(status))\r\n"
        let extra = state.withLock { $0.extraHeaders }
        for field in extra where !field.name.contains("\r") && !field.value.contains("\r") && !field.value.contains("\n") {
            head += "\(field.name): \(field.value)\r\n"
        }
        for field in headers where !field.name.contains("\r") && !field.value.contains("\r") && !field.value.contains("\n") {
            head += "\(field.name): \(field.value)\r\n"
        }
        head += "\r\n"
        try state.withLock { state in
            guard state.status == nil else { throw ResponseWriterError.headAlreadySent }
            state.status = status
        }
        try send(Array(head.utf8))
    }

    /// Sends body bytes to the client now.
    public func write(_ bytes: [UInt8]) throws {
        try write(bytes, redacted: false)
    }

    /// `redacted`: the caller already ran the bytes through `secrets` (a JSON body, to measure it).
    func write(_ bytes: [UInt8], redacted: Bool) throws {
        guard !bytes.isEmpty else { return }
        try state.withLock { state in
            guard state.status != nil else { throw ResponseWriterError.headNotSent }
            guard !state.finished else { throw ResponseWriterError.alreadyFinished }
            state.bytesWritten += bytes.count
        }
        try send(bytes, redacted: redacted)
    }

    public func write(_ string: String) throws {
        try write(Array(string.utf8))
    }

    public func finish() throws {
        let first = state.withLock { state -> Bool in
            defer { state.finished = true }
            return !state.finished
        }
        guard first else { return }
        // The transport is finished exactly once, even when the client is already gone.
        if !headSent && !isClientGone { try? writeHead(status: 204) }
        do {
            try transport.finish()
        } catch IOError.peerClosed {
            clientDidDisconnect()
        }
    }

    private func send(_ bytes: [UInt8], redacted: Bool = false) throws {
        if isClientGone { throw ClientDisconnected() }
        do {
            try transport.send(redacted ? bytes : secrets.redact(bytes))
        } catch IOError.peerClosed {
            clientDidDisconnect()
            throw ClientDisconnected()
        }
    }
}

public enum ResponseWriterError: Error, Sendable {
    case headAlreadySent
    case headNotSent
    case alreadyFinished
}

extension ResponseWriter {
    /// A complete JSON response.
    public func respond(status: Int = 200, json: [UInt8], headers: HTTPHeaders = [:]) throws {
        let json = secrets.redact(json)  // before Content-Length is taken
        var headers = headers
        headers.set("Content-Type", "application/json")
        headers.set("Content-Length", String(json.count))
        try writeHead(status: status, headers: headers)
        try write(json, redacted: true)
        try finish()
    }

    public func respond(status: Int = 200, json: JSONValue, headers: HTTPHeaders = [:]) throws {
        try respond(status: status, json: json.serialized(), headers: headers)
    }

    public func respond(error: APIError) throws {
        try respond(status: error.status, json: error.jsonBody, headers: error.headers)
    }

    /// Starts a `text/event-stream` response that no proxy in between will buffer.
    public func startEventStream(status: Int = 200, headers: HTTPHeaders = [:]) throws {
        var headers = headers
        headers.set("Content-Type", "text/event-stream; charset=utf-8")
        headers.set("Cache-Control", "no-cache")
        headers.set("X-Accel-Buffering", "no")  // nginx: pass each event on at once
        try writeHead(status: status, headers: headers)
    }

    /// Writes one `data:` event.
    public func writeEvent(data: String) throws {
        try write("data: \(data)\n\n")
    }
}
