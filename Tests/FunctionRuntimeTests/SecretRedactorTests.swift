import FunctionRuntime
import TestSupport
import XCTest

final class SecretRedactorTests: XCTestCase {
    private let key = "sk-or-v1-0123456789abcdefghijklmnopqrstuvwxyz"

    private func assertNoPiece(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNil(keyPiece(in: text, of: [key]), "a piece of the key survived in: \(text)", file: file, line: line)
    }

    func testTheWholeKeyIsMasked() {
        let text = SecretRedactor.redact("Incorrect API key provided: \(key).", secret: key)
        XCTAssertEqual(text, "Incorrect API key provided: [redacted].")
    }

    func testEveryPieceOfEightOrMoreCharactersIsMaskedWhereverItAppears() {
        let bytes = Array(key.utf8)
        let redactor = SecretRedactor([key])
        for length in [8, 9, 12, 20, bytes.count] {
            for start in stride(from: 0, through: bytes.count - length, by: 3) {
                let piece = String(decoding: bytes[start..<start + length], as: UTF8.self)
                let text = redactor.redact("code=\(piece);status=\(piece.uppercased()) \(piece)")
                assertNoPiece(text)
                XCTAssertTrue(text.hasPrefix("code=[redacted];"), text)
            }
        }
    }

    func testShorterPiecesAndOtherTextAreLeftAlone() {
        let text = "The upstream said: sk-or-v is not 0123456 ok"
        XCTAssertEqual(SecretRedactor.redact(text, secret: key), text)
        XCTAssertEqual(SecretRedactor().redact(key), key, "no secrets, nothing masked")
    }

    func testPiecesSideBySideBecomeOneMask() {
        let prefix = String(key.prefix(12)), suffix = String(key.suffix(12))
        XCTAssertEqual(SecretRedactor.redact("\(prefix)...\(suffix)", secret: key), "[redacted]...[redacted]")
        XCTAssertEqual(SecretRedactor.redact("\(key)\(key)", secret: key), "[redacted]")
    }

    func testSecretsAddedLaterAreMaskedToo() {
        let redactor = SecretRedactor()
        redactor.add("short")
        XCTAssertTrue(redactor.isEmpty, "too short to tell from ordinary text")
        redactor.add(key)
        XCTAssertEqual(redactor.redact(Array("[\(key)]".utf8)), Array("[[redacted]]".utf8))
    }

    /// The response writer redacts every byte it sends, so no path can forget to.
    func testTheResponseWriterNeverSendsASecret() throws {
        let sent = SentBytes()
        let writer = ResponseWriter(transport: sent)
        writer.secrets.add(key)
        try writer.respond(status: 401, json: Array(#"{"error":{"message":"bad \#(key)","code":"invalid_api_key:\#(key.suffix(20))"}}"#.utf8))
        let text = String(decoding: sent.bytes, as: UTF8.self)
        assertNoPiece(text)
        let length = text.components(separatedBy: "Content-Length: ")[1].prefix { $0.isNumber }
        XCTAssertEqual(Int(length), text.components(separatedBy: "\r\n\r\n")[1].utf8.count, "Content-Length counts the redacted body")
    }
}

private final class SentBytes: ResponseTransport, @unchecked Sendable {
    var bytes: [UInt8] = []
    func send(_ bytes: [UInt8]) throws { self.bytes += bytes }
    func finish() throws {}
}
