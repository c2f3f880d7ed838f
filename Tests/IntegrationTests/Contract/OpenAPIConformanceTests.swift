import Foundation
import TestSupport
import XCTest

/// `docs/openapi.yaml` holds for the running functions: it is a valid OpenAPI 3.1 document,
/// local-runner serves it, and schemathesis, driven by it against local-runner, finds no 5xx, no
/// answer outside the spec and no request that hangs.
final class OpenAPIConformanceTests: XCTestCase {
    func testTheSpecIsAValidOpenAPI31Document() throws {
        let directory = try temporaryDirectory("openapi-validate")
        let output = try OpenAPITools.runScript("validate_spec.py", [OpenAPITools.spec], log: "\(directory)/validate.log")
        XCTAssertTrue(output.contains("valid OpenAPI 3.1"), output)
    }

    func testLocalRunnerServesTheSpec() throws {
        let world = try ContractTestbed()
        let response = try world.client.request("GET", "/openapi.yaml")
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(response.headers["content-type"], "application/yaml; charset=utf-8")
        XCTAssertEqual(response.body, Array(try Data(contentsOf: URL(fileURLWithPath: OpenAPITools.spec))))
    }

    /// Bounded: examples per operation and a time limit for the whole run (in `schemathesis.toml` and
    /// the script), 10 s per request; on SQLite only (the contract does not depend on the store).
    func testSchemathesisFindsNoServerErrorNoAnswerOutsideTheSpecAndNoHang() throws {
        guard GatewayTestEnvironment.backend == .sqlite else { throw XCTSkip("schemathesis runs once, on SQLite") }
        let world = try ContractTestbed()
        let directory = world.bed.gateway.directory
        let output = try OpenAPITools.runScript(
            "run_schemathesis.py", ["\(world.runnerURL)/openapi.yaml", world.runnerURL, "\(directory)/schemathesis"],
            environment: [
                "GATEWAY_TEST_TOKEN": world.bed.token, "GATEWAY_TEST_SERVICE_TOKEN": world.serviceToken,
                "GATEWAY_TEST_KEY_ID": world.keyID, "GATEWAY_TEST_DISPOSABLE_KEY_ID": world.disposableKeyID,
            ],
            log: "\(directory)/schemathesis.log")
        let figures = output.split(separator: "\n").last { $0.hasPrefix("schemathesis:") } ?? ""
        XCTAssertFalse(figures.isEmpty, output)
        print("figure: \(figures)")
    }
}
