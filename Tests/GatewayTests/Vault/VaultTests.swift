import Crypto
import Foundation
import Gateway
import XCTest

final class VaultTests: XCTestCase {
    private let secret = "sk-test-VAULT-0123456789abcdef"
    private let context = "user:u1|provider:openrouter"

    func testSealedKeyOpensWithTheSameContextOnly() throws {
        let vault = Vault(current: .generate(id: "k1"))
        let envelope = try vault.seal(secret, context: context)
        XCTAssertTrue(envelope.hasPrefix("v1:k1:"))
        XCTAssertFalse(envelope.contains(secret))
        XCTAssertEqual(try vault.open(envelope, context: context), secret)
        XCTAssertThrowsError(try vault.open(envelope, context: "user:u2|provider:openrouter")) {
            XCTAssertEqual($0 as? VaultError, .authenticationFailed, "an envelope copied to another user's row must not open")
        }
    }

    func testSealingTwiceGivesDifferentCiphertexts() throws {
        let vault = Vault(current: .generate(id: "k1"))
        XCTAssertNotEqual(try vault.seal(secret, context: context), try vault.seal(secret, context: context))
    }

    func testTamperedOrTruncatedCiphertextIsAnErrorNeverGarbage() throws {
        let vault = Vault(current: .generate(id: "k1"))
        let envelope = try vault.seal(secret, context: context)
        let prefix = "v1:k1:"
        var bytes = Data(base64Encoded: String(envelope.dropFirst(prefix.count)))!
        for index in [0, 12, bytes.count / 2, bytes.count - 1] {
            var tampered = bytes
            tampered[index] ^= 0x01
            XCTAssertThrowsError(try vault.open(prefix + tampered.base64EncodedString(), context: context)) {
                XCTAssertEqual($0 as? VaultError, .authenticationFailed, "byte \(index)")
            }
        }
        bytes.removeLast(5)
        XCTAssertThrowsError(try vault.open(prefix + bytes.base64EncodedString(), context: context)) {
            XCTAssertEqual($0 as? VaultError, .authenticationFailed)
        }
        XCTAssertThrowsError(try vault.open("v1:k1:AAAA", context: context)) { XCTAssertEqual($0 as? VaultError, .malformedEnvelope) }
        XCTAssertThrowsError(try vault.open("plaintext-key", context: context)) { XCTAssertEqual($0 as? VaultError, .malformedEnvelope) }
        XCTAssertThrowsError(try vault.open("v2:k1:" + bytes.base64EncodedString(), context: context))
    }

    func testRotationKeepsOldEnvelopesReadableAndMarksThemForRewriting() throws {
        let old = VaultKey.generate(id: "2025")
        let before = Vault(current: old)
        let envelope = try before.seal(secret, context: context)

        let after = Vault(current: .generate(id: "2026"), retired: [old])
        XCTAssertEqual(try after.open(envelope, context: context), secret)
        XCTAssertTrue(after.needsRotation(envelope))
        let rewritten = try after.seal(try after.open(envelope, context: context), context: context)
        XCTAssertFalse(after.needsRotation(rewritten))
        XCTAssertEqual(Vault.keyID(of: rewritten), "2026")

        let withoutOld = Vault(current: after.currentKey)
        XCTAssertThrowsError(try withoutOld.open(envelope, context: context)) {
            XCTAssertEqual($0 as? VaultError, .unknownKeyID("2025"))
        }
        XCTAssertEqual(try withoutOld.open(rewritten, context: context), secret)
    }

    func testConfigurationFromTheEnvironment() throws {
        let current = VaultKey.generate(id: "cur")
        let retired = VaultKey.generate(id: "old")
        let vault = try Vault(environment: [
            "GATEWAY_ENCRYPTION_KEY": current.exported,
            "GATEWAY_ENCRYPTION_KEYS_OLD": retired.exported,
        ])
        XCTAssertEqual(vault.currentKey.id, "cur")
        XCTAssertEqual(vault.keyIDs, ["cur", "old"])

        let bare = try VaultKey(parsing: Data(repeating: 7, count: 32).base64EncodedString())
        XCTAssertTrue(bare.id.hasPrefix("k"), "an id is derived when none is given")

        XCTAssertThrowsError(try Vault(environment: [:])) { XCTAssertEqual($0 as? VaultError, .notConfigured) }
        let shortKey = Data(repeating: 1, count: 16).base64EncodedString()
        XCTAssertThrowsError(try Vault(environment: ["GATEWAY_ENCRYPTION_KEY": "k:" + shortKey])) { error in
            XCTAssertFalse("\(error)".contains(shortKey), "errors never quote key material")
        }
    }

    func testHMACFindsDuplicatesWithoutStoringAnythingReversible() throws {
        let key = VaultKey.generate(id: "k1")
        let vault = Vault(current: key)
        let hash = vault.hash(secret)
        XCTAssertEqual(hash, vault.hash(secret))
        XCTAssertNotEqual(hash, vault.hash(secret + "x"))
        XCTAssertTrue(hash.hasPrefix("k1:"))
        XCTAssertFalse(hash.contains(secret))
        // Not a bare hash: without the key nobody can test a guess.
        let bareSHA = SHA256.hash(data: Data(secret.utf8)).map { String($0, radix: 16) }.joined()
        XCTAssertFalse(hash.contains(bareSHA))
        XCTAssertNotEqual(Vault(current: .generate(id: "k1")).hash(secret), hash, "another deployment's key gives another hash")

        let rotated = Vault(current: .generate(id: "k2"), retired: [key])
        XCTAssertTrue(rotated.candidateHashes(secret).contains(hash), "a duplicate stored before rotation is still found")
        XCTAssertTrue(rotated.candidateHashes(secret).contains(rotated.hash(secret)))
    }
}
