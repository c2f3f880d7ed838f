/// A type a column holds: bound as a parameter, read back from a row.
package typealias SQLColumnValue = SQLBindable & SQLColumnDecodable & SendableMetatype

/// One stored field of a record: its column name and the key path it binds from and reads into.
package struct SQLColumn<Record>: Sendable {
    package let name: String
    fileprivate let bind: @Sendable (Record) -> SQLValue
    fileprivate let read: @Sendable (inout Record, SQLRow) throws(SQLRowError) -> Void

    /// A NOT NULL column.
    package init<Value: SQLColumnValue>(_ name: StaticString, _ path: any WritableKeyPath<Record, Value> & Sendable) {
        let column = "\(name)"
        self.name = column
        bind = { $0[keyPath: path].sqlValue }
        read = { (record: inout Record, row: SQLRow) throws(SQLRowError) in record[keyPath: path] = try row.column(column) }
    }

    /// A nullable column.
    package init<Value: SQLColumnValue>(_ name: StaticString, _ path: any WritableKeyPath<Record, Value?> & Sendable) {
        let column = "\(name)"
        self.name = column
        bind = { $0[keyPath: path].sqlValue }
        read = { (record: inout Record, row: SQLRow) throws(SQLRowError) in record[keyPath: path] = try row.nullable(column) }
    }
}

/// A record's columns, declared once and in order: the SELECT list, the INSERT list and the values
/// bound to it all come from here, so none of them can disagree with another.
package struct SQLColumns<Record>: Sendable, ExpressibleByArrayLiteral {
    package let columns: [SQLColumn<Record>]
    /// `id, name, ...` for SELECT and INSERT.
    package let list: SQLFragment

    package init(arrayLiteral columns: SQLColumn<Record>...) {
        self.columns = columns
        list = SQLFragment(generated: columns.map(\.name).joined(separator: ", "))
    }

    /// The record's values in column order, for `VALUES (\(list: ...))`.
    package func values(_ record: Record) -> [SQLValue] { columns.map { $0.bind(record) } }

    /// `start` with every column read from `row`.
    package func decode(_ row: SQLRow, into start: Record) throws(SQLRowError) -> Record {
        var record = start
        for column in columns { try column.read(&record, row) }
        return record
    }
}

/// A struct stored as one row of one table.
package protocol SQLRecord: Sendable {
    static var columns: SQLColumns<Self> { get }
    /// Where decoding starts: every column overwrites its field, so none of these values survives a read.
    static var unread: Self { get }
}

extension SQLRecord {
    /// The record a row holds; throws when a column is missing, NULL where it may not be, or mistyped.
    package init(row: SQLRow) throws(SQLRowError) { self = try Self.columns.decode(row, into: Self.unread) }

    package var sqlValues: [SQLValue] { Self.columns.values(self) }
}
