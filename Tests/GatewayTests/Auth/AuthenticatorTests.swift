import Crypto
import Foundation
import FunctionRuntime
import Gateway
import GatewayDevelopment
import GatewayStore
import JWTKit
import XCTest
import _CryptoExtras

final class AuthenticatorTests: XCTestCase {
    private let secret = "hs256-test-secret-0123456789abcdefghij"
    private var ecKey: ES256PrivateKey!
    private var rsaKey: JWTKit.Insecure.RSA.PrivateKey!
    private var rsaPublicDER: Data!
    private var authenticator: Authenticator!

    override func setUp() async throws {
        ecKey = ES256PrivateKey()
        let rsaBacking = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        rsaKey = try JWTKit.Insecure.RSA.PrivateKey(backing: rsaBacking)
        rsaPublicDER = rsaBacking.publicKey.derRepresentation
        let (n, e) = try rsaKey.publicKey.getKeyPrimitives()
        let jwks: JSONValue = [
            "keys": [
                [
                    "kty": "EC", "crv": "P-256", "kid": "ec-1", "alg": "ES256", "use": "sig",
                    "x": .string(ecKey.parameters!.x), "y": .string(ecKey.parameters!.y),
                ],
                [
                    "kty": "RSA", "kid": "rsa-1", "alg": "RS256", "use": "sig",
                    "n": .string(Self.base64URL(n)), "e": .string(Self.base64URL(e)),
                ],
            ]
        ]
        authenticator = try await Authenticator(configuration: AuthConfiguration(hmacSecret: secret, jwksJSON: jwks.serializedString))
    }

    // MARK: Token helpers

    private static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private func claims(
        sub: String = "user-1", role: String = "authenticated", aud: String = "authenticated",
        expiresIn: Double = 300, notBefore: Double? = nil
    ) -> JSONValue {
        let now = Date().timeIntervalSince1970.rounded(.down)
        var object: [String: JSONValue] = [
            "sub": .string(sub), "role": .string(role), "aud": .string(aud),
            "iat": .int(Int(now)), "exp": .int(Int(now + expiresIn)),
        ]
        if let notBefore { object["nbf"] = .int(Int(now + notBefore)) }
        return .object(object)
    }

