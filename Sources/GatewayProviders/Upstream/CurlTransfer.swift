import CCurl
import FunctionRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One transfer's state, shared with libcurl's callbacks through an unmanaged pointer.
final class CurlTransfer: @unchecked Sendable {
    private let request: UpstreamRequest
    private let continuation: AsyncThrowingStream<UpstreamEvent, any Error>.Continuation
    private let aborted = Atomic<Bool>(false)
    // Touched only on the transfer's own thread (callbacks run inside curl_easy_perform).
    private var headers: [String: String] = [:]
    private var status = 0
    private var headSent = false
    private var started: UInt64 = 0
    private var lastActivity: UInt64 = 0
    private var timedOut: UpstreamError?

    init(request: UpstreamRequest, continuation: AsyncThrowingStream<UpstreamEvent, any Error>.Continuation) {
        self.request = request
        self.continuation = continuation
    }

    /// The consumer stopped listening: the next callback makes curl give up.
    func abort() { aborted.store(true, ordering: .relaxed) }

    /// Runs the transfer; `finish` reports its end (after the handle is back in the pool, so
    /// that the consumer's next request finds the kept-alive connection).
    func perform(on handle: CurlHandle) -> (CURLcode, String) {
        guard let curl = handle.pointer else { return (CURLE_FAILED_INIT, "libcurl could not create a handle") }
        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers { list = curl_slist_append(list, "\(name): \(value)") }
        // No `Expect: 100-continue` round trip for larger bodies.
        list = curl_slist_append(list, "Expect:")
        defer { curl_slist_free_all(list) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let context = Unmanaged.passRetained(self)
        defer { context.release() }
        let result: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            gateway_curl_setopt_string(curl, CURLOPT_URL, request.url)
            gateway_curl_setopt_pointer(curl, CURLOPT_HTTPHEADER, list)
            gateway_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            // The system CA directory: loading the default bundle costs ~45 ms per process.
            gateway_curl_setopt_string(curl, CURLOPT_CAPATH, "/etc/ssl/certs")
            gateway_curl_setopt_pointer(curl, CURLOPT_CAINFO, nil)
            gateway_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
            gateway_curl_setopt_long(curl, CURLOPT_TCP_KEEPALIVE, 1)
            gateway_curl_setopt_long(curl, CURLOPT_TCP_NODELAY, 1)
            gateway_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, request.timeouts.connectMilliseconds)
            switch request.method {
            case "GET":
                gateway_curl_setopt_long(curl, CURLOPT_HTTPGET, 1)
            default:
                gateway_curl_setopt_long(curl, CURLOPT_POSTFIELDSIZE, request.body.count)
                request.body.withUnsafeBytes { _ = gateway_curl_setopt_pointer(curl, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
                if request.method != "POST" { gateway_curl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, request.method) }
            }
            gateway_curl_setopt_header(curl, curlHeaderCallback)
            gateway_curl_setopt_pointer(curl, CURLOPT_HEADERDATA, context.toOpaque())
            gateway_curl_setopt_write(curl, curlWriteCallback)
            gateway_curl_setopt_pointer(curl, CURLOPT_WRITEDATA, context.toOpaque())
            gateway_curl_setopt_long(curl, CURLOPT_NOPROGRESS, 0)
            gateway_curl_setopt_progress(curl, curlProgressCallback)
            gateway_curl_setopt_pointer(curl, CURLOPT_XFERINFODATA, context.toOpaque())
            started = MonotonicClock.nanoseconds()
            lastActivity = started
            return curl_easy_perform(curl)
        }
        let message = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let detail = message.isEmpty ? String(cString: curl_easy_strerror(result)) : message
        return (result, detail)
    }

    func finish(_ result: CURLcode, detail: String) {
        if result == CURLE_OK {
            sendHeadIfNeeded()
            continuation.finish()
        } else if let timedOut {
            continuation.finish(throwing: timedOut)
        } else if aborted.load(ordering: .relaxed) {
            continuation.finish()
        } else if !headSent
            && [
                CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY,
                CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_OPERATION_TIMEDOUT,
                CURLE_SEND_ERROR,
            ].contains(result)
        {
            continuation.finish(throwing: UpstreamError.connectFailed(detail))
        } else {
            continuation.finish(throwing: UpstreamError.transferFailed(detail))
        }
    }

    fileprivate func header(_ line: String) -> Bool {
        lastActivity = MonotonicClock.nanoseconds()
        // "\r\n" is one Character in Swift: trim by scalar.
        var scalars = Substring(line).unicodeScalars
        while let last = scalars.last, last == "\r" || last == "\n" { scalars.removeLast() }
        let trimmed = String(scalars)
        if trimmed.hasPrefix("HTTP/") {
            // A new response (after `100 Continue`, or the first): start over.
            status = Int(trimmed.split(separator: " ").dropFirst().first ?? "") ?? 0
            headers = [:]
        } else if trimmed.isEmpty {
            if status >= 200 { sendHeadIfNeeded() }
        } else if let colon = trimmed.firstIndex(of: ":") {
            let name = trimmed[..<colon].lowercased()
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: " ")
            headers[name] = value
        }
        return !aborted.load(ordering: .relaxed)
    }

    fileprivate func body(_ bytes: [UInt8]) -> Bool {
        lastActivity = MonotonicClock.nanoseconds()
        sendHeadIfNeeded()
        guard !aborted.load(ordering: .relaxed) else { return false }
        if case .terminated = continuation.yield(.body(bytes)) { abort() }
        return !aborted.load(ordering: .relaxed)
    }

    /// Called by libcurl several times a second: enforces the first-byte and idle timeouts and aborts.
    fileprivate func progress() -> Bool {
        if aborted.load(ordering: .relaxed) { return false }
        let now = MonotonicClock.nanoseconds()
        if !headSent, now - started > UInt64(request.timeouts.firstByteMilliseconds) * 1_000_000 {
            timedOut = .firstByteTimeout
            return false
        }
        if headSent, now - lastActivity > UInt64(request.timeouts.idleMilliseconds) * 1_000_000 {
            timedOut = .idleTimeout
            return false
        }
        return true
    }

    private func sendHeadIfNeeded() {
        guard !headSent else { return }
        headSent = true
        if case .terminated = continuation.yield(.head(status: status, headers: headers)) { abort() }
    }
}

private func curlHeaderCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    return transfer.header(line) ? length : 0
}

private func curlWriteCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let bytes = [UInt8](UnsafeRawBufferPointer(start: data, count: length))
    return transfer.body(bytes) ? length : 0
}

private func curlProgressCallback(_ context: UnsafeMutableRawPointer?, _: curl_off_t, _: curl_off_t, _: curl_off_t, _: curl_off_t) -> Int32 {
    guard let context else { return 1 }
    return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().progress() ? 0 : 1
}
