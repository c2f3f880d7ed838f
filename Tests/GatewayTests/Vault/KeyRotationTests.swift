import Foundation
import Gateway
import GatewayStore
import TestSupport
import XCTest

final class KeyRotationTests: XCTestCase {
    private let alice = Fixtures.alice, service = Fixtures.service

    func testRotateKeysRewritesOldEnvelopesUnderTheCurrentKeyAndIsIdempotentOnSQLite() throws {
        try rotateKeysRewritesOldEnvelopesUnderTheCurrentKeyAndIsIdempotent(try StoreBackends.required(.sqlite))
    }

    func testRotateKeysRewritesOldEnvelopesUnderTheCurrentKeyAndIsIdempotentOnPostgreSQL() throws {
        try rotateKeysRewritesOldEnvelopesUnderTheCurrentKeyAndIsIdempotent(try StoreBackends.required(.postgres))
    }

    private func rotateKeysRewritesOldEnvelopesUnderTheCurrentKeyAndIsIdempotent(_ subject: StoreUnderTest) throws {
        let store = subject.store, name = "\(subject.backend)"
        let old = VaultKey.generate(id: "2025a"), new = VaultKey.generate(id: "2026b")
        let before = ProviderKeySealer(vault: Vault(current: old))
        var rows: [UserProvider] = []
        for provider in ["openrouter", "aihubmix"] {
            let id = UUID().uuidString
            let sealed = try before.seal(Fixtures.apiKey + provider, rowID: id, userID: alice.userID)
            var row = Fixtures.key(alice, provider: provider, id: id, hash: sealed.hash)
            row.apiKeyEncrypted = sealed.encrypted
            try store.insertUserProvider(alice, row)
            rows.append(row)
        }

        let after = ProviderKeySealer(vault: Vault(current: new, retired: [old]))
        let summary = try KeyRotation(sealer: after, store: store).run(as: service)
        XCTAssertEqual(summary.rotated, 2, name)
        XCTAssertEqual(summary.failed, [], name)
        for row in try store.userProviders(alice) {
            XCTAssertEqual(Vault.keyID(of: row.apiKeyEncrypted), "2026b", name)
            XCTAssertTrue(row.apiKeyHash.hasPrefix("2026b:"), name)
            XCTAssertTrue(try after.open(row).hasPrefix(Fixtures.apiKey), name)
            // With the old key retired for good, the rewritten rows still open.
            XCTAssertTrue(try ProviderKeySealer(vault: Vault(current: new)).open(row).hasPrefix(Fixtures.apiKey), name)
        }
        XCTAssertTrue(try store.userHasKey(alice, hashes: after.vault.candidateHashes(Fixtures.apiKey + "openrouter")), name)
        let again = try KeyRotation(sealer: after, store: store).run(as: service)
        XCTAssertEqual(again.rotated, 0, name)
        XCTAssertEqual(again.alreadyCurrent, 2, name)
    }

    func testAnEnvelopeNoConfiguredKeyOpensIsReportedAndLeftAloneOnSQLite() throws {
        try anEnvelopeNoConfiguredKeyOpensIsReportedAndLeftAlone(try StoreBackends.required(.sqlite))
    }

    func testAnEnvelopeNoConfiguredKeyOpensIsReportedAndLeftAloneOnPostgreSQL() throws {
        try anEnvelopeNoConfiguredKeyOpensIsReportedAndLeftAlone(try StoreBackends.required(.postgres))
    }

    private func anEnvelopeNoConfiguredKeyOpensIsReportedAndLeftAlone(_ subject: StoreUnderTest) throws {
        let lost = ProviderKeySealer(vault: Vault(current: VaultKey.generate(id: "lost")))
        let id = UUID().uuidString
        var row = Fixtures.key(alice, id: id)
        row.apiKeyEncrypted = try lost.seal(Fixtures.apiKey, rowID: id, userID: alice.userID).encrypted
        try subject.store.insertUserProvider(alice, row)

        let current = ProviderKeySealer(vault: Vault(current: VaultKey.generate(id: "now")))
        let summary = try KeyRotation(sealer: current, store: subject.store).run(as: service)
        XCTAssertEqual(summary.failed, [id], "\(subject.backend)")
        XCTAssertEqual(try subject.store.userProvider(alice, id: id)?.apiKeyEncrypted, row.apiKeyEncrypted, "\(subject.backend)")
        XCTAssertThrowsError(try KeyRotation(sealer: current, store: subject.store).run(as: alice), "service role only")
    }
}
