#if canImport(Glibc)
    import Glibc
#endif

/// Reads a CGI request: meta-variables from the environment, the body from stdin.
package enum CGIRequestReader {
    package static func read(
        environment: [String: String],
        input fd: Int32,
        limits: InvocationLimits
    ) throws -> FunctionRequest {
        let body = try readBody(environment: environment, input: fd, limits: limits)
        return CGIEnvironment.makeRequest(environment, body: body)
    }

    static func readBody(environment: [String: String], input fd: Int32, limits: InvocationLimits) throws -> [UInt8] {
        if let text = environment["CONTENT_LENGTH"], !text.isEmpty {
            guard let length = Int(text), length >= 0 else {
                throw APIError.badRequest("CONTENT_LENGTH '\(text.prefix(32))' is not a byte count.", code: "invalid_content_length")
            }
            guard length <= limits.maxBodyBytes else { throw APIError.payloadTooLarge(limit: limits.maxBodyBytes) }
            let body = try FileDescriptorIO.readExactly(fd, count: length)
            guard body.count == length else {
                throw APIError.badRequest(
                    "Request body ended after \(body.count) of \(length) bytes.", code: "incomplete_body"
                )
            }
            return body
        }
        // No CONTENT_LENGTH: a server that does not know the length streams the body and closes stdin.
        let method = environment["REQUEST_METHOD"] ?? "GET"
        guard CGIEnvironment.mayCarryBody(method), isatty(fd) == 0 else { return [] }
        guard let body = try FileDescriptorIO.readToEnd(fd, limit: limits.maxBodyBytes) else {
            throw APIError.payloadTooLarge(limit: limits.maxBodyBytes)
        }
        return body
    }
}
