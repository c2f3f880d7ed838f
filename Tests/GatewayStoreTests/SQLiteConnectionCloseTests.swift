import Foundation
import GatewayStore
import XCTest

/// A CGI process closes its connection as it exits (`SQLiteDatabase.closeBeforeExit`).
final class SQLiteConnectionCloseTests: XCTestCase {
    private var path = ""
    private var logPath: String { path + "-wal" }

    override func setUp() {
        path = NSTemporaryDirectory() + "close-\(UUID().uuidString).db"
    }

    override func tearDown() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private func connectionWithARow() throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path)
        try connection.execute("CREATE TABLE notes (text TEXT)")
        try connection.query("INSERT INTO notes (text) VALUES (?)", [.text("kept")])
        return connection
    }

    func testACallAfterCloseThrowsInsteadOfReachingSQLite() throws {
        let connection = try connectionWithARow()
        connection.close()
        XCTAssertThrowsError(try connection.query("SELECT text FROM notes"))
        XCTAssertThrowsError(try connection.execute("SELECT 1"))
    }

    func testTheLastConnectionToCloseCopiesTheLogBackAndRemovesIt() throws {
        let connection = try connectionWithARow()
        XCTAssertTrue(FileManager.default.fileExists(atPath: logPath))
        connection.close(copyingBackTheLog: true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: logPath))
        XCTAssertEqual(try SQLiteConnection(path: path).query("SELECT text FROM notes").first?["text"]?.string, "kept")
    }

    func testClosingWithoutCopyingBackLeavesTheLogToTheNextConnection() throws {
        let connection = try connectionWithARow()
        connection.close(copyingBackTheLog: false)
        let size = (try FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int) ?? 0
        XCTAssertGreaterThan(size, 0, "the committed row is still only in the log")
        XCTAssertEqual(try SQLiteConnection(path: path).query("SELECT text FROM notes").first?["text"]?.string, "kept")
    }
}
