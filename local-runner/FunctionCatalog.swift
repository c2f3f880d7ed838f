import Glibc

/// The functions local-runner serves and where their executables are.
struct FunctionCatalog: Sendable {
    static let gatewayFunctions = ["v1-chat", "sync-models", "usage-stats", "providers", "models"]

    let directory: String
    let names: Set<String>

    /// By default the executables sit beside local-runner in the build folder.
    init(directory: String?, extraFunctions: [String]) {
        self.directory = directory ?? FunctionCatalog.ownDirectory()
        names = Set(FunctionCatalog.gatewayFunctions + extraFunctions)
    }

    func contains(_ name: String) -> Bool { names.contains(name) }

    func executablePath(_ name: String) -> String { "\(directory)/\(name)" }

    /// Names whose executable is missing: a build step was skipped.
    func missingExecutables() -> [String] {
        names.sorted().filter { access(executablePath($0), X_OK) != 0 }
    }

    static func ownDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, Int(PATH_MAX))
        guard length > 0 else { return "." }
        let path = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }
}
