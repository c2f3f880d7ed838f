import GatewayStore

/// `rotate-keys`: re-encrypts every stored provider key under the vault's current key and
/// recomputes its HMAC. Row by row (short transactions, safe while the gateway serves),
/// compare-and-set on the old envelope, and idempotent: a second run finds nothing to do.
package struct KeyRotation: Sendable {
    package struct Summary: Sendable, Equatable {
        package var total = 0
        package var rotated = 0
        package var alreadyCurrent = 0
        /// Rows whose envelope could not be opened with any configured key (row ids only).
        package var failed: [String] = []
        /// Rows changed by someone else between read and write; the next run picks them up.
        package var skipped: [String] = []
    }

    package let sealer: ProviderKeySealer
    package let store: any Store

    package init(sealer: ProviderKeySealer, store: any Store) {
        self.sealer = sealer
        self.store = store
    }

    package func run(as caller: Caller) throws -> Summary {
        var summary = Summary()
        let vault = sealer.vault
        for row in try store.sealedKeys(caller) {
            summary.total += 1
            let hashIsCurrent = row.apiKeyHash.hasPrefix(vault.currentKey.id + ":")
            if !vault.needsRotation(row.apiKeyEncrypted) && hashIsCurrent {
                summary.alreadyCurrent += 1
                continue
            }
            let plaintext: String
            do {
                plaintext = try sealer.open(row)
            } catch {
                summary.failed.append(row.id)
                continue
            }
            let sealed = try sealer.seal(plaintext, rowID: row.id, userID: row.userID)
            if try store.replaceSealedKey(caller, id: row.id, expected: row.apiKeyEncrypted, with: sealed) {
                summary.rotated += 1
            } else {
                summary.skipped.append(row.id)
            }
        }
        return summary
    }
}
