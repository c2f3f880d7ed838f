/// CGI/1.1 (RFC 3875) meta-variables -> `Request`. FastCGI PARAMS carry the same variables.
package enum CGIEnvironment {
    package static func makeRequest(_ environment: [String: String], body: [UInt8]) -> FunctionRequest {
        var headers = HTTPHeaders()
        if let contentType = environment["CONTENT_TYPE"], !contentType.isEmpty {
            headers.add("Content-Type", contentType)
        }
        if let contentLength = environment["CONTENT_LENGTH"], !contentLength.isEmpty {
            headers.add("Content-Length", contentLength)
        }
        // HTTP_CONTENT_TYPE/LENGTH duplicate the two above when those are set (some servers pass both):
        // skip them. No lookup per variable: linear in the number of variables.
        let duplicates = ["HTTP_CONTENT_TYPE": "CONTENT_TYPE", "HTTP_CONTENT_LENGTH": "CONTENT_LENGTH"]
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("HTTP_") {
            if let original = duplicates[name], environment[original]?.isEmpty == false { continue }
            headers.add(headerName(fromMetaVariable: String(name.dropFirst(5))), value)
        }
        return FunctionRequest(
            method: environment["REQUEST_METHOD"] ?? "GET",
            path: environment["PATH_INFO"] ?? "/",
            query: environment["QUERY_STRING"] ?? "",
            headers: headers,
            body: body,
            remoteAddress: environment["REMOTE_ADDR"]
        )
    }

    /// `X_FORWARDED_FOR` -> `X-Forwarded-For`.
    package static func headerName(fromMetaVariable name: String) -> String {
        name.split(separator: "_", omittingEmptySubsequences: false)
            .map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }
            .joined(separator: "-")
    }

    /// Methods whose body, when no CONTENT_LENGTH is given, is read to the end of input.
    static func mayCarryBody(_ method: String) -> Bool {
        ["POST", "PUT", "PATCH"].contains(method.uppercased())
    }
}
