import FunctionRuntime

/// One result row, by column name. Reading a column that is missing, NULL where a value is
/// required, or of another type throws: a row the code does not expect is an error, never a `""`
/// or a `0` that looks like data.
package struct SQLRow: Sendable, Equatable {
    package private(set) var values: [String: SQLValue]

    package init(_ values: [String: SQLValue]) { self.values = values }

    package subscript(column: String) -> SQLValue? { values[column] }

    /// The column's value; throws when it is missing, NULL or not a `T`.
    package func column<T: SQLColumnDecodable>(_ name: String, as type: T.Type = T.self) throws(SQLRowError) -> T {
        guard let value = try nullable(name, as: type) else { throw SQLRowError(column: name, problem: "is NULL") }
        return value
    }

    /// NULL reads as nil; a missing column or a value of another type still throws.
    package func nullable<T: SQLColumnDecodable>(_ name: String, as type: T.Type = T.self) throws(SQLRowError) -> T? {
        guard let value = values[name] else { throw SQLRowError(column: name, problem: "is not in the result") }
        if value.isNull { return nil }
        guard let decoded = T(sqlValue: value) else {
            throw SQLRowError(column: name, problem: "holds \(value.typeName) where \(T.self) was expected")
        }
        return decoded
    }
}

/// A column the code reads is not what the schema promises.
package struct SQLRowError: Error, Sendable, Equatable, CustomStringConvertible {
    package var column: String
    package var problem: String

    package init(column: String, problem: String) {
        self.column = column
        self.problem = problem
    }

    package var description: String { "column '\(column)' \(problem)" }
}

/// A Swift type a column reads as.
package protocol SQLColumnDecodable {
    init?(sqlValue: SQLValue)
}

extension String: SQLColumnDecodable {
    package init?(sqlValue: SQLValue) {
        guard case .text(let text) = sqlValue else { return nil }
        self = text
    }
}

extension Int64: SQLColumnDecodable {
    package init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue else { return nil }
        self = value
    }
}

extension Int: SQLColumnDecodable {
    package init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue, let int = Int(exactly: value) else { return nil }
        self = int
    }
}

/// REAL columns hold whole numbers as integers on both databases (SQLite's storage, PostgreSQL's `numeric` sums).
extension Double: SQLColumnDecodable {
    package init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .real(let value): self = value
        case .integer(let value): self = Double(value)
        default: return nil
        }
    }
}

/// Booleans are integers 0 and 1 on both databases (PostgreSQL's `t`/`f` are converted on the way in).
extension Bool: SQLColumnDecodable {
    package init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue, value == 0 || value == 1 else { return nil }
        self = value == 1
    }
}

/// JSON columns are TEXT; text that is not JSON is a value of another type.
extension JSONValue: SQLColumnDecodable {
    package init?(sqlValue: SQLValue) {
        guard case .text(let text) = sqlValue else { return nil }
        // Most settings and capability columns are empty: skip the parser for them (it showed in profiles).
        switch text {
        case "{}": self = .object([:])
        case "[]": self = .array([])
        default:
            guard let parsed = try? JSONValue.parse(Array(text.utf8)) else { return nil }
            self = parsed
        }
    }
}

/// What a JSON-array column may hold: strings (capabilities, providers tried) or integers (alert thresholds).
package protocol SQLJSONElement {
    init?(json: JSONValue)
    var json: JSONValue { get }
}

extension String: SQLJSONElement {
    package init?(json: JSONValue) {
        guard let text = json.stringValue else { return nil }
        self = text
    }
    package var json: JSONValue { .string(self) }
}

extension Int: SQLJSONElement {
    package init?(json: JSONValue) {
        guard let value = json.intValue else { return nil }
        self = value
    }
    package var json: JSONValue { .int(self) }
}

/// A list stored as a JSON array in a TEXT column; an element of another type makes the column mistyped.
extension Array: SQLColumnDecodable where Element: SQLJSONElement {
    package init?(sqlValue: SQLValue) {
        guard let items = JSONValue(sqlValue: sqlValue)?.arrayValue else { return nil }
        let elements = items.compactMap(Element.init(json:))
        guard elements.count == items.count else { return nil }
        self = elements
    }
}

extension Array: SQLBindable where Element: SQLJSONElement {
    package var sqlValue: SQLValue { JSONValue.array(map(\.json)).sqlValue }
}

/// String-backed enums (status, source, kind) bind and read as their raw value; an unknown raw value is a mistyped column.
extension SQLColumnDecodable where Self: RawRepresentable, RawValue == String {
    package init?(sqlValue: SQLValue) {
        guard let raw = String(sqlValue: sqlValue) else { return nil }
        self.init(rawValue: raw)
    }
}

extension SQLBindable where Self: RawRepresentable, RawValue == String {
    package var sqlValue: SQLValue { .text(rawValue) }
}

extension SQLValue {
    var typeName: String {
        switch self {
        case .null: "NULL"
        case .integer: "an integer"
        case .real: "a real"
        case .text: "text"
        }
    }
}
