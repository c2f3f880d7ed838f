import FunctionRuntime

// A function used only by the tests: it exercises the invocation contract
// (echo, streaming with timestamps, slow responses, failures) through the real runtime.

#if canImport(Glibc)
    import Glibc
#endif

func epochMilliseconds() -> Int {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return time.tv_sec * 1000 + time.tv_nsec / 1_000_000
}

var routes = RouteTable<Void>()

routes.on("GET", "/echo") { request, _, writer in try echo(request, writer) }
routes.on("POST", "/echo") { request, _, writer in try echo(request, writer) }

@Sendable func echo(_ request: FunctionRequest, _ writer: ResponseWriter) throws {
    var headers: [String: JSONValue] = [:]
    for field in request.headers { headers[field.name.lowercased()] = .string(field.value) }
    var query: [String: JSONValue] = [:]
    for (name, value) in request.queryParameters { query[name] = .string(value) }
    try writer.respond(json: [
        "method": .string(request.method),
        "path": .string(request.path),
        "query": .string(request.query),
        "query_parameters": .object(query),
        "headers": .object(headers),
        "body": .string(String(decoding: request.body, as: UTF8.self)),
        "body_length": .int(request.body.count),
        "remote_addr": request.remoteAddress.map(JSONValue.string) ?? .null,
        "pid": .int(Int(getpid())),
        // Shows whether configuration in the server's environment reaches the function (fcgiwrap, workers).
        "env_marker": getenv("GATEWAY_TEST_MARKER").map { .string(String(cString: $0)) } ?? .null,
    ])
}

// SSE: `events` events `delay_ms` apart, each stamped with the time it was written.
// With `marker=PATH`, what the handler learned about the client is written there.
routes.on("GET", "/stream") { request, _, writer in
    let parameters = request.queryParameters
    let count = parameters["events"].flatMap(Int.init) ?? 3
    let delay = parameters["delay_ms"].flatMap(Int.init) ?? 100
    let marker = parameters["marker"]
    try writer.startEventStream()
    var sent = 0
    do {
        for index in 0..<count {
            if index > 0 { try await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000) }
            try writer.writeEvent(data: #"{"i":\#(index),"sent_at_ms":\#(epochMilliseconds())}"#)
            sent += 1
        }
        try writer.writeEvent(data: "[DONE]")
    } catch {
        if let marker {
            let note = "disconnected after \(sent) events; told=\(writer.isClientGone)\n"
            let fd = open(marker, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            _ = try? FileDescriptorIO.writeAll(fd, Array(note.utf8))
            close(fd)
        }
        throw error
    }
}

routes.on("GET", "/slow") { request, _, writer in
    let milliseconds = request.queryParameters["ms"].flatMap(Int.init) ?? 500
    try await Task.sleep(nanoseconds: UInt64(milliseconds) * 1_000_000)
    try writer.respond(json: ["slept_ms": .int(milliseconds), "pid": .int(Int(getpid()))])
}

routes.on("GET", "/large") { request, _, writer in
    let size = request.queryParameters["bytes"].flatMap(Int.init) ?? 200_000
    try writer.writeHead(status: 200, headers: ["Content-Type": "application/octet-stream"])
    try writer.write([UInt8](repeating: UInt8(ascii: "x"), count: size))
}

routes.on("GET", "/fail") { _, _, _ in
    struct Boom: Error {}
    throw Boom()
}

// The process dies as a trap would kill it: for the tests of what a web server (or local-runner) does then.
routes.on("GET", "/die") { _, _, _ in
    kill(getpid(), SIGKILL)
}

await FunctionProcess.main(name: "invocation-probe", handler: routes)
