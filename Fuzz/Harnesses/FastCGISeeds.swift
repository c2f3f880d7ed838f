import FunctionHost
import FunctionRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// FastCGI seeds as the project's own `FastCGIClientConnection` writes them (requests, as nginx
/// would send them), and a real responder's answer (for the record decoder).
enum FastCGISeeds {
    static let nginxParams: [(String, String)] = [
        ("REQUEST_METHOD", "POST"), ("SCRIPT_NAME", "/functions/v1/v1-chat"), ("PATH_INFO", "/chat/completions"),
        ("QUERY_STRING", "stream=true&x=%20y"), ("CONTENT_TYPE", "application/json"), ("CONTENT_LENGTH", "27"),
        ("SERVER_PROTOCOL", "HTTP/1.1"), ("REMOTE_ADDR", "127.0.0.1"), ("HTTP_AUTHORIZATION", "Bearer token-1"),
        ("HTTP_X_FORWARDED_FOR", "10.0.0.1"), ("HTTP_ACCEPT", "text/event-stream"),
    ]
    static let body = Array(#"{"model":"m","messages":[]}"#.utf8)

    static func all() -> [(harness: String, name: String, bytes: [UInt8])] {
        let requests: [(String, (FastCGIClientConnection) throws -> Void)] = [
            ("get", { try $0.sendRequest(params: [("REQUEST_METHOD", "GET"), ("PATH_INFO", "/")], body: []) }),
            ("post-json", { try $0.sendRequest(params: nginxParams, body: body) }),
            (
                "two-requests-kept-connection",
                {
                    try $0.sendRequest(id: 1, params: nginxParams, body: body, keepConnection: true)
                    try $0.sendRequest(id: 2, params: [("REQUEST_METHOD", "GET"), ("PATH_INFO", "/models")], body: [])
                }
            ),
            (
                "get-values-then-request",
                {
                    let names = FastCGINameValuePairs.encode([("FCGI_MAX_CONNS", ""), ("FCGI_MPXS_CONNS", ""), ("OTHER", "")])
                    try $0.sendRecords([FastCGIRecord(.getValues, requestID: 0, content: names)])
                    try $0.sendRequest(params: nginxParams, body: body)
                }
            ),
            (
                "begin-then-abort",
                {
                    try $0.sendRecords([
                        FastCGIRecord(.beginRequest, requestID: 1, content: FastCGIBeginRequest(role: 1, keepConnection: true).encoded),
                        FastCGIRecord(.params, requestID: 1, content: FastCGINameValuePairs.encode(nginxParams)),
                        FastCGIRecord(.abortRequest, requestID: 1),
                    ])
                }
            ),
            (
                "authorizer-role",
                {
                    try $0.sendRecords([
                        FastCGIRecord(.beginRequest, requestID: 1, content: FastCGIBeginRequest(role: 2, keepConnection: false).encoded)
                    ])
                }
            ),
            (
                "multiplexed-second-begin",
                {
                    try $0.sendRecords([
                        FastCGIRecord(.beginRequest, requestID: 1, content: FastCGIBeginRequest(role: 1, keepConnection: true).encoded)
                    ])
                    try $0.sendRequest(id: 2, params: nginxParams, body: body)
                }
            ),
            (
                "params-and-stdin-in-pieces",
                {
                    let params = FastCGINameValuePairs.encode(nginxParams + [("HTTP_X_LONG", String(repeating: "v", count: 300))])
                    try $0.sendRecords(
                        [FastCGIRecord(.beginRequest, requestID: 1, content: FastCGIBeginRequest(role: 1, keepConnection: false).encoded)]
                            + [params[..<10], params[10..<200], params[200...]].map { FastCGIRecord(.params, requestID: 1, content: Array($0)) }
                            + [FastCGIRecord(.params, requestID: 1)]
                            + [body[..<5], body[5...]].map { FastCGIRecord(.stdin, requestID: 1, content: Array($0)) }
                            + [FastCGIRecord(.stdin, requestID: 1)])
                }
            ),
            ("unknown-management-type", { try $0.sendRecords([FastCGIRecord(type: 42, requestID: 0, content: [1, 2, 3])]) }),
            ("body-over-the-limit", { try $0.sendRequest(params: nginxParams, body: [UInt8](repeating: 120, count: 5000)) }),
        ]
        var seeds: [(harness: String, name: String, bytes: [UInt8])] = []
        for (name, send) in requests {
            let bytes = captured(send)
            seeds.append(("fastcgi-connection", name, bytes))
            seeds.append(("fastcgi-records", name, [7] + bytes))
        }
        seeds.append(("fastcgi-records", "responder-answer", [3] + responderAnswer()))
        seeds.append(("fastcgi-params", "nginx-params", [64] + FastCGINameValuePairs.encode(nginxParams)))
        seeds.append(("fastcgi-params", "long-value", [4] + FastCGINameValuePairs.encode([("HTTP_COOKIE", String(repeating: "c", count: 200))])))
        seeds.append(("fastcgi-params", "get-values-names", [3] + FastCGINameValuePairs.encode([("FCGI_MAX_CONNS", ""), ("FCGI_MAX_REQS", "")])))
        return seeds
    }

    /// What the client wrote, read from the other end of a Unix socket.
    private static func captured(_ send: (FastCGIClientConnection) throws -> Void) -> [UInt8] {
        let address = SocketAddress.unix(path: temporaryDirectory() + "/capture.sock")
        guard let listener = try? Socket.listen(on: address) else { fatalError("cannot listen on \(address)") }
        defer { close(listener) }
        do {
            let client = try FastCGIClientConnection(address: address)
            try send(client)
        } catch {
            fatalError("the client failed: \(error)")
        }
        // The client is gone (closed): the accepted end reads its bytes, then end of file.
        guard let accepted = Socket.accept(listener) else { fatalError("accept failed") }
        defer { close(accepted) }
        return (try? FileDescriptorIO.readToEnd(accepted, limit: 1 << 20)).flatMap { $0 } ?? []
    }

    /// A real responder's records for one request, encoded again.
    private static func responderAnswer() -> [UInt8] {
        do {
            let client = try FastCGIClientConnection(address: FastCGIConnectionHarness.responder.address)
            try client.sendRequest(params: nginxParams, body: body)
            var bytes: [UInt8] = []
            while let record = try client.readRecord() { bytes += record.encoded() }
            return bytes
        } catch {
            fatalError("the responder's answer could not be read: \(error)")
        }
    }

    private static func temporaryDirectory() -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/fuzz-seeds.XXXXXX".utf8CString)
        guard let directory = mkdtemp(&template) else { fatalError("mkdtemp: \(errno)") }
        return String(cString: directory)
    }
}
