import ArgumentParser
import Foundation
import Gateway
import GatewayDevelopment
import GatewayStore

/// `local-runner token`: a development JWT signed with GATEWAY_JWT_SECRET.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Mint a development JWT (HS256, GATEWAY_JWT_SECRET) for a user."
    )

    @Option(help: "The user id (the token's sub).") var user: String
    @Option(help: "authenticated or service_role.") var role: String = CallerRole.authenticated.rawValue
    @Option(help: "Lifetime in seconds.") var ttl: Int = 3600
    @Option(help: "Folder for the development secrets, used when GATEWAY_JWT_SECRET is not set.") var dataDir: String = ".data"

    func run() async throws {
        guard let callerRole = CallerRole(rawValue: role) else {
            throw ValidationError("--role must be one of: \(CallerRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ttl > 0 else { throw ValidationError("--ttl must be positive") }
        guard !user.isEmpty else { throw ValidationError("--user must not be empty") }
        let environment = try DevEnvironment(dataDirectory: dataDir).prepare(base: ProcessInfo.processInfo.environment, log: Console.say)
        guard let secret = environment["GATEWAY_JWT_SECRET"], !secret.isEmpty else {
            throw ValidationError("GATEWAY_JWT_SECRET is not set")
        }
        print(try await DevelopmentTokens.mint(subject: user, role: callerRole, ttlSeconds: ttl, secret: secret))
    }
}
