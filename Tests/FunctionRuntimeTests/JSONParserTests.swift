import FunctionRuntime
import XCTest

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

final class JSONParserTests: XCTestCase {
    /// What `JSONValue.parse` returned before it had a parser of its own: FoundationEssentials' decoder.
    private func decoded(_ bytes: [UInt8]) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    func testEveryKindOfValueParses() throws {
        let value = try JSONValue.parse(#" {"s":"x","i":-12,"d":0.25,"t":true,"f":false,"n":null,"a":[],"o":{}} "#)
        XCTAssertEqual(
            value,
            .object([
                "s": "x", "i": .int(-12), "d": .double(0.25), "t": .bool(true), "f": .bool(false), "n": .null, "a": .array([]),
                "o": .object([:]),
            ]))
    }

    func testIntegralNumbersAreIntegersAsTheDecoderMadeThem() throws {
        XCTAssertEqual(try JSONValue.parse("1.0"), .int(1))
        XCTAssertEqual(try JSONValue.parse("1e2"), .int(100))
        XCTAssertEqual(try JSONValue.parse("-0"), .int(0))
        XCTAssertEqual(try JSONValue.parse("9223372036854775807"), .int(Int.max))
        XCTAssertEqual(try JSONValue.parse("-9223372036854775808"), .int(Int.min))
        XCTAssertEqual(try JSONValue.parse("18446744073709551616"), .double(18_446_744_073_709_551_616))
        XCTAssertEqual(try JSONValue.parse("2.5E-3"), .double(0.0025))
    }

    /// Found by Fuzz/ (json-parser, against the decoder): from 2^53 up a double skips integers, and
    /// `9007199254740993.0` came out as 9007199254740992. The decoder read the digits, as the parser now does.
    func testIntegralNumbersBeyondDoublePrecisionKeepTheirDigits() throws {
        XCTAssertEqual(try JSONValue.parse("9007199254740993.0"), .int(9_007_199_254_740_993))
        XCTAssertEqual(try JSONValue.parse("123456789012345678e1"), .int(1_234_567_890_123_456_780))
        XCTAssertEqual(try JSONValue.parse("0.09007199254740993e17"), .int(9_007_199_254_740_993))
        XCTAssertEqual(try JSONValue.parse("-9223372036854775807.0"), .int(-Int.max))
        // A fraction stays a double; so does a value where the decoder's range ends.
        XCTAssertEqual(try JSONValue.parse("9007199254740993.5"), .double(9_007_199_254_740_994))
        XCTAssertEqual(try JSONValue.parse("9223372036854775296.0"), .double(9_223_372_036_854_775_808))
        XCTAssertEqual(try JSONValue.parse("-9223372036854775808.0"), .double(-9_223_372_036_854_775_808))
        for text in ["9007199254740993.0", "922337203685477581.0", "9223372036854775295.0", "-1.2e18", "9223372036854775296.0"] {
            XCTAssertEqual(try JSONValue.parse(text), try decoded(Array(text.utf8)), text)
        }
    }

    /// Found by Fuzz/ (json-parser, against the decoder): a body that began with a UTF-8 byte order
    /// mark, which the decoder read, was refused.
    func testALeadingByteOrderMarkIsIgnored() throws {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        XCTAssertEqual(try JSONValue.parse(mark + Array(#" {"a":1}"#.utf8)), ["a": 1])
        XCTAssertThrowsError(try JSONValue.parse(mark), "a mark is not a value")
        XCTAssertThrowsError(try JSONValue.parse(mark + mark + Array("1".utf8)), "one mark, at the start")
        XCTAssertThrowsError(try JSONValue.parse(Array(" ".utf8) + mark + Array("1".utf8)), "one mark, at the start")
    }

    func testEscapesAndSurrogatePairsAreDecoded() throws {
        XCTAssertEqual(try JSONValue.parse(#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#), .string("a\"\\/\u{08}\u{0C}\n\r\t\u{e9}\u{1F600}"))
    }

    func testNonASCIIStringsPassThroughUnchanged() throws {
        XCTAssertEqual(try JSONValue.parse(Array("\"héllo 世界 🎉\"".utf8)), .string("héllo 世界 🎉"))
    }

    func testALaterDuplicateKeyWins() throws {
        XCTAssertEqual(try JSONValue.parse(#"{"a":1,"a":2}"#)["a"], .int(2))
    }

    func testMalformedTextIsRefused() {
        let malformed = [
            "", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "1e", "+1", "NaN", "Infinity", "tru", "nul", "[1 2]",
            "{\"a\" 1}", "{a:1}", "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\ud83d\"", "\"\\ude00\"",
            "\"\\ud83d\\u0041\"", "// comment\n1", "1 2", "[1]]", "1e400",
        ]
        for text in malformed {
            XCTAssertThrowsError(try JSONValue.parse(text), "accepted \(text.debugDescription)")
        }
    }

    func testRawControlCharactersInStringsAreRefused() {
        XCTAssertThrowsError(try JSONValue.parse(Array("\"a\u{01}b\"".utf8)))
        XCTAssertThrowsError(try JSONValue.parse(Array("\"a\\n\nb\"".utf8)))
    }

    func testInvalidUTF8IsRefused() {
        XCTAssertThrowsError(try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]))
        XCTAssertThrowsError(try JSONValue.parse([0x22, 0x5C, 0x6E, 0xFF, 0x22]))
    }

    func testNestingBeyondTheLimitIsRefusedWithoutExhaustingTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertThrowsError(try JSONValue.parse(deep))
        let allowed = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        XCTAssertNoThrow(try JSONValue.parse(allowed))
    }

    func testNonContiguousCollectionsParse() throws {
        XCTAssertEqual(try JSONValue.parse(Array("[1,2]".utf8).reversed().reversed()), .array([.int(1), .int(2)]))
    }

    /// Every JSON payload captured from the real providers (the recorded streams' `data:` lines and the
    /// models snapshot) parses to exactly what the decoder made of it.
    func testRecordedProviderPayloadsParseAsTheDecoderParsedThem() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
        var payloads: [[UInt8]] = [Array(try Data(contentsOf: fixtures.appendingPathComponent("openrouter-models-snapshot.json")))]
        let recorded = fixtures.appendingPathComponent("recorded")
        for name in try FileManager.default.contentsOfDirectory(atPath: recorded.path) where name.hasSuffix(".sse") {
            // By bytes: some recordings end their lines in CRLF, which a String splits as one Character.
            let bytes = Array(try Data(contentsOf: recorded.appendingPathComponent(name)))
            for line in bytes.split(separator: UInt8(ascii: "\n")) where line.starts(with: Array("data:".utf8)) {
                let payload = line.dropFirst(5).drop { $0 == UInt8(ascii: " ") }
                if payload.first == UInt8(ascii: "{") { payloads.append(Array(payload)) }
            }
        }
        XCTAssertGreaterThan(payloads.count, 100)
        for payload in payloads {
            XCTAssertEqual(try JSONValue.parse(payload), try decoded(payload), String(decoding: payload.prefix(120), as: UTF8.self))
        }
    }
}
