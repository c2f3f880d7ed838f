import FunctionRuntime
import XCTest

final class CredentialRedactionTests: XCTestCase {
    func testKeyShapedWordsAreMaskedAndOrdinaryTextIsKept() {
        let text = #"Secretive(detail: "sk-or-v1-abc123", gemini: AIzaSyD3xample, token eyJhbGciOiJIUzI1NiJ9.e30.x1)"#
        XCTAssertEqual(
            CredentialRedaction.redact(text),
            #"Secretive(detail: "[redacted]", gemini: [redacted], token [redacted])"#)
        XCTAssertEqual(CredentialRedaction.redact("a9f03c2be71d4e58b6a0c4d2e8f1a3b5 leaked"), "[redacted] leaked")
        let ordinary = "SQLiteError(code: 19, message: UNIQUE constraint failed: user_providers.key_hmac) at 2026-11-29"
        XCTAssertEqual(CredentialRedaction.redact(ordinary), ordinary)
    }
}
