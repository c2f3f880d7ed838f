/// Vault failures. Messages never contain a key, a plaintext or a ciphertext.
package enum VaultError: Error, Sendable, Equatable, CustomStringConvertible {
    case notConfigured
    case invalidKey(String)
    case malformedEnvelope
    case unknownKeyID(String)
    /// Tampered, truncated, or sealed for another row (context mismatch).
    case authenticationFailed

    package var description: String {
        switch self {
        case .notConfigured: "no encryption key configured (GATEWAY_ENCRYPTION_KEY)"
        case .invalidKey(let reason): "invalid encryption key: \(reason)"
        case .malformedEnvelope: "stored secret is not a vault envelope"
        case .unknownKeyID(let id): "stored secret was sealed with key '\(id)', which is not configured"
        case .authenticationFailed: "stored secret failed authentication (tampered, truncated or moved)"
        }
    }
}
