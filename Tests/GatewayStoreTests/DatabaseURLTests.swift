import GatewayStore
import XCTest

final class DatabaseURLTests: XCTestCase {
    func testSQLiteAndPostgresURLs() throws {
        XCTAssertEqual(try DatabaseURL(parsing: "sqlite:///var/lib/gateway.db"), .sqlite(path: "/var/lib/gateway.db"))
        XCTAssertEqual(try DatabaseURL(parsing: "postgres://u@h/db"), .postgres("postgres://u@h/db"))
        XCTAssertThrowsError(try DatabaseURL(parsing: "sqlite://relative.db"), "a relative path depends on the working directory")
        XCTAssertThrowsError(try DatabaseURL(parsing: "mysql://x"))
        XCTAssertThrowsError(try DatabaseURL(parsing: ""))
    }
}
