import GatewayStore
import JWTKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Supabase-compatible access-token claims: `sub`, `role`, `aud`, `exp` (+ `iat`, `nbf`, `iss`).
package struct GatewayClaims: JWTPayload, Equatable {
    package static let defaultAudience = "authenticated"

    package var sub: SubjectClaim
    package var role: String
    package var aud: AudienceClaim?
    package var exp: ExpirationClaim
    package var iat: IssuedAtClaim?
    package var nbf: NotBeforeClaim?
    package var iss: IssuerClaim?

    package init(
        subject: String,
        role: CallerRole,
        audience: String = GatewayClaims.defaultAudience,
        issuedAt: Date = Date(),
        ttlSeconds: Int,
        issuer: String? = nil
    ) {
        // NumericDate in whole seconds: many verifiers reject fractional `exp`.
        let issuedAt = Date(timeIntervalSince1970: issuedAt.timeIntervalSince1970.rounded(.down))
        sub = SubjectClaim(value: subject)
        self.role = role.rawValue
        aud = AudienceClaim(value: [audience])
        iat = IssuedAtClaim(value: issuedAt)
        exp = ExpirationClaim(value: issuedAt.addingTimeInterval(Double(ttlSeconds)))
        nbf = nil
        iss = issuer.map { IssuerClaim(value: $0) }
    }

    package func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try nbf?.verifyNotBefore()
    }
}
