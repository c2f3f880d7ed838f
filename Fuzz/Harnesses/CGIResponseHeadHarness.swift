import FunctionRuntime

/// The CGI response-head parser (local-runner reads functions' output with it): a head, once
/// complete, is the same whatever follows it, and the body never starts past the buffer.
enum CGIResponseHeadHarness {
    static func run(_ input: [UInt8]) {
        guard let (head, bodyStart) = try? CGIResponseHead.parse(input) else { return }
        check(bodyStart <= input.count, "the body starts at \(bodyStart) of \(input.count) bytes")
        check((100...599).contains(head.status), "status \(head.status)")
        let longer = try? CGIResponseHead.parse(input + Array("\r\n\r\nStatus: 500\r\n\r\n".utf8))
        check(longer?.head == head && longer?.bodyStart == bodyStart, "what follows a complete head changed it")
    }
}
