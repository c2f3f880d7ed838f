import FunctionRuntime
import XCTest

final class JSONValueTests: XCTestCase {
    func testParseAndSerializeRoundTrip() throws {
        let text = #"{"a":[1,2.5,"x\n\"y\"",true,null],"b":{"c":-3}}"#
        let value = try JSONValue.parse(text)
        XCTAssertEqual(value["a"]?[0], .int(1))
        XCTAssertEqual(value["a"]?[1]?.doubleValue, 2.5)
        XCTAssertEqual(value["a"]?[2], "x\n\"y\"")
        XCTAssertEqual(value["b"]?["c"]?.intValue, -3)
        XCTAssertEqual(try JSONValue.parse(value.serialized()), value)
    }

    func testMalformedJSONThrows() {
        XCTAssertThrowsError(try JSONValue.parse("{\"a\":"))
        XCTAssertThrowsError(try JSONValue.parse(""))
    }

    func testControlCharactersAreEscaped() {
        XCTAssertEqual(JSONValue.string("\u{01}").serializedString, #""\u0001""#)
    }

    func testErrorBodyHasTheOpenAIShape() throws {
        let json = try JSONValue.parse(APIError.payloadTooLarge(limit: 5).jsonBody)
        XCTAssertEqual(json["error"]?["type"], "invalid_request_error")
        XCTAssertEqual(json["error"]?["code"], "request_too_large")
        XCTAssertNotNil(json["error"]?["message"]?.stringValue)
    }
}
