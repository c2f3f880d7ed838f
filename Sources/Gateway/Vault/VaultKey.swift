import Crypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One AES-256 key with the id that names it in every envelope it seals.
package struct VaultKey: Sendable {
    package let id: String
    let key: SymmetricKey
    /// For api_key_hash: derived, so the encryption key itself never keys an HMAC.
    let hashKey: SymmetricKey

    package init(id: String, key: SymmetricKey) {
        self.id = id
        self.key = key
        hashKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key, info: Data("llm-gateway api_key_hash v1".utf8), outputByteCount: 32)
    }

    /// `<id>:<base64 of 32 bytes>`, or bare base64 (the id is then derived from the key).
    /// Errors never quote the key.
    package init(parsing text: String) throws(VaultError) {
        let trimmed = text.trimmingCharacters(in: " ")
        var id: String?
        var encoded = trimmed
        if let colon = trimmed.firstIndex(of: ":") {
            id = String(trimmed[..<colon])
            encoded = String(trimmed[trimmed.index(after: colon)...])
        }
        guard let bytes = Data(base64Encoded: encoded), bytes.count == 32 else {
            throw .invalidKey("an encryption key must be base64 of exactly 32 bytes, optionally prefixed with 'keyid:'")
        }
        let key = SymmetricKey(data: bytes)
        let derivedID = Hex.encode(SHA256.hash(data: bytes).prefix(4))
        let keyID = id ?? "k" + derivedID
        guard !keyID.isEmpty, keyID.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw .invalidKey("a key id may hold only letters, digits, '-' and '_'")
        }
        self.init(id: keyID, key: key)
    }

    package static func generate(id: String) -> VaultKey {
        VaultKey(id: id, key: SymmetricKey(size: .bits256))
    }

    /// The configuration form: `<id>:<base64>`.
    package var exported: String {
        "\(id):" + key.withUnsafeBytes { Data($0).base64EncodedString() }
    }
}
