import FunctionRuntime
import XCTest

final class CGIEnvironmentTests: XCTestCase {
    func testMetaVariablesBecomeRequestFields() {
        let request = CGIEnvironment.makeRequest(
            [
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
        XCTAssertNil(FunctionRequest(method: "GET", path: "/", headers: ["Authorization": "Basic abc"]).bearerToken)
        XCTAssertNil(FunctionRequest(method: "GET", path: "/", headers: ["Authorization": "Bearer "]).bearerToken)
        XCTAssertEqual(FunctionRequest(method: "GET", path: "/", headers: ["Authorization": "bearer t"]).bearerToken, "t")
    }

    func testHeaderNamesAreRebuiltFromMetaVariables() {
        XCTAssertEqual(CGIEnvironment.headerName(fromMetaVariable: "X_REQUEST_ID"), "X-Request-Id")
        XCTAssertEqual(CGIEnvironment.headerName(fromMetaVariable: "AUTHORIZATION"), "Authorization")
    }

    func testContentTypeIsNotRepeatedFromItsHTTPDuplicate() {
        let request = CGIEnvironment.makeRequest(
            ["CONTENT_TYPE": "application/json", "HTTP_CONTENT_TYPE": "text/plain", "HTTP_X_A": "1"], body: [])
        XCTAssertEqual(request.headers.values("Content-Type"), ["application/json"])
        XCTAssertEqual(request.headers["x-a"], "1")
    }

    /// 60,000 header variables once took 55 s of CPU (a case-folding scan per variable): the cost
    /// must grow with the count, not its square. Compared as a ratio, so a slow machine does not matter.
    func testHeaderHandlingGrowsLinearlyWithTheNumberOfHeaders() {
        func environment(_ count: Int) -> [String: String] {
            var variables = ["REQUEST_METHOD": "GET", "CONTENT_TYPE": "text/plain"]
            for index in 0..<count { variables["HTTP_X_H\(index)"] = "v" }
            return variables
        }
        func fastest(_ variables: [String: String]) -> UInt64 {
            (0..<3).map { _ in
                let started = MonotonicClock.nanoseconds()
                XCTAssertEqual(CGIEnvironment.makeRequest(variables, body: []).headers.fields.count, variables.count - 1)
                return MonotonicClock.nanoseconds() - started
            }.min()!
        }
        let small = fastest(environment(4_000)), large = fastest(environment(32_000))
        // Linear (with the sort's log factor) is about 9x; the quadratic version was 64x.
        XCTAssertLessThan(Double(large) / Double(max(small, 1)), 30, "header handling is superlinear")
    }
}
