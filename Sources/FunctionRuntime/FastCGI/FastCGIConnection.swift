import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One connection from the web server. A native thread reads records (blocking I/O stays
/// off the Swift concurrency pool); each request's handler runs in its own Task and writes
/// STDOUT records as it goes. One request at a time: FastCGI multiplexing is refused
/// with CANT_MPX_CONN, which nginx never needs.
final class FastCGIConnection: Sendable {
    /// What one request has sent so far, before its handler starts (reader thread only).
    private struct PendingRequest {
        var id: UInt16
        var keepConnection: Bool
        var params: [UInt8] = []
        var paramsComplete = false
        /// PARAMS over `maxParamsBytes`: the rest is read and dropped, and the request answered 431.
        var paramsTooLarge = false
        var body: [UInt8] = []
        var bodyTooLarge = false
    }

    private struct RunningRequest {
        var id: UInt16
        var writer: ResponseWriter
        var task: Task<Void, Never>?
    }

    private struct State {
        var running: RunningRequest?
        var readerDone = false
        var closed = false
    }

    /// PARAMS beyond these are hostile or broken: real ones are a few KiB and a few dozen pairs
    /// (nginx's default header buffers hold 32 KiB). Checked before anything is allocated for them.
    static let maxParamsBytes = 128 * 1024
    static let maxParamsCount = 1000

    private let socket: OwnedDescriptor
    private let handler: any RequestHandler
    private let limits: InvocationLimits
    private let logger: Logger
    private let tracker: RequestTracker
    private let state = Mutex(State())

    /// Called once, when the descriptor is closed.
    private let onClose: @Sendable () -> Void

    init(
        fd: Int32, handler: any RequestHandler, limits: InvocationLimits, logger: Logger, tracker: RequestTracker,
        onClose: @escaping @Sendable () -> Void = {}
    ) {
        self.onClose = onClose
        self.socket = OwnedDescriptor(fd)
        self.handler = handler
        self.limits = limits
        self.logger = logger
        self.tracker = tracker
    }

    func start() {
        NativeThread.detach { [self] in
            readLoop()
            readerFinished()
        }
    }

    // MARK: Reading

    private func readLoop() {
        var decoder = FastCGIRecordDecoder()
        var pending: PendingRequest?
        while true {
            let bytes: [UInt8]
            do {
                bytes = try socket.read()
            } catch {
                bytes = []
            }
            if bytes.isEmpty {
                abortRunning(reason: "connection closed by web server")
                return
            }
            decoder.append(bytes)
            do {
                while let record = try decoder.next() {
                    try handle(record, pending: &pending)
                }
            } catch {
                logger.warning("closing FastCGI connection after a protocol error", metadata: ["error": "\(error)"])
                abortRunning(reason: "protocol error")
                return
            }
        }
    }

    private func handle(_ record: FastCGIRecord, pending: inout PendingRequest?) throws {
        if record.requestID == FastCGIRecord.managementRequestID {
            try handleManagement(record)
            return
        }
        switch record.kind {
        case .beginRequest:
            let begin = try FastCGIBeginRequest(parsing: record.content)
            let busyWith = state.withLock { $0.running?.id } ?? pending?.id
            if busyWith == record.requestID {
                // The request in progress begun again: an END_REQUEST for it would end that request too.
                return
            } else if busyWith != nil {
                sendEnd(requestID: record.requestID, status: .cantMultiplexConnection)
            } else if begin.role != FastCGIRole.responder.rawValue {
                sendEnd(requestID: record.requestID, status: .unknownRole)
                if !begin.keepConnection { socket.shutdown() }  // the request is over, and so is its connection
            } else {
                pending = PendingRequest(id: record.requestID, keepConnection: begin.keepConnection)
            }
        case .params:
            guard var request = pending, request.id == record.requestID, !request.paramsComplete else { return }
            if record.content.isEmpty {
                request.paramsComplete = true
            } else if !request.paramsTooLarge {
                if request.params.count + record.content.count > FastCGIConnection.maxParamsBytes {
                    request.paramsTooLarge = true
                    request.params = []
                } else {
                    request.params += record.content
                }
            }
            pending = request
        case .stdin:
            guard var request = pending, request.id == record.requestID else { return }
            if record.content.isEmpty {
                pending = nil
                try startHandler(for: request)
                return
            }
            if !request.bodyTooLarge && !request.paramsTooLarge {
                if request.body.count + record.content.count > limits.maxBodyBytes {
                    // Keep reading to the end of STDIN, as the protocol requires, but drop the bytes.
                    request.bodyTooLarge = true
                    request.body = []
                } else {
                    request.body += record.content
                }
            }
            pending = request
        case .abortRequest:
            if pending?.id == record.requestID {
                pending = nil
                sendEnd(requestID: record.requestID, status: .requestComplete)
            } else {
                abortRunning(reason: "ABORT_REQUEST", requestID: record.requestID)
            }
        default:
            break  // DATA (filter role) and unknown per-request types carry nothing for a responder
        }
    }

    private func handleManagement(_ record: FastCGIRecord) throws {
        guard record.kind == .getValues else {
            send([FastCGIRecord(.unknownType, requestID: 0, content: [record.type, 0, 0, 0, 0, 0, 0, 0])])
            return
        }
        let known = ["FCGI_MAX_CONNS": "1024", "FCGI_MAX_REQS": "1024", "FCGI_MPXS_CONNS": "0"]
        let asked = try FastCGINameValuePairs.decode(record.content)
        let answers = asked.compactMap { name, _ in known[name].map { (name, $0) } }
        send([FastCGIRecord(.getValuesResult, requestID: 0, content: FastCGINameValuePairs.encode(answers))])
    }

    // MARK: Running a request

    private func startHandler(for pending: PendingRequest) throws {
        // nil: over the byte limit (dropped as it came) or the count limit.
        let pairs = pending.paramsTooLarge ? nil : try FastCGINameValuePairs.decode(pending.params, maximumCount: FastCGIConnection.maxParamsCount)
        let environment = pairs.map { Dictionary($0, uniquingKeysWith: { _, last in last }) } ?? [:]
        let refusal: APIError? =
            pairs == nil
            ? .headersTooLarge(limitBytes: FastCGIConnection.maxParamsBytes, limitCount: FastCGIConnection.maxParamsCount)
            : pending.bodyTooLarge ? .payloadTooLarge(limit: limits.maxBodyBytes) : nil
        let transport = FastCGIStdoutTransport(connection: self, requestID: pending.id, keepConnection: pending.keepConnection)
        let writer = ResponseWriter(transport: transport)
        state.withLock { $0.running = RunningRequest(id: pending.id, writer: writer) }
        tracker.begin()
        let request = CGIEnvironment.makeRequest(environment, body: refusal == nil ? pending.body : [])
        let task = Task { [handler, logger] in
            if let refusal {
                await handler.reject(request, with: refusal, writer)
            } else {
                await Invocation.serve(request, with: handler, writer: writer, logger: logger)
            }
            try? writer.finish()
        }
        state.withLock { state in
            if state.running?.id == pending.id { state.running?.task = task }
        }
    }

    /// Marks the connection idle *before* END_REQUEST goes out: the web server may send
    /// the next BEGIN_REQUEST on a kept connection as soon as it reads END_REQUEST.
    func finishRequest(id: UInt16, keepConnection: Bool) throws {
        state.withLock { state in
            if state.running?.id == id { state.running = nil }
        }
        defer {
            tracker.end()
            // Wakes the reader, which then closes. A no-op if the peer hung up first and the reader
            // already closed: the descriptor's number may belong to a new connection by now.
            if !keepConnection { socket.shutdown() }
            closeIfIdle()
        }
        try sendOrThrow([
            FastCGIRecord(.stdout, requestID: id),
            FastCGIEndRequest.record(requestID: id, status: .requestComplete),
        ])
    }

    /// The web server aborted the request or the connection is gone: tell the handler.
    private func abortRunning(reason: String, requestID: UInt16? = nil) {
        let running = state.withLock { state -> RunningRequest? in
            guard let running = state.running, requestID == nil || running.id == requestID else { return nil }
            return running
        }
        guard let running else { return }
        logger.info("request aborted", metadata: ["reason": "\(reason)"])
        running.writer.clientDidDisconnect()
        running.task?.cancel()
    }

    private func readerFinished() {
        state.withLock { $0.readerDone = true }
        closeIfIdle()
    }

    private func closeIfIdle() {
        let shouldClose = state.withLock { state -> Bool in
            guard state.readerDone, state.running == nil, !state.closed else { return false }
            state.closed = true
            return true
        }
        if shouldClose {
            socket.close()
            onClose()
        }
    }

    // MARK: Writing

    func send(_ records: [FastCGIRecord]) {
        try? sendOrThrow(records)
    }

    func sendOrThrow(_ records: [FastCGIRecord]) throws {
        var bytes: [UInt8] = []
        for record in records { record.append(to: &bytes) }
        try socket.write(bytes)
    }

    func sendEnd(requestID: UInt16, status: FastCGIProtocolStatus, appStatus: UInt32 = 0) {
        send([FastCGIEndRequest.record(requestID: requestID, status: status, appStatus: appStatus)])
    }
}

/// A request's STDOUT stream; finishing sends the empty STDOUT record and END_REQUEST.
struct FastCGIStdoutTransport: ResponseTransport {
    let connection: FastCGIConnection
    let requestID: UInt16
    let keepConnection: Bool

    func send(_ bytes: [UInt8]) throws {
        try connection.sendOrThrow(FastCGIRecord.stream(.stdout, requestID: requestID, bytes: bytes))
    }

    func finish() throws {
        try connection.finishRequest(id: requestID, keepConnection: keepConnection)
    }
}
