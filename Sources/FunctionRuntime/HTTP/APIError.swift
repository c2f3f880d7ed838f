/// An error a function answers with: OpenAI-style JSON
/// `{"error": {"message", "type", "code"}}` and its HTTP status.
public struct APIError: Error, Sendable, Equatable {
    public var status: Int
    public var message: String
    public var type: String
    public var code: String?
    public var param: String?
    public var headers: HTTPHeaders

    public init(
        status: Int,
        message: String,
        type: String? = nil,
        code: String? = nil,
        param: String? = nil,
        headers: HTTPHeaders = [:]
    ) {
        self.status = status
        self.message = message
        self.type = type ?? APIError.defaultType(for: status)
        self.code = code
        self.param = param
        self.headers = headers
    }

    /// The `type` OpenAI uses for each class of status.
    static func defaultType(for status: Int) -> String {
        switch status {
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 429: "rate_limit_error"
        case 400..<500: "invalid_request_error"
        default: "api_error"
        }
    }

    public var jsonBody: [UInt8] {
        var error: [String: JSONValue] = ["message": .string(message), "type": .string(type)]
        error["code"] = code.map(JSONValue.string) ?? .null
        if let param { error["param"] = .string(param) }
        return JSONValue.object(["error": .object(error)]).serialized()
    }
}

extension APIError {
    public static func badRequest(_ message: String, code: String = "invalid_request", param: String? = nil) -> APIError {
        APIError(status: 400, message: message, code: code, param: param)
    }

    public static func notFound(_ message: String, code: String = "not_found") -> APIError {
        APIError(status: 404, message: message, code: code)
    }

    public static func methodNotAllowed(_ method: String, allowed: [String]) -> APIError {
        APIError(
            status: 405,
            message: "Method \(method) is not allowed here; allowed: \(allowed.joined(separator: ", ")).",
            code: "method_not_allowed",
            headers: ["Allow": allowed.joined(separator: ", ")]
        )
    }

    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(
            status: 413,
            message: "Request body is larger than the limit of \(limit) bytes.",
            code: "request_too_large"
        )
    }

    /// RFC 6585's 431: more header bytes or fields than a request may carry.
    public static func headersTooLarge(limitBytes: Int, limitCount: Int) -> APIError {
        APIError(
            status: 431,
            message: "The request's headers are larger than the limit of \(limitBytes) bytes or \(limitCount) fields.",
            code: "request_headers_too_large"
        )
    }

    public static func notImplemented(_ what: String) -> APIError {
        APIError(status: 501, message: "\(what) is not implemented yet.", code: "not_implemented")
    }

    public static let internalError = APIError(
        status: 500, message: "The gateway hit an internal error; it has been logged.", code: "internal_error"
    )
}