    /// A token built by hand, so that malicious headers can be made.
    private func handMade(header: JSONValue, claims: JSONValue, hmacKey: Data?) -> String {
        let signingInput = Self.base64URL(header.serialized()) + "." + Self.base64URL(claims.serialized())
        guard let hmacKey else { return signingInput + "." }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: hmacKey))
        return signingInput + "." + Self.base64URL(Data(mac))
    }

    private func hs256(_ claims: JSONValue) -> String {
        handMade(header: ["alg": "HS256", "typ": "JWT"], claims: claims, hmacKey: Data(secret.utf8))
    }

    private func assertRejected(_ token: String?, _ expectedMessage: String, file: StaticString = #filePath, line: UInt = #line) async {
        var headers = HTTPHeaders()
        if let token { headers.add("Authorization", "Bearer \(token)") }
        do {
            let caller = try await authenticator.authenticate(FunctionRequest(method: "GET", path: "/", headers: headers))
            XCTFail("accepted as \(caller)", file: file, line: line)
        } catch let error as APIError {
            XCTAssertEqual(error.status, 401, file: file, line: line)
            let json = try? JSONValue.parse(error.jsonBody)
            XCTAssertEqual(json?["error"]?["type"], "authentication_error", file: file, line: line)
            XCTAssertNotNil(json?["error"]?["code"]?.stringValue, file: file, line: line)
            let message = json?["error"]?["message"]?.stringValue ?? ""
            XCTAssertTrue(message.contains(expectedMessage), "message: \(message)", file: file, line: line)
            XCTAssertFalse(message.contains(secret), file: file, line: line)
            XCTAssertNotNil(error.headers["WWW-Authenticate"], file: file, line: line)
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
    }

    // MARK: Accepted

    func testSupabaseStyleHS256TokenResolvesTheCaller() async throws {
        let caller = try await authenticator.authenticate(token: hs256(claims(sub: "abc", role: "authenticated")))
        XCTAssertEqual(caller, Caller(userID: "abc", role: .authenticated))
        XCTAssertFalse(caller.isService)
        let service = try await authenticator.authenticate(token: hs256(claims(sub: "ops", role: "service_role")))
        XCTAssertTrue(service.isService)
    }

    func testTokenMintedByLocalRunnerIsAccepted() async throws {
        let token = try await DevelopmentTokens.mint(subject: "dev-user", role: .authenticated, ttlSeconds: 60, secret: secret)
        let caller = try await authenticator.authenticate(token: token)
        XCTAssertEqual(caller.userID, "dev-user")
    }

    func testES256AndRS256TokensFromTheJWKSAreAccepted() async throws {
        let signer = JWTKeyCollection()
        await signer.add(ecdsa: ecKey, kid: "ec-1")
        await signer.add(rsa: rsaKey, digestAlgorithm: .sha256, kid: "rsa-1")
        let payload = GatewayClaims(subject: "jwks-user", role: .authenticated, ttlSeconds: 60)
        for kid in ["ec-1", "rsa-1"] {
            let token = try await signer.sign(payload, kid: JWKIdentifier(string: kid))
            let caller = try await authenticator.authenticate(token: token)
            XCTAssertEqual(caller.userID, "jwks-user", kid)
        }
    }

    /// The process keeps tokens it verified (they come with every request), but never past their `exp`.
    func testAVerifiedTokenIsRejectedOnceItExpires() async throws {
        let token = hs256(claims(sub: "short-lived", expiresIn: 1))
        let caller = try await authenticator.authenticate(token: token)
        XCTAssertEqual(caller.userID, "short-lived")
        try await Task.sleep(for: .milliseconds(2_100))
        await assertRejected(token, "expired")
    }

    func testKeptTokensAreAnsweredUntilTheirExpiryAndNotAfter() {
        let tokens = VerifiedTokens()
        let caller = Caller(userID: "u", role: .authenticated)
        tokens.keep("a.b.c", caller: caller, expiresAt: 1_000)
        XCTAssertEqual(tokens.caller(of: "a.b.c", now: 999), caller)
        XCTAssertNil(tokens.caller(of: "a.b.d", now: 999), "only the exact token")
        XCTAssertNil(tokens.caller(of: "a.b.c", now: 1_000), "not at its expiry")
        XCTAssertNil(tokens.caller(of: "a.b.c", now: 999), "and it is gone after")
    }

    func testKeptTokensAreBounded() {
        let tokens = VerifiedTokens()
        let caller = Caller(userID: "u", role: .authenticated)
        for index in 0...VerifiedTokens.capacity { tokens.keep("token-\(index)", caller: caller, expiresAt: .infinity) }
        XCTAssertNil(tokens.caller(of: "token-0", now: 0), "past the capacity the cache started over")
        XCTAssertEqual(tokens.caller(of: "token-\(VerifiedTokens.capacity)", now: 0), caller)
    }

    // MARK: Rejected

    func testMissingTokenIsRejected() async {
        await assertRejected(nil, "Missing bearer token")
        await assertRejected("", "Missing bearer token")
    }

    func testExpiredTokenIsRejected() async {
        await assertRejected(hs256(claims(expiresIn: -10)), "expired")
    }

    func testNotYetValidTokenIsRejected() async {
        await assertRejected(hs256(claims(notBefore: 600)), "not valid yet")
    }

    func testWrongAudienceIsRejected() async {
        await assertRejected(hs256(claims(aud: "some-other-app")), "audience")
    }

    func testAlgNoneIsRejected() async {
        await assertRejected(handMade(header: ["alg": "none", "typ": "JWT"], claims: claims(), hmacKey: nil), "algorithm 'none'")
        await assertRejected(handMade(header: ["alg": "None"], claims: claims(), hmacKey: nil), "is not accepted")
    }

    func testHS256TokenSignedWithThePublicKeyIsRejected() async throws {
        // The classic confusion attack: the RSA public key's bytes used as an HMAC secret.
        let forged = handMade(header: ["alg": "HS256", "kid": "rsa-1"], claims: claims(role: "service_role"), hmacKey: rsaPublicDER)
        await assertRejected(forged, "does not match its key")
        let forgedWithoutKid = handMade(header: ["alg": "HS256"], claims: claims(role: "service_role"), hmacKey: rsaPublicDER)
        await assertRejected(forgedWithoutKid, "signature is invalid")
        // A JWKS-only deployment has no HMAC key at all: an HS256 token has nothing to verify against.
        let jwksOnly = try await Authenticator(
            configuration: AuthConfiguration(
                jwksJSON: #"{"keys":[]}"#))
        do {
            _ = try await jwksOnly.authenticate(token: forgedWithoutKid)
            XCTFail("accepted")
        } catch let error as APIError {
            XCTAssertEqual(error.status, 401)
        }
    }

    func testUnknownKeyIdIsRejected() async {
        let token = handMade(header: ["alg": "HS256", "kid": "rotated-away"], claims: claims(), hmacKey: Data(secret.utf8))
        await assertRejected(token, "key id is unknown")
    }

    func testTamperedPayloadIsRejected() async {
        let token = hs256(claims(sub: "user-1"))
        let parts = token.split(separator: ".").map(String.init)
        let forgedPayload = Self.base64URL(claims(sub: "admin", role: "service_role").serialized())
        await assertRejected([parts[0], forgedPayload, parts[2]].joined(separator: "."), "signature is invalid")
    }

    func testTokenSignedWithAnotherSecretIsRejected() async {
        let token = handMade(header: ["alg": "HS256"], claims: claims(), hmacKey: Data("another-secret-entirely-0123456789ab".utf8))
        await assertRejected(token, "signature is invalid")
    }

    func testUnknownRoleAndMissingSubjectAreRejected() async {
        await assertRejected(hs256(claims(role: "anon")), "role")
        await assertRejected(hs256(claims(sub: "")), "subject")
    }

    func testGarbageIsRejected() async {
        await assertRejected("not-a-jwt", "not a JWT")
        await assertRejected("a.b.c", "not a JWT")
    }

    func testConfigurationNeedsAKeyAndAStrongSecret() {
        XCTAssertThrowsError(try AuthConfiguration.fromEnvironment([:]))
        XCTAssertThrowsError(try AuthConfiguration.fromEnvironment(["GATEWAY_JWT_SECRET": "short"]))
        XCTAssertNoThrow(try AuthConfiguration.fromEnvironment(["GATEWAY_JWT_SECRET": secret]))
    }
}
