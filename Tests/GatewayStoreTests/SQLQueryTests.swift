import FunctionRuntime
import GatewayStore
import Testing

/// Statements are values: what is interpolated is bound, in place, and only fragments are SQL.
@Suite struct SQLQueryTests {
    @Test func interpolatedValuesBecomeParametersInTheOrderTheyAppear() {
        let user = "user-1", limit = 10, since: Int64 = 1_700_000_000_000
        let query: SQLQuery = "SELECT id FROM t WHERE user_id = \(user) AND created_at > \(since) LIMIT \(limit)"
        #expect(query.sql == "SELECT id FROM t WHERE user_id = ? AND created_at > ? LIMIT ?")
        #expect(query.bindings == [.text("user-1"), .integer(since), .integer(10)])
    }

    @Test func aStringThatLooksLikeSQLIsBoundNeverSpliced() {
        let hostile = "x' OR '1'='1'; DROP TABLE api_providers; --"
        let query: SQLQuery = "SELECT id FROM api_providers WHERE name = \(hostile)"
        #expect(query.sql == "SELECT id FROM api_providers WHERE name = ?")
        #expect(query.bindings == [.text(hostile)])
    }

    @Test func fragmentsAreTextAndListsAreOneParameterEach() {
        let columns: SQLFragment = "id, name"
        let ids = ["a", "b", "c"]
        let query: SQLQuery = "SELECT \(columns) FROM t WHERE id IN (\(list: ids))"
        #expect(query.sql == "SELECT id, name FROM t WHERE id IN (?, ?, ?)")
        #expect(query.bindings == ids.map { .text($0) })
    }

    @Test func nilBindsAsNullAndBooleansAsIntegers() {
        let missing: String? = nil
        let query: SQLQuery = "UPDATE t SET a = \(missing), b = \(true), c = \(false)"
        #expect(query.bindings == [.null, .integer(1), .integer(0)])
    }

    @Test func joinedPiecesKeepTheirParametersInOrder() {
        let conditions: [SQLQuery] = ["a = \(1)", "b = \("two")", "c IS NOT NULL"]
        let query: SQLQuery = "SELECT * FROM t WHERE \(SQLQuery.joined(conditions, separator: " AND ")) LIMIT \(5)"
        #expect(query.sql == "SELECT * FROM t WHERE a = ? AND b = ? AND c IS NOT NULL LIMIT ?")
        #expect(query.bindings == [.integer(1), .text("two"), .integer(5)])
    }

    @Test func aDescriptionShowsTheTextWithoutTheValues() {
        let sealed = "v1:k:secret-envelope"
        let query: SQLQuery = "UPDATE k SET envelope = \(sealed)"
        #expect("\(query)" == "UPDATE k SET envelope = ?")
    }
}

/// A row is what the code expects or an error naming the column: never a silent "" or 0.
@Suite struct SQLRowTests {
    let row = SQLRow(["name": .text("openrouter"), "count": .integer(3), "price": .integer(2), "gone": .null, "flag": .integer(1)])

    @Test func aPresentColumnReadsAsItsType() throws {
        #expect(try row.column("name", as: String.self) == "openrouter")
        #expect(try row.column("count", as: Int.self) == 3)
        #expect(try row.column("price", as: Double.self) == 2, "a whole REAL comes back as an integer")
        #expect(try row.column("flag", as: Bool.self))
        #expect(try row.nullable("gone", as: String.self) == nil)
    }

    @Test func aMissingColumnThrowsEvenWhenNullable() {
        #expect(throws: SQLRowError(column: "absent", problem: "is not in the result")) { try row.nullable("absent", as: String.self) }
    }

    @Test func nullWhereAValueIsRequiredThrows() {
        #expect(throws: SQLRowError(column: "gone", problem: "is NULL")) { try row.column("gone", as: String.self) }
    }

    @Test func aValueOfAnotherTypeThrows() {
        #expect(throws: SQLRowError.self) { try row.column("name", as: Int.self) }
        #expect(throws: SQLRowError.self) { try row.column("count", as: String.self) }
        #expect(throws: SQLRowError.self) { try SQLRow(["flag": .integer(7)]).column("flag", as: Bool.self) }
        #expect(throws: SQLRowError.self) { try SQLRow(["list": .text("not json")]).column("list", as: [String].self) }
    }
}
