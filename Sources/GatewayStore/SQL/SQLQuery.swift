import FunctionRuntime

/// A statement and its parameters, written as one string: every interpolated value becomes a bound
/// parameter (`?`, `$n` on PostgreSQL) at the place it appears, so placeholders and values cannot
/// drift apart. SQL text only enters through `SQLFragment` (column lists, table names we wrote) or
/// another `SQLQuery` (a condition built elsewhere, with its own values).
///
///     db.query("SELECT \(ModelAlias.columns.list) FROM model_aliases WHERE user_id = \(caller.userID)")
package struct SQLQuery: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The text with `?` for each parameter.
    package private(set) var sql: String
    package private(set) var bindings: [SQLValue]

    /// Literals only: SQL text from a runtime string has to say where it came from (`SQLFragment(generated:)`).
    package init(stringLiteral value: StaticString) {
        sql = "\(value)"
        bindings = []
    }

    package init(stringInterpolation: StringInterpolation) {
        sql = stringInterpolation.sql
        bindings = stringInterpolation.bindings
    }

    /// `template`'s text with other values in its places: for a statement run once per request, whose
    /// text (placeholders and all) is then built once instead of each time.
    package init(reusing template: SQLQuery, bindings: [SQLValue]) {
        precondition(bindings.count == template.bindings.count, "a template's values and its placeholders must match")
        sql = template.sql
        self.bindings = bindings
    }

    /// The text alone: values are never part of a description (they may be keys' envelopes).
    package var description: String { sql }

    package struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var sql = ""
        fileprivate var bindings: [SQLValue] = []

        package init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 2)
        }

        package mutating func appendLiteral(_ literal: StaticString) { sql += "\(literal)" }

        /// One bound parameter.
        package mutating func appendInterpolation(_ value: some SQLBindable) {
            sql += "?"
            bindings.append(value.sqlValue)
        }

        /// One bound parameter: NULL for nil.
        package mutating func appendInterpolation<Value: SQLBindable>(_ value: Value?) {
            sql += "?"
            bindings.append(value?.sqlValue ?? .null)
        }

        /// One bound parameter per value, comma-separated: `IN (\(list: ids))`, `VALUES (\(list: row))`.
        package mutating func appendInterpolation(list values: [some SQLBindable]) {
            for index in values.indices {
                sql += index == values.startIndex ? "?" : ", ?"
                bindings.append(values[index].sqlValue)
            }
        }

        /// SQL text the gateway wrote (never a value from a request).
        package mutating func appendInterpolation(_ fragment: SQLFragment) { sql += fragment.text }

        /// A piece built elsewhere, with its parameters in place.
        package mutating func appendInterpolation(_ query: SQLQuery) {
            sql += query.sql
            bindings += query.bindings
        }
    }

    /// `pieces` joined by `separator`, each keeping its parameters: conditions joined with `AND`.
    package static func joined(_ pieces: [SQLQuery], separator: SQLFragment) -> SQLQuery {
        var result: SQLQuery = ""
        for (index, piece) in pieces.enumerated() {
            if index > 0 { result.sql += separator.text }
            result.sql += piece.sql
            result.bindings += piece.bindings
        }
        return result
    }
}

/// SQL text written in the gateway's source: identifiers, column lists, clauses. A literal, or text
/// the schema code generated from its own constants (`generated:`); never a value from a request.
package struct SQLFragment: Sendable, Equatable, ExpressibleByStringLiteral {
    package let text: String

    package init(stringLiteral value: StaticString) { text = "\(value)" }

    /// Text the gateway built from its own names (the rollup's histogram columns, a DDL helper's output).
    package init(generated text: String) { self.text = text }
}

/// A Swift value that binds as one statement parameter.
package protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

extension SQLValue: SQLBindable {
    package var sqlValue: SQLValue { self }
}

extension String: SQLBindable {
    package var sqlValue: SQLValue { .text(self) }
}

extension Int: SQLBindable {
    package var sqlValue: SQLValue { .integer(Int64(self)) }
}

extension Int64: SQLBindable {
    package var sqlValue: SQLValue { .integer(self) }
}

extension Double: SQLBindable {
    package var sqlValue: SQLValue { .real(self) }
}

extension Bool: SQLBindable {
    package var sqlValue: SQLValue { .integer(self ? 1 : 0) }
}

/// JSON columns are TEXT on both databases.
extension JSONValue: SQLBindable {
    package var sqlValue: SQLValue { .text(serializedString) }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    package var sqlValue: SQLValue { self?.sqlValue ?? .null }
}
