extension HTTPError {
    public static func serviceUnavailable(_ message: String, code: String) -> HTTPError {
        HTTPError(status: 503, message: message, code: code)
    }

    /// The answer for an error a route threw: HTTP errors as they are, store errors by kind,
    /// anything else a 500 whose details stay in the log.
    static func mapping(_ error: any Error) -> HTTPError {
        switch error {
        case let error as HTTPError:
            return error
        case let error as StoreError:
            switch error {
            case .duplicate: return HTTPError(status: 409, message: "That already exists.", code: "conflict")
            case .forbidden(let what): return HTTPError(status: 403, message: "Not allowed: \(what).", code: "forbidden")
            case .notMigrated: return .serviceUnavailable("The gateway's database is not ready.", code: "database_unavailable")
            case .invalidArgument(let what): return .badRequest(what)
            }
        case let error as SQLiteError where error.code & 0xFF == 5 || error.code & 0xFF == 6:
            // SQLITE_BUSY / SQLITE_LOCKED after the busy timeout: the database is overloaded, not broken.
            return .serviceUnavailable("The gateway's database is busy; retry shortly.", code: "database_busy")
        default:
            return .internalError
        }
    }
}
