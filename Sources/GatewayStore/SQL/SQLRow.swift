import FunctionRuntime

/// One result row, by column name.
package struct SQLRow: Sendable, Equatable {
    package private(set) var values: [String: SQLValue]

    package init(_ values: [String: SQLValue]) { self.values = values }

    package subscript(column: String) -> SQLValue? { values[column] }

    package func string(_ column: String) -> String? { values[column]?.string }
    package func int(_ column: String) -> Int? { values[column]?.int }
    package func int64(_ column: String) -> Int64? { values[column]?.int64 }
    package func double(_ column: String) -> Double? { values[column]?.double }
    package func bool(_ column: String) -> Bool { values[column]?.bool ?? false }

    /// A JSON column (TEXT); malformed or missing JSON reads as `fallback`.
    package func json(_ column: String, fallback: JSONValue = .object([:])) -> JSONValue {
        guard let text = string(column) else { return fallback }
        // Most settings and capability columns are empty: skip the decoder for them (it showed in profiles).
        switch text {
        case "{}": return .object([:])
        case "[]": return .array([])
        default: return (try? JSONValue.parse(Array(text.utf8))) ?? fallback
        }
    }
}
