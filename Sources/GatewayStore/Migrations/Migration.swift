/// One forward-only schema step. Versions only grow; an applied migration is never edited.
package struct Migration: Sendable {
    package var version: Int
    package var name: String
    /// Built only when the step runs: every process start lists the migrations to check the schema
    /// version, and building the rollup rebuilds' SQL was a tenth of a CGI request's CPU.
    private let makeSQL: @Sendable () -> String

    package var sql: String { makeSQL() }

    package init(version: Int, name: String, sql: @autoclosure @escaping @Sendable () -> String) {
        self.version = version
        self.name = name
        self.makeSQL = sql
    }
}

extension Array where Element == Migration {
    /// Runs, in order, the migrations whose versions are not in `applied` and records each one;
    /// returns the versions run. The engine supplies the transaction, the DDL runner and the record.
    func applyMissing(applied: Set<Int>, execute: (String) throws -> Void, record: (Migration) throws -> Void) throws -> [Int] {
        var newlyApplied: [Int] = []
        for migration in sorted(by: { $0.version < $1.version }) where !applied.contains(migration.version) {
            try execute(migration.sql)
            try record(migration)
            newlyApplied.append(migration.version)
        }
        return newlyApplied
    }
}
