import Crypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Encrypts provider keys at rest: AES-256-GCM in a versioned envelope that names its key,
/// so keys can be rotated (`v1:<key id>:<base64(nonce | ciphertext | tag)>`).
package struct Vault: Sendable {
    static let envelopeVersion = "v1"

    /// Seals new secrets.
    package let currentKey: VaultKey
    /// Every key that can open: the current one and retired ones.
    private let keys: [String: VaultKey]

    package init(current: VaultKey, retired: [VaultKey] = []) {
        currentKey = current
        var keys: [String: VaultKey] = [:]
        for key in retired { keys[key.id] = key }
        keys[current.id] = current
        self.keys = keys
    }

    /// `GATEWAY_ENCRYPTION_KEY` (current) and `GATEWAY_ENCRYPTION_KEYS_OLD` (comma-separated, retired).
    package init(environment: [String: String]) throws(VaultError) {
        guard let current = environment["GATEWAY_ENCRYPTION_KEY"], !current.isEmpty else { throw .notConfigured }
        var retired: [VaultKey] = []
        for text in (environment["GATEWAY_ENCRYPTION_KEYS_OLD"] ?? "").split(separator: ",") where !text.isEmpty {
            retired.append(try VaultKey(parsing: String(text)))
        }
        self.init(current: try VaultKey(parsing: current), retired: retired)
    }

    package var keyIDs: [String] { keys.keys.sorted() }

    /// Seals `plaintext`. `context` names the row the secret belongs to (user and provider):
    /// the envelope opens only with the same context, so it cannot be copied to another row.
    package func seal(_ plaintext: String, context: String) throws -> String {
        let box = try AES.GCM.seal(
            Data(plaintext.utf8), using: currentKey.key,
            authenticating: Vault.additionalData(keyID: currentKey.id, context: context))
        guard let combined = box.combined else { throw VaultError.malformedEnvelope }
        return "\(Vault.envelopeVersion):\(currentKey.id):\(combined.base64EncodedString())"
    }

    package func open(_ envelope: String, context: String) throws(VaultError) -> String {
        let parts = envelope.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Vault.envelopeVersion,
            let combined = Data(base64Encoded: String(parts[2])),
            combined.count >= 12 + 16
        else { throw .malformedEnvelope }
        let keyID = String(parts[1])
        guard let key = keys[keyID] else { throw .unknownKeyID(keyID) }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            let plaintext = try AES.GCM.open(
                box, using: key.key,
                authenticating: Vault.additionalData(keyID: keyID, context: context))
            return String(decoding: plaintext, as: UTF8.self)
        } catch {
            throw .authenticationFailed
        }
    }

    /// The key id an envelope was sealed with, without opening it.
    package static func keyID(of envelope: String) -> String? {
        let parts = envelope.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == envelopeVersion ? String(parts[1]) : nil
    }

    /// True when the envelope is sealed with a key other than the current one.
    package func needsRotation(_ envelope: String) -> Bool {
        Vault.keyID(of: envelope) != currentKey.id
    }

    /// `api_key_hash`: HMAC-SHA256 under a key derived from the current key, prefixed with its id.
    /// Equal keys give equal hashes (duplicates are found) and nothing reversible is stored.
    package func hash(_ plaintext: String) -> String {
        Vault.hash(plaintext, with: currentKey)
    }

    /// The hashes of `plaintext` under every configured key: a duplicate stored before a
    /// rotation carries an old key's hash until `rotate-keys` rewrites it.
    package func candidateHashes(_ plaintext: String) -> [String] {
        keys.values.sorted { $0.id < $1.id }.map { Vault.hash(plaintext, with: $0) }
    }

    static func hash(_ plaintext: String, with key: VaultKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(plaintext.utf8), using: key.hashKey)
        return "\(key.id):" + Hex.encode(mac)
    }

    private static func additionalData(keyID: String, context: String) -> Data {
        Data("llm-gateway|\(envelopeVersion)|\(keyID)|\(context)".utf8)
    }
}
