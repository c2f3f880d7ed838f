/// A value bound to or read from a statement, the same on every database: PostgreSQL
/// results are converted to these by column type, booleans to `.integer(0 | 1)`.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var int: Int? { if case .integer(let value) = self { Int(value) } else { nil } }
    public var int64: Int64? { if case .integer(let value) = self { value } else { nil } }
    public var double: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value): value
        default: nil
        }
    }
    public var string: String? { if case .text(let value) = self { value } else { nil } }
    public var bool: Bool? { if case .integer(let value) = self { value != 0 } else { nil } }
    public var isNull: Bool { self == .null }
}

extension SQLValue {
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    public init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    public init(_ value: Double?) { self = value.map { .real($0) } ?? .null }
    public init(_ value: Bool) { self = .integer(value ? 1 : 0) }
}
