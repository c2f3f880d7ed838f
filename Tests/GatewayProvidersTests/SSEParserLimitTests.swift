import Foundation
import GatewayProviders
import XCTest

/// An event is held until its blank line: the parser bounds what it holds, and reads a long line once.
final class SSEParserLimitTests: XCTestCase {
    func testAnEventPastTheLimitIsDroppedWithEverythingAfterIt() {
        var parser = SSEParser(maximumEventBytes: 1_000)
        XCTAssertEqual(parser.feed(Array("data: small\n\ndata: ".utf8)).map(\.data), ["small"])
        XCTAssertFalse(parser.isOverLimit)
        for _ in 0..<9 { XCTAssertEqual(parser.feed([UInt8](repeating: 120, count: 100)), []) }
        XCTAssertFalse(parser.isOverLimit, "900-odd bytes pending")
        XCTAssertEqual(parser.feed([UInt8](repeating: 120, count: 100)), [])
        XCTAssertTrue(parser.isOverLimit)
        XCTAssertEqual(parser.pendingBytes, 0, "nothing of it is kept")
        XCTAssertEqual(parser.feed(Array("\n\ndata: later\n\n".utf8)), [], "a stream is not picked up again mid-event")
    }

    func testAnEventOfManyLinesCountsAsOne() {
        var parser = SSEParser(maximumEventBytes: 1_000)
        for _ in 0..<9 { _ = parser.feed(Array(("data: " + String(repeating: "y", count: 100) + "\n").utf8)) }
        XCTAssertFalse(parser.isOverLimit)
        _ = parser.feed(Array(("data: " + String(repeating: "y", count: 100) + "\n").utf8))
        XCTAssertTrue(parser.isOverLimit, "ten data lines of one event are over 1,000 bytes")
    }

    func testPendingBytesAreTheEventNotYetComplete() {
        var parser = SSEParser()
        XCTAssertEqual(parser.feed(Array("data: one\n\nevent: x\ndata: tw".utf8)).count, 1)
        XCTAssertEqual(parser.pendingBytes, "event: x\ndata: tw".utf8.count)
        let events = parser.feed(Array("o\n\n".utf8))
        XCTAssertEqual(events.map(\.data), ["two"])
        XCTAssertEqual(events.first?.event, "x")
        XCTAssertEqual(parser.pendingBytes, 0)
    }

    /// Each piece is searched for a newline once: 7 MiB in 1 KiB pieces took seconds when every piece searched the whole line again.
    func testALongLineInSmallPiecesIsParsedInLinearTime() {
        var parser = SSEParser()
        let piece = [UInt8](repeating: 120, count: 1_024)
        let started = Date()
        _ = parser.feed(Array("data: ".utf8))
        for _ in 0..<((7 << 20) / piece.count) { _ = parser.feed(piece) }
        let events = parser.feed(Array("\n\n".utf8))
        XCTAssertEqual(events.first?.data.utf8.count, 7 << 20)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "\(Date().timeIntervalSince(started)) s")
    }
}
