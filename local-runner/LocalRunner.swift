import ArgumentParser

/// Emulates the functions' invocation contract locally: HTTP on a port, Supabase-style URLs.
@main
struct LocalRunner: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local-runner",
        abstract: "Run the LLM gateway's functions locally.",
        subcommands: [ServeCommand.self, InvokeCommand.self, TokenCommand.self, MigrateCommand.self, RotateKeysCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
