import FunctionRuntime
import GatewayStore
import JWTKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Verifies access tokens and resolves the `Caller`. Every failure is a 401 with an
/// OpenAI-style error that says what was wrong with the token, never what the key is.
package struct Authenticator: Sendable {
    /// Algorithms accepted, by the key type that must verify them.
    private enum KeyType: String {
        case hmac
        case ec = "EC"
        case rsa = "RSA"
    }
    private static let allowedAlgorithms: [String: KeyType] = ["HS256": .hmac, "ES256": .ec, "RS256": .rsa]

    private let keys: JWTKeyCollection
    private let hasHMAC: Bool
    private let jwksKeyTypes: [String: KeyType]
    private let audience: String
    private let verified = VerifiedTokens()

    package init(configuration: AuthConfiguration) async throws {
        keys = JWTKeyCollection()
        if let secret = configuration.hmacSecret {
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        }
        var types: [String: KeyType] = [:]
        if let jwks = configuration.jwksJSON {
            try await keys.add(jwksJSON: jwks)
            for key in (try JSONValue.parse(jwks))["keys"]?.arrayValue ?? [] {
                guard let kid = key["kid"]?.stringValue, let kty = key["kty"]?.stringValue.flatMap(KeyType.init) else { continue }
                types[kid] = kty
            }
        }
        hasHMAC = configuration.hmacSecret != nil
        jwksKeyTypes = types
        audience = configuration.audience
    }

    package func authenticate(_ request: FunctionRequest) async throws -> Caller {
        // Anthropic's clients send the token as `x-api-key`, with `Authorization` empty or absent (and the other way round).
        guard let token = request.bearerToken ?? request.headers["x-api-key"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw Authenticator.unauthorized(
                "Missing bearer token: send 'Authorization: Bearer <access token>' (or 'x-api-key: <access token>').", code: "missing_token")
        }
        return try await authenticate(token: token)
    }

    package func authenticate(token: String) async throws -> Caller {
        if let caller = verified.caller(of: token) { return caller }
        try checkHeader(token)
        let claims: GatewayClaims
        do {
            claims = try await keys.verify(token, as: GatewayClaims.self)
        } catch let error as JWTError {
            throw Authenticator.unauthorized(Authenticator.describe(error), code: "invalid_token")
        } catch {
            throw Authenticator.unauthorized("The token could not be verified.", code: "invalid_token")
        }
        guard claims.aud?.value.contains(audience) == true else {
            throw Authenticator.unauthorized("The token's audience is not '\(audience)'.", code: "invalid_token")
        }
        guard let role = CallerRole(rawValue: claims.role) else {
            throw Authenticator.unauthorized("The token's role '\(claims.role.prefix(40))' may not use the gateway.", code: "invalid_token")
        }
        let subject = claims.sub.value
        guard !subject.isEmpty, subject.count <= 128 else {
            throw Authenticator.unauthorized("The token has no usable subject (sub).", code: "invalid_token")
        }
        let caller = Caller(userID: subject, role: role)
        verified.keep(token, caller: caller, expiresAt: claims.exp.value.timeIntervalSince1970)
        return caller
    }

    /// jwt-kit picks the key by `kid` (falling back to the default key for an unknown one) and
    /// verifies with that key's own algorithm: the header is checked here first so that `none`,
    /// unknown algorithms, unknown key ids and an algorithm that does not match its key are refused outright.
    private func checkHeader(_ token: String) throws {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(String(parts[0])),
            let header = try? JSONValue.parse(headerBytes)
        else {
            throw Authenticator.unauthorized("The token is not a JWT.", code: "invalid_token")
        }
        let algorithm = header["alg"]?.stringValue ?? ""
        guard let keyType = Authenticator.allowedAlgorithms[algorithm] else {
            throw Authenticator.unauthorized("The token's algorithm '\(algorithm.prefix(20))' is not accepted.", code: "invalid_token")
        }
        if let kid = header["kid"]?.stringValue {
            guard let registered = jwksKeyTypes[kid] else {
                throw Authenticator.unauthorized("The token's key id is unknown.", code: "invalid_token")
            }
            guard registered == keyType else {
                throw Authenticator.unauthorized("The token's algorithm does not match its key.", code: "invalid_token")
            }
        } else {
            guard keyType == .hmac, hasHMAC else {
                throw Authenticator.unauthorized("The token names no key id.", code: "invalid_token")
            }
        }
    }

    private static func describe(_ error: JWTError) -> String {
        switch error.errorType {
        case .claimVerificationFailure:
            if error.failedClaim is ExpirationClaim { return "The token has expired." }
            if error.failedClaim is NotBeforeClaim { return "The token is not valid yet." }
            return "A token claim failed verification."
        case .signatureVerificationFailed: return "The token's signature is invalid."
        default: return "The token could not be verified."
        }
    }

    static func unauthorized(_ message: String, code: String) -> APIError {
        APIError(status: 401, message: message, code: code, headers: ["WWW-Authenticate": #"Bearer error="invalid_token""#])
    }
}

enum Base64URL {
    static func decode(_ text: String) -> [UInt8]? {
        var base64 = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }
}
