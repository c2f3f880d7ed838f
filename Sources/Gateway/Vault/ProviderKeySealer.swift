import FunctionRuntime
import GatewayStore

/// Seals users' provider keys for `user_api_providers`: the envelope is bound to its row
/// (row id and user id as authenticated data), so a ciphertext copied to another row does not open.
package struct ProviderKeySealer: Sendable {
    package let vault: Vault
    /// Learns every key this sealer opens or seals, so that the request's response can never carry it.
    package let secrets: SecretRedactor?

    package init(vault: Vault, secrets: SecretRedactor? = nil) {
        self.vault = vault
        self.secrets = secrets
    }

    /// The same vault, telling `secrets` of every key it handles.
    package func reporting(to secrets: SecretRedactor) -> ProviderKeySealer {
        ProviderKeySealer(vault: vault, secrets: secrets)
    }

    package func seal(_ apiKey: String, rowID: String, userID: String) throws -> SealedKey {
        secrets?.add(apiKey)
        return SealedKey(
            encrypted: try vault.seal(apiKey, context: Self.context(rowID: rowID, userID: userID)),
            hash: vault.hash(apiKey), last4: Self.last4(of: apiKey))
    }

    package func open(_ provider: UserProvider) throws(VaultError) -> String {
        let key = try vault.open(provider.apiKeyEncrypted, context: Self.context(rowID: provider.id, userID: provider.userID))
        secrets?.add(key)
        return key
    }

    /// The last four characters, shown to the key's owner to tell keys apart; nothing for keys
    /// too short for four characters to be harmless.
    package static func last4(of apiKey: String) -> String {
        apiKey.count >= 16 ? String(apiKey.suffix(4)) : ""
    }

    static func context(rowID: String, userID: String) -> String {
        "user_api_providers|\(rowID)|\(userID)"
    }
}
