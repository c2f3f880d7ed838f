#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where access tokens' keys come from (environment, 12-factor):
/// `GATEWAY_JWT_SECRET` (HS256, Supabase's default) and/or `GATEWAY_JWKS_FILE` (ES256 / RS256 keys),
/// and the audience tokens must carry (`GATEWAY_JWT_AUDIENCE`, default `authenticated`).
package struct AuthConfiguration: Sendable {
    package var hmacSecret: String?
    package var jwksJSON: String?
    package var audience: String

    package init(hmacSecret: String? = nil, jwksJSON: String? = nil, audience: String = GatewayClaims.defaultAudience) {
        self.hmacSecret = hmacSecret
        self.jwksJSON = jwksJSON
        self.audience = audience
    }

    package static func fromEnvironment(_ environment: [String: String]) throws -> AuthConfiguration {
        var configuration = AuthConfiguration(audience: environment["GATEWAY_JWT_AUDIENCE"] ?? GatewayClaims.defaultAudience)
        if let secret = environment["GATEWAY_JWT_SECRET"], !secret.isEmpty {
            guard secret.utf8.count >= 32 else {
                throw AuthConfigurationError("GATEWAY_JWT_SECRET must be at least 32 bytes")
            }
            configuration.hmacSecret = secret
        }
        if let path = environment["GATEWAY_JWKS_FILE"], !path.isEmpty {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AuthConfigurationError("GATEWAY_JWKS_FILE \(path) cannot be read")
            }
            configuration.jwksJSON = String(decoding: data, as: UTF8.self)
        }
        guard configuration.hmacSecret != nil || configuration.jwksJSON != nil else {
            throw AuthConfigurationError("no token keys configured: set GATEWAY_JWT_SECRET and/or GATEWAY_JWKS_FILE")
        }
        return configuration
    }
}

package struct AuthConfigurationError: Error, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}
