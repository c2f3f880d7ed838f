/// One HTTP request as a function sees it, whichever contract delivered it
/// (CGI environment + stdin, FastCGI records, or local-runner).
public struct FunctionRequest: Sendable {
    public var method: String
    /// `PATH_INFO`: what follows the function's name in the URL, always starting with `/`.
    public var path: String
    /// Raw `QUERY_STRING`, without the `?`.
    public var query: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    public var remoteAddress: String?

    public init(
        method: String,
        path: String,
        query: String = "",
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        remoteAddress: String? = nil
    ) {
        self.method = method.uppercased()
        self.path = path.isEmpty ? "/" : (path.hasPrefix("/") ? path : "/" + path)
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// Query parameters, percent-decoded; the last occurrence of a name wins.
    public var queryParameters: [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentDecoding.decode(String(parts[0]))
            let value = parts.count > 1 ? PercentDecoding.decode(String(parts[1])) : ""
            result[name] = value
        }
        return result
    }

    /// The bearer token of the `Authorization` header, if any.
    public var bearerToken: String? {
        guard let value = headers["Authorization"] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: " ")
        return token.isEmpty ? nil : token
    }
}

enum PercentDecoding {
    /// Decodes `%XX` escapes and `+` (form encoding); malformed escapes are kept literally.
    static func decode(_ string: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.utf8.count)
        var iterator = Array(string.utf8)[...]
        while let byte = iterator.popFirst() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if iterator.count >= 2,
                    let high = hexValue(iterator[iterator.startIndex]),
                    let low = hexValue(iterator[iterator.startIndex + 1])
                {
                    bytes.append(high << 4 | low)
                    iterator.removeFirst(2)
                } else {
                    bytes.append(byte)
                }
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension StringProtocol {
    package func trimmingCharacters(in set: Character) -> String {
        var slice = Substring(self)
        while slice.first == set { slice.removeFirst() }
        while slice.last == set { slice.removeLast() }
        return String(slice)
    }
}
