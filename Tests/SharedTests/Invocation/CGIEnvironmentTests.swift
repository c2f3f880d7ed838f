import XCTest
import Shared

final class CGIEnvironmentTests: XCTestCase {
    func testMetaVariablesBecomeRequestFields() {
        let request = CGIEnvironment.makeRequest([
            "REQUEST_METHOD": "post",
            "PATH_INFO": "/v1/chat/completions",
            "QUERY_STRING": "a=1&b=two%20words&c=x+y",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": "2",
            "HTTP_AUTHORIZATION": "Bearer abc.def",
            "HTTP_X_FORWARDED_FOR": "10.0.0.1",
            "HTTP_ACCEPT": "text/event-stream",
            "REMOTE_ADDR": "192.0.2.7",
            "SERVER_SOFTWARE": "nginx",
        ], body: Array("{}".utf8))

        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.path, "/v1/chat/completions")
        XCTAssertEqual(request.queryParameters, ["a": "1", "b": "two words", "c": "x y"])
        XCTAssertEqual(request.headers["content-type"], "application/json")
        XCTAssertEqual(request.headers["Content-Length"], "2")
        XCTAssertEqual(request.headers["X-Forwarded-For"], "10.0.0.1")
        XCTAssertEqual(request.headers["accept"], "text/event-stream")
        XCTAssertEqual(request.bearerToken, "abc.def")
        XCTAssertEqual(request.remoteAddress, "192.0.2.7")
        XCTAssertEqual(request.body, Array("{}".utf8))
        XCTAssertNil(request.headers["Server-Software"], "only HTTP_* variables are headers")
    }

    func testMissingPathInfoIsRoot() {
        let request = CGIEnvironment.makeRequest(["REQUEST_METHOD": "GET"], body: [])
        XCTAssertEqual(request.path, "/")
        XCTAssertEqual(request.query, "")
        XCTAssertNil(request.bearerToken)
    }

    func testBearerTokenNeedsTheScheme() {
        XCTAssertNil(Request(method: "GET", path: "/", headers: ["Authorization": "Basic abc"]).bearerToken)
        XCTAssertNil(Request(method: "GET", path: "/", headers: ["Authorization": "Bearer "]).bearerToken)
        XCTAssertEqual(Request(method: "GET", path: "/", headers: ["Authorization": "bearer t"]).bearerToken, "t")
    }

    func testHeaderNamesAreRebuiltFromMetaVariables() {
        XCTAssertEqual(CGIEnvironment.headerName(fromMetaVariable: "X_REQUEST_ID"), "X-Request-Id")
        XCTAssertEqual(CGIEnvironment.headerName(fromMetaVariable: "AUTHORIZATION"), "Authorization")
    }
}
