import FunctionRuntime
import GatewayStore

#if canImport(Glibc)
    import Glibc
#endif

// store-probe USER COUNT: inserts COUNT usage rows for USER into GATEWAY_DATABASE_URL, one
// transaction each (as v1-chat does, one per request).
// Exit status 1 on the first error, printed to stderr.
let arguments = CommandLine.arguments
guard arguments.count == 3, let count = Int(arguments[2]) else {
    _ = try? FileDescriptorIO.writeAll(2, Array("usage: store-probe USER COUNT\n".utf8))
    exit(64)
}
let user = arguments[1]
let caller = Caller(userID: user, role: .authenticated)
do {
    let store = try StoreFactory.openForFunctions(environment: ProcessEnvironment.current)
    for index in 0..<count {
        let now = Int64(time(nil)) * 1000
        try store.recordUsage(
            caller,
            UsageRecord(
                id: "\(user)-\(getpid())-\(index)", userID: user, providerID: "openrouter", modelRequested: "probe/model",
                promptTokens: 10, completionTokens: index, costUSD: 0.001, latencyMs: 5, status: .success, createdAt: now))
    }
    exit(0)
} catch {
    _ = try? FileDescriptorIO.writeAll(2, Array("store-probe: \(error)\n".utf8))
    exit(1)
}
