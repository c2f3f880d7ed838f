/// Builds the CGI/1.1 meta-variables (RFC 3875 section 4.1) for one request,
/// the same set nginx's `fastcgi_params` passes.
struct CGIMetaVariables {
    var method: String
    var functionName: String
    var pathInfo: String
    var query: String
    var headers: [(name: String, value: String)]
    var contentLength: Int?
    var remoteAddress: String
    var serverPort: Int

    func build() -> [String: String] {
        var environment: [String: String] = [
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "SERVER_SOFTWARE": "local-runner",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": String(serverPort),
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "/functions/v1/\(functionName)",
            "PATH_INFO": pathInfo.isEmpty ? "/" : pathInfo,
            "QUERY_STRING": query,
            "REQUEST_URI": "/functions/v1/\(functionName)\(pathInfo)\(query.isEmpty ? "" : "?" + query)",
            "REMOTE_ADDR": remoteAddress,
        ]
        if let contentLength { environment["CONTENT_LENGTH"] = String(contentLength) }
        for header in headers {
            let lowered = header.name.lowercased()
            switch lowered {
            case "content-type": environment["CONTENT_TYPE"] = header.value
            case "content-length": continue  // set from the body actually passed on
            case "proxy": continue  // httpoxy: a client must not set HTTP_PROXY for the function
            default:
                let name = "HTTP_" + lowered.uppercased().map { $0 == "-" ? "_" : $0 }.map(String.init).joined()
                if let existing = environment[name] {
                    environment[name] = existing + ", " + header.value
                } else {
                    environment[name] = header.value
                }
            }
        }
        return environment
    }
}
