import JWTKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The roles a caller can hold (Supabase's names).
public enum CallerRole: String, Codable, Sendable, CaseIterable {
    /// A signed-in user: acts on their own rows only.
    case authenticated
    /// The operator: acts on the catalogue and on every user (sync, admin).
    case serviceRole = "service_role"
}

/// Supabase-compatible access-token claims: `sub`, `role`, `aud`, `exp` (+ `iat`, `nbf`, `iss`).
public struct GatewayClaims: JWTPayload, Equatable {
    public static let defaultAudience = "authenticated"

    public var sub: SubjectClaim
    public var role: String
    public var aud: AudienceClaim?
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim?
    public var nbf: NotBeforeClaim?
    public var iss: IssuerClaim?

    public init(
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

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try nbf?.verifyNotBefore()
    }
}

/// Mints HS256 development tokens (`local-runner token`).
public enum DevelopmentTokens {
    public static func mint(subject: String, role: CallerRole, ttlSeconds: Int, secret: String) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(GatewayClaims(subject: subject, role: role, ttlSeconds: ttlSeconds, issuer: "local-runner"))
    }
}
