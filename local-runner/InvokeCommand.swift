import ArgumentParser
import Foundation
import FunctionRuntime

/// `local-runner invoke`: one request through the CGI contract, like `supabase functions invoke`.
struct InvokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoke", abstract: "Send one request to a function through CGI; the body goes to stdout."
    )

    @Argument(help: "Function name, e.g. v1-chat.") var function: String
    @Option(help: "HTTP method.") var method: String = "POST"
    @Option(help: "Path after the function name.") var path: String = "/"
    @Option(help: "Request body: JSON text, or @file.") var data: String?
    @Option(name: .customLong("header"), help: "A header as 'Name: value' (repeatable).") var headers: [String] = []
    @Flag(name: .shortAndLong, help: "Print the status and headers to stderr.") var include = false
    @Option(help: "Folder for the SQLite database and development secrets.") var dataDir: String = ".data"
    @Option(help: "Folder holding the function executables (default: beside local-runner).") var functionsDir: String?

    func run() async throws {
        ProcessSignals.ignoreBrokenPipe()
        let catalog = FunctionCatalog(directory: functionsDir, extraFunctions: [function])
        let environment = try DevEnvironment(dataDirectory: dataDir).prepare(base: ProcessInfo.processInfo.environment, log: Console.say)
        var body: [UInt8] = []
        if let data {
            if data.hasPrefix("@") {
                guard let contents = FileManager.default.contents(atPath: String(data.dropFirst())) else {
                    throw ValidationError("cannot read \(data.dropFirst())")
                }
                body = Array(contents)
            } else {
                body = Array(data.utf8)
            }
        }
        var headerFields: [(name: String, value: String)] = []
        if !body.isEmpty { headerFields.append((name: "Content-Type", value: "application/json")) }
        for header in headers {
            guard let colon = header.firstIndex(of: ":") else { throw ValidationError("header '\(header)' is not 'Name: value'") }
            let name = String(header[..<colon])
            headerFields.removeAll { $0.name.lowercased() == name.lowercased() }
            headerFields.append((name: name, value: header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let pathParts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let cgi = CGIMetaVariables(
            method: method.uppercased(), functionName: function,
            pathInfo: String(pathParts[0]), query: pathParts.count > 1 ? String(pathParts[1]) : "",
            headers: headerFields, contentLength: body.count, remoteAddress: "127.0.0.1", serverPort: 0
        ).build()

        let output = try CGIBackend(catalog: catalog, baseEnvironment: environment)
            .invoke(function: function, environment: cgi, body: body)
        let (head, leftover) = try await output.readHead()
        if include {
            var text = "HTTP \(head.status)\n"
            for field in head.headers { text += "\(field.name): \(field.value)\n" }
            FileHandle.standardError.write(Data(text.utf8))
        }
        try FileDescriptorIO.writeAll(1, leftover)
        while let chunk = try await output.next() {
            try FileDescriptorIO.writeAll(1, chunk)
        }
        if head.status >= 400 { throw ExitCode(22) }  // like curl --fail
    }
}
