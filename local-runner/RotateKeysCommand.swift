import ArgumentParser
import Foundation
import Gateway
import GatewayStore

/// `local-runner rotate-keys`: re-encrypts every stored provider key under GATEWAY_ENCRYPTION_KEY.
struct RotateKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-keys",
        abstract: "Re-encrypt every stored provider key under GATEWAY_ENCRYPTION_KEY (old keys from GATEWAY_ENCRYPTION_KEYS_OLD).",
        discussion: """
            1. Generate a key: local-runner rotate-keys --generate-key NEWID
            2. Deploy with GATEWAY_ENCRYPTION_KEY=<new> and GATEWAY_ENCRYPTION_KEYS_OLD=<previous> (both readable).
            3. Run local-runner rotate-keys with the same environment; it exits non-zero if a key could not be opened.
            4. When it reports 0 left to rotate, remove the old key from GATEWAY_ENCRYPTION_KEYS_OLD.
            """
    )

    @Option(help: "Folder for the SQLite database and development secrets.") var dataDir: String = ".data"
    @Option(help: "Print a new random key with this id (`id:base64`) and exit.") var generateKey: String?

    func run() async throws {
        if let id = generateKey {
            print(VaultKey.generate(id: id).exported)
            return
        }
        let environment = try DevEnvironment(dataDirectory: dataDir).prepare(base: ProcessInfo.processInfo.environment, log: Console.say)
        let vault = try Vault(environment: environment)
        let store = try StoreFactory.openForFunctions(environment: environment)
        let rotation = KeyRotation(sealer: ProviderKeySealer(vault: vault), store: store)
        let summary = try rotation.run(as: Caller(userID: "local-runner rotate-keys", role: .serviceRole))
        Console.say(
            """
            local-runner: rotate-keys under key id '\(vault.currentKey.id)': \(summary.total) stored, \(summary.rotated) rotated, \
            \(summary.alreadyCurrent) already current, \(summary.skipped.count) changed meanwhile (run again), \(summary.failed.count) unreadable
            """)
        if !summary.failed.isEmpty {
            Console.say("local-runner: rows that no configured key opens: \(summary.failed.joined(separator: ", "))")
            throw ExitCode(3)
        }
        if !summary.skipped.isEmpty { throw ExitCode(4) }
    }
}
