import Dispatch
import FunctionRuntime
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A whole CGI invocation from an arbitrary environment and body: `CGIRunner` reads the
/// meta-variables (CONTENT_LENGTH, REQUEST_METHOD, PATH_INFO, QUERY_STRING, HTTP_*) and the body,
/// a route table dispatches, and the response head it writes must parse with the runtime's own
/// `CGIResponseHead`. The input is `NAME=VALUE` entries separated by NUL bytes, an empty entry,
/// then the body.
enum CGIEnvironmentHarness {
    /// GATEWAY_MAX_BODY_BYTES is the operator's setting, not the client's: it is fixed here.
    static let maxBodyBytes = 4096

    static func run(_ input: [UInt8]) {
        var (environment, body) = split(input)
        _ = InvocationLimits.fromEnvironment(environment)
        environment["GATEWAY_MAX_BODY_BYTES"] = String(maxBodyBytes)
        let request = CGIEnvironment.makeRequest(environment, body: [])
        // By bytes: a combining mark after the slash makes one Character of both (a quirk, not a defect here).
        check(request.path.utf8.first == UInt8(ascii: "/"), "PATH_INFO became a path without a leading slash")
        check(request.method == request.method.uppercased(), "the method is not upper case")
        for field in request.headers { check(!field.name.contains("_"), "a header name keeps an underscore: \(field.name)") }
        _ = request.queryParameters
        if let token = request.bearerToken { check(!token.isEmpty && !token.hasPrefix(" "), "an empty or padded bearer token") }

        let output = invoke(environment: environment, body: body)
        guard let (head, bodyStart) = try? CGIResponseHead.parse(output) else {
            fatalError("invariant broken: the CGI response head does not parse: \(String(decoding: output.prefix(300), as: UTF8.self))")
        }
        check((100...599).contains(head.status), "status \(head.status)")
        check(bodyStart <= output.count, "the body starts past the output")
        // Every route answers or refuses on purpose: a 500 is an error nobody meant.
        check(head.status != 500, "answered 500: \(String(decoding: output.prefix(300), as: UTF8.self))")
    }

    /// Entries up to the first empty one; the rest is the body.
    static func split(_ input: [UInt8]) -> ([String: String], [UInt8]) {
        var environment: [String: String] = [:]
        var index = 0
        while index < input.count {
            let end = input[index...].firstIndex(of: 0) ?? input.count
            defer { index = end + 1 }
            if end == index { return (environment, Array(input[min(end + 1, input.count)...])) }
            let entry = input[index..<end]
            let equals = entry.firstIndex(of: UInt8(ascii: "=")) ?? end
            let name = String(decoding: entry[index..<equals], as: UTF8.self)
            environment[name] = String(decoding: entry[min(equals + 1, end)..<end], as: UTF8.self)
        }
        return (environment, [])
    }

    /// Runs CGIRunner with the body on a pipe and returns what it wrote to its output pipe.
    private static func invoke(environment: [String: String], body: [UInt8]) -> [UInt8] {
        var input: [Int32] = [0, 0]
        var output: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0 else { fatalError("pipe: \(errno)") }
        // The body fits in the pipe's buffer (inputs are far below 64 KiB): no writer thread needed.
        try? FileDescriptorIO.writeAll(input[1], body)
        close(input[1])
        let done = DispatchSemaphore(value: 0)
        let (readEnd, writeEnd) = (input[0], output[1])
        Task {
            await CGIRunner.run(routes, environment: environment, input: readEnd, output: writeEnd, logger: silent)
            close(writeEnd)
            done.signal()
        }
        var written: [UInt8] = []
        while let chunk = try? FileDescriptorIO.read(output[0]), !chunk.isEmpty { written += chunk }
        done.wait()
        close(input[0])
        close(output[0])
        return written
    }

    static let silent = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }

    /// Routes with placeholders, a body and the query: enough to reach every part of a request.
    static let routes: RouteTable<Void> = {
        var table = RouteTable<Void>()
        table.on("GET", "/") { request, _, writer in
            try writer.respond(json: ["query": .int(request.queryParameters.count), "bearer": .bool(request.bearerToken != nil)])
        }
        table.on("GET", "/items/{id}") { _, parameters, writer in
            try writer.respond(json: ["id": .string(parameters["id"] ?? "")])
        }
        table.on("POST", "/items") { request, _, writer in
            try writer.respond(json: ["bytes": .int(request.body.count)])
        }
        return table
    }()
}
