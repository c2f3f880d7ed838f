import Gateway
import GatewayStore
import JWTKit

/// Mints HS256 development tokens (`local-runner token`, the console's printed URL, the tests).
/// Its own target so that no function binary can mint a token.
package enum DevelopmentTokens {
    package static func mint(subject: String, role: CallerRole, ttlSeconds: Int, secret: String) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(GatewayClaims(subject: subject, role: role, ttlSeconds: ttlSeconds, issuer: "local-runner"))
    }
}
