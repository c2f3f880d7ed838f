/// CGI/1.1 (RFC 3875) meta-variables -> `Request`. FastCGI PARAMS carry the same variables.
public enum CGIEnvironment {
    public static func makeRequest(_ environment: [String: String], body: [UInt8]) -> Request {
        var headers = HTTPHeaders()
        if let contentType = environment["CONTENT_TYPE"], !contentType.isEmpty {
            headers.add("Content-Type", contentType)
        }
        if let contentLength = environment["CONTENT_LENGTH"], !contentLength.isEmpty {
            headers.add("Content-Length", contentLength)
        }
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("HTTP_") {
            // HTTP_CONTENT_TYPE/LENGTH duplicates of the above are dropped by some servers; skip them.
            let headerName = headerName(fromMetaVariable: String(name.dropFirst(5)))
            if headers.contains(headerName) { continue }
            headers.add(headerName, value)
        }
        return Request(
            method: environment["REQUEST_METHOD"] ?? "GET",
            path: environment["PATH_INFO"] ?? "/",
            query: environment["QUERY_STRING"] ?? "",
            headers: headers,
            body: body,
            remoteAddress: environment["REMOTE_ADDR"]
        )
    }

    /// `X_FORWARDED_FOR` -> `X-Forwarded-For`.
    public static func headerName(fromMetaVariable name: String) -> String {
        name.split(separator: "_", omittingEmptySubsequences: false)
            .map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }
            .joined(separator: "-")
    }

    /// Methods whose body, when no CONTENT_LENGTH is given, is read to the end of input.
    static func mayCarryBody(_ method: String) -> Bool {
        ["POST", "PUT", "PATCH"].contains(method.uppercased())
    }
}
