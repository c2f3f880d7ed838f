/// A value bound to or read from a statement, the same on every database: PostgreSQL
/// results are converted to these by column type, booleans to `.integer(0 | 1)`.
package enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    package var int: Int? { if case .integer(let value) = self { Int(value) } else { nil } }
    package var int64: Int64? { if case .integer(let value) = self { value } else { nil } }
    package var double: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value): value
        default: nil
        }
    }
    package var string: String? { if case .text(let value) = self { value } else { nil } }
    package var bool: Bool? { if case .integer(let value) = self { value != 0 } else { nil } }
    package var isNull: Bool { self == .null }
}

extension SQLValue {
    package init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    package init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    package init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    package init(_ value: Double?) { self = value.map { .real($0) } ?? .null }
    package init(_ value: Bool) { self = .integer(value ? 1 : 0) }
}
