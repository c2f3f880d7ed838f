import CLibPQ

#if canImport(Glibc)
    import Glibc
#endif

package struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// SQLSTATE, e.g. `23505` (unique violation); empty for connection errors.
    package var sqlState: String
    package var message: String
    package var description: String { sqlState.isEmpty ? "PostgreSQL: \(message)" : "PostgreSQL \(sqlState): \(message)" }

    package var isUniqueViolation: Bool { sqlState == "23505" }
}

/// One libpq connection. Every statement is parameterised (`$1`, `$2`...) and prepared once per
/// connection, so a FastCGI worker that keeps its connection also keeps its plans.
/// Results come back as text and are typed by column OID into `SQLValue`s.
package final class PostgresConnection {
    private var connection: OpaquePointer?
    private var preparedNames: [String: String] = [:]

    package init(url: String) throws {
        connection = PQconnectdb(url)
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = PostgresConnection.message(connection)
            PQfinish(connection)
            connection = nil
            throw PostgresError(sqlState: "", message: message)
        }
        // Notices (e.g. "there is no transaction in progress") are not errors; keep stderr quiet.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { PQfinish(connection) }

    /// True once libpq has seen the connection fail.
    package var isBroken: Bool { PQstatus(connection) != CONNECTION_OK }

    /// A dropped connection (server restart, idle timeout in a proxy) is re-established once,
    /// between transactions; statements prepared on the old one are gone with it.
    package func reconnectIfBroken() throws {
        guard PQstatus(connection) != CONNECTION_OK else { return }
        PQreset(connection)
        preparedNames.removeAll()
        guard PQstatus(connection) == CONNECTION_OK else {
            throw PostgresError(sqlState: "", message: PostgresConnection.message(connection))
        }
    }

    /// Runs statements without parameters (schema, `BEGIN`, `COMMIT`).
    package func execute(_ sql: String) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result)
    }

    /// Runs one statement with `$n` parameters.
    @discardableResult
    package func query(_ sql: String, _ parameters: [SQLValue] = []) throws -> [SQLRow] {
        let name = try preparedName(for: sql, parameterCount: parameters.count)
        let texts: [String?] = parameters.map { value in
            switch value {
            case .null: nil
            case .integer(let number): String(number)
            case .real(let number): number.isFinite ? "\(number)" : nil
            case .text(let text): text
            }
        }
        let duplicated = texts.map { $0.map { strdup($0) } ?? nil }
        defer { duplicated.forEach { free($0) } }
        let result = duplicated.map { $0.map { UnsafePointer($0) } }.withUnsafeBufferPointer { values in
            PQexecPrepared(connection, name, Int32(parameters.count), values.baseAddress, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result)
        return rows(of: result)
    }

    private func preparedName(for sql: String, parameterCount: Int) throws -> String {
        if let name = preparedNames[sql] { return name }
        let name = "s\(preparedNames.count + 1)"
        let result = PQprepare(connection, name, sql, Int32(parameterCount), nil)
        defer { PQclear(result) }
        try check(result)
        preparedNames[sql] = name
        return name
    }

    private func check(_ result: OpaquePointer?) throws {
        let status = PQresultStatus(result)
        guard status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK, status != PGRES_EMPTY_QUERY else { return }
        let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
        let message =
            PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            ?? PostgresConnection.message(connection)
        throw PostgresError(sqlState: sqlState, message: message)
    }

    private func rows(of result: OpaquePointer?) -> [SQLRow] {
        let rowCount = PQntuples(result), columnCount = PQnfields(result)
        guard rowCount > 0 else { return [] }
        let names = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        let types = (0..<columnCount).map { PQftype(result, $0) }
        var rows: [SQLRow] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [String: SQLValue] = [:]
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) == 1 {
                    values[names[Int(column)]] = .null
                    continue
                }
                let text = String(cString: PQgetvalue(result, row, column))
                values[names[Int(column)]] = PostgresConnection.value(text, type: types[Int(column)])
            }
            rows.append(SQLRow(values))
        }
        return rows
    }

    /// Column types from `pg_type`: bool 16, int8 20, int2 21, int4 23, float4 700, float8 701, numeric 1700.
    static func value(_ text: String, type: Oid) -> SQLValue {
        switch type {
        case 16: return .integer(text == "t" ? 1 : 0)
        case 20, 21, 23: return Int64(text).map(SQLValue.integer) ?? .text(text)
        case 700, 701: return Double(text).map(SQLValue.real) ?? .text(text)
        // SUM over bigint is numeric: keep whole numbers whole.
        case 1700: return Int64(text).map(SQLValue.integer) ?? Double(text).map(SQLValue.real) ?? .text(text)
        default: return .text(text)
        }
    }

    private static func message(_ connection: OpaquePointer?) -> String {
        guard let connection, let text = PQerrorMessage(connection) else { return "cannot connect" }
        return String(cString: text).trimmingCharacters(in: "\n")
    }
}
