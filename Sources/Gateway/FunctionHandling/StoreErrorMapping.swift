import FunctionRuntime
import GatewayStore

extension APIError {
    package static func serviceUnavailable(_ message: String, code: String, retryAfterSeconds: Int = 5) -> APIError {
        APIError(status: 503, message: message, code: code, headers: ["Retry-After": String(retryAfterSeconds)])
    }

    static let databaseUnavailable = serviceUnavailable("The gateway's database is unavailable; retry shortly.", code: "database_unavailable")
    static let databaseBusy = serviceUnavailable("The gateway's database is busy; retry shortly.", code: "database_busy", retryAfterSeconds: 1)
    /// Fail closed: a request that could not be metered is not served.
    static let usageLogUnavailable = serviceUnavailable(
        "The gateway cannot record usage right now, so it does not serve requests; retry shortly.", code: "usage_log_unavailable")

    /// The answer for an error a route threw: HTTP errors as they are, store errors by kind, a
    /// database that cannot be reached or written a 503 with `Retry-After`, anything else a 500
    /// whose details stay in the log.
    static func mapping(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as StoreError:
            switch error {
            case .duplicate: return APIError(status: 409, message: "That already exists.", code: "conflict")
            case .forbidden(let what): return APIError(status: 403, message: "Not allowed: \(what).", code: "forbidden")
            case .notMigrated: return .serviceUnavailable("The gateway's database is not ready.", code: "database_unavailable")
            case .invalidArgument(let what): return .badRequest(what)
            }
        default:
            switch StorageOutage(error) {
            case .busy?: return .databaseBusy
            case .unreachable?, .unwritable?: return .databaseUnavailable
            case nil: return .internalError
            }
        }
    }
}

/// A database error that says the database, not the request, is the problem.
enum StorageOutage {
    /// SQLITE_BUSY / SQLITE_LOCKED after the busy timeout: overloaded, not broken.
    case busy
    /// PostgreSQL down, restarting, refusing connections, or the connection lost.
    case unreachable
    /// Reachable, but writes fail: a full or read-only volume, an I/O error.
    case unwritable

    init?(_ error: any Error) {
        switch error {
        case let error as SQLiteError:
            switch error.code & 0xFF {
            case 5, 6: self = .busy
            // FULL, READONLY, IOERR, CANTOPEN, PROTOCOL (the lock protocol), NOLFS
            case 13, 8, 10, 14, 15, 22: self = .unwritable
            default: return nil
            }
        case let error as PostgresError:
            // Connection failures carry no SQLSTATE; class 08 is connection exceptions; 57P01-03 shutdown
            // and start-up; 53300 too many connections; 53100 disk full; 25006 a read-only transaction (a standby).
            if error.sqlState.isEmpty || error.sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(error.sqlState) {
                self = .unreachable
            } else if ["53100", "25006"].contains(error.sqlState) {
                self = .unwritable
            } else {
                return nil
            }
        default:
            return nil
        }
    }
}
