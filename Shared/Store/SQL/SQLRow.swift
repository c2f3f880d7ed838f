/// One result row, by column name.
public struct SQLRow: Sendable, Equatable {
    public private(set) var values: [String: SQLValue]

    public init(_ values: [String: SQLValue]) { self.values = values }

    public subscript(column: String) -> SQLValue? { values[column] }

    public func string(_ column: String) -> String? { values[column]?.string }
    public func int(_ column: String) -> Int? { values[column]?.int }
    public func int64(_ column: String) -> Int64? { values[column]?.int64 }
    public func double(_ column: String) -> Double? { values[column]?.double }
    public func bool(_ column: String) -> Bool { values[column]?.bool ?? false }

    /// A JSON column (TEXT); malformed or missing JSON reads as `fallback`.
    public func json(_ column: String, fallback: JSONValue = .object([:])) -> JSONValue {
        guard let text = string(column) else { return fallback }
        // Most settings and capability columns are empty: skip the decoder for them (it showed in profiles).
        switch text {
        case "{}": return .object([:])
        case "[]": return .array([])
        default: return (try? JSONValue.parse(Array(text.utf8))) ?? fallback
        }
    }
}
