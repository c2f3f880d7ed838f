import Foundation
import FunctionRuntime
import TestSupport
import XCTest

/// The function executables themselves, run as CGI processes.
final class CGIProcessTests: XCTestCase {
    private func environment(_ extra: [String: String]) -> [String: String] {
        ["GATEWAY_LOG_LEVEL": "error"].merging(extra) { _, new in new }
    }

    func testUnknownRoutesAnswer404WithAUsageRow() throws {
        let gateway = try GatewayTestEnvironment(label: "cgi-functions")
        let token = try gateway.token("user-cgi")
        let functions = ["v1-chat", "sync-models", "usage-stats", "providers", "models"]
        for function in functions {
            let unknown = try CGIInvocation(
                executable: BuildProducts.path(function),
                environment: gateway.variables.merging(
                    ["REQUEST_METHOD": "GET", "PATH_INFO": "/no/such/route/here", "HTTP_AUTHORIZATION": "Bearer \(token)"]) { $1 }
            ).run()
            XCTAssertEqual(unknown.status, 0)
            XCTAssertEqual(unknown.head?.status, 404, "\(function): \(unknown.text)")
        }
        let rows = try gateway.usageRows()
        XCTAssertEqual(rows.count, functions.count, "exactly one usage row per request")
        XCTAssertTrue(rows.allSatisfy { $0.userID == "user-cgi" && $0.status == .error })
        XCTAssertEqual(Set(rows.map(\.function)), Set(functions))
    }

    func testEveryFunctionRefusesAMissingOrForgedTokenWith401() throws {
        let gateway = try GatewayTestEnvironment(label: "cgi-auth")
        let forged = try GatewayTestEnvironment(label: "cgi-forged").token("user-x")
        for function in ["v1-chat", "sync-models", "usage-stats", "providers", "models"] {
            for authorization in [nil, "Bearer \(forged)", "Basic dXNlcjpwYXNz"] {
                var variables = gateway.variables.merging(["REQUEST_METHOD": "GET", "PATH_INFO": "/"]) { $1 }
                variables["HTTP_AUTHORIZATION"] = authorization
                let result = try CGIInvocation(executable: BuildProducts.path(function), environment: variables).run()
                XCTAssertEqual(result.head?.status, 401, "\(function) \(authorization ?? "none"): \(result.text)")
                let error = result.json?["error"] as? [String: Any]
                XCTAssertEqual(error?["type"] as? String, "authentication_error")
                XCTAssertNotNil(error?["message"] as? String)
            }
        }
        XCTAssertEqual(try gateway.usageRows().filter { $0.userID.isEmpty }.count, 15, "refused requests leave rows too")
    }

    func testBodyWithAndWithoutContentLength() throws {
        let probe = BuildProducts.path("invocation-probe")
        let withLength = try CGIInvocation(
            executable: probe,
            environment: environment(
                ["REQUEST_METHOD": "POST", "PATH_INFO": "/echo", "CONTENT_LENGTH": "5"]), body: Array("12345extra".utf8)
        ).run()
        XCTAssertEqual(withLength.json?["body"] as? String, "12345")
        let withoutLength = try CGIInvocation(
            executable: probe,
            environment: environment(
                ["REQUEST_METHOD": "POST", "PATH_INFO": "/echo"]), body: Array("chunked body".utf8)
        ).run()
        XCTAssertEqual(withoutLength.json?["body"] as? String, "chunked body")
    }

    func testOversizedBodyIs413FromTheProcess() throws {
        let result = try CGIInvocation(
            executable: BuildProducts.path("invocation-probe"),
            environment: environment(
                ["REQUEST_METHOD": "POST", "PATH_INFO": "/echo", "GATEWAY_MAX_BODY_BYTES": "100"]),
            body: [UInt8](repeating: 65, count: 101)
        ).run()
        XCTAssertEqual(result.head?.status, 413)
        XCTAssertEqual((result.json?["error"] as? [String: Any])?["type"] as? String, "invalid_request_error")
    }

    func testStreamedEventsLeaveTheProcessAsTheyAreWritten() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuildProducts.path("invocation-probe"))
        process.environment = environment(["REQUEST_METHOD": "GET", "PATH_INFO": "/stream", "QUERY_STRING": "events=3&delay_ms=300"])
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var text = ""
        var firstEventAt: Int?
        let fd = stdout.fileHandleForReading.fileDescriptor
        while true {
            let chunk = try FileDescriptorIO.read(fd)
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if firstEventAt == nil && text.contains("\"i\":0") { firstEventAt = epochMilliseconds() }
        }
        process.waitUntilExit()
        let lastLine = try XCTUnwrap(text.components(separatedBy: "\n").first { $0.contains("\"i\":2") })
        let lastSentAt = try XCTUnwrap(try JSONValue.parse(String(lastLine.dropFirst(6)))["sent_at_ms"]?.intValue)
        XCTAssertLessThan(try XCTUnwrap(firstEventAt), lastSentAt, "the first event was held back until the end")
    }

    func testClientDisconnectMidStreamIsToldToTheFunctionWhichExitsCleanly() throws {
        let marker = NSTemporaryDirectory() + "disconnect-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuildProducts.path("invocation-probe"))
        process.environment = environment([
            "REQUEST_METHOD": "GET", "PATH_INFO": "/stream",
            "QUERY_STRING": "events=50&delay_ms=20&marker=\(marker)",
        ])
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\"i\":1") {
            let chunk = try FileDescriptorIO.read(stdout.fileHandleForReading.fileDescriptor)
            XCTAssertFalse(chunk.isEmpty)
            text += String(decoding: chunk, as: UTF8.self)
        }
        try stdout.fileHandleForReading.close()  // the client goes away
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit, "not killed by SIGPIPE")
        XCTAssertEqual(process.terminationStatus, 0)
        let note = try String(contentsOfFile: marker, encoding: .utf8)
        XCTAssertTrue(note.contains("told=true"), note)
        XCTAssertFalse(note.contains("after 50"), "the handler stopped early: \(note)")
    }

    func testHelpDescribesBothContracts() throws {
        let result = try CGIInvocation(executable: BuildProducts.path("v1-chat").self, environment: [:]).run()
        // Without REQUEST_METHOD it is still a CGI request (GET /): no crash, a JSON answer.
        XCTAssertEqual(result.status, 0)
        XCTAssertNotNil(result.head)
    }
}
