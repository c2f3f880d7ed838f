import Foundation
import Gateway
import GatewayStore
import Synchronization
import TestSupport

// bench-fixture: what Benchmarks/compare.sh needs besides nginx and the functions.
//   bench-fixture upstream PORT [DELAY_MS]
//                                 a mock OpenAI upstream on 127.0.0.1:PORT (non-streaming, or 20 chunks when
//                                 stream=true, DELAY_MS apart: 0 by default)
//   bench-fixture seed BASE_URL   points `openai` at BASE_URL and stores a key for user `bench-user`
//                                 (GATEWAY_DATABASE_URL, GATEWAY_ENCRYPTION_KEY from the environment)
//   bench-fixture sync            catalogue sync times (Benchmarks/sync.sh)
//   bench-fixture usage BIN_DIR   usage-stats on 5,000,000 rows (Benchmarks/usage.sh)
let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "upstream":
    guard (3...4).contains(arguments.count), let port = UInt16(arguments[2]) else { fatalError("usage: bench-fixture upstream PORT [DELAY_MS]") }
    let delayMs = arguments.count == 4 ? Int(arguments[3]) ?? 0 : 0
    let chunks = (1...20).map { "w\($0) " }
    let mock = try MockUpstream(port: port) { request in
        request.json?["stream"] == true
            ? .stream(events: ProviderWire.openAIStream(chunks, model: "gpt-4o-mini", prompt: 12, completion: 20), delayMs: delayMs)
            : .json(
                status: 200, body: ProviderWire.openAICompletion("Hello from the mock upstream.", model: "gpt-4o-mini", prompt: 12, completion: 7))
    }
    print("mock upstream on \(mock.baseURL)")
    while true { sleep(3600) }
case "seed":
    guard arguments.count == 3 else { fatalError("usage: bench-fixture seed BASE_URL") }
    let environment = ProcessInfo.processInfo.environment
    let store = try StoreFactory.open(try DatabaseURL(parsing: environment["GATEWAY_DATABASE_URL"] ?? ""))
    try GatewaySchema.prepare(store)
    let service = Caller(userID: "bench", role: .serviceRole)
    let user = Caller(userID: "bench-user", role: .authenticated)
    var openai = try store.catalogueProvider(service, id: "openai")!
    openai.baseURL = arguments[2]
    try store.saveCatalogueProvider(service, openai)
    try store.saveModel(service, CatalogueModel(id: "bench-model", providerID: "openai", modelID: "gpt-4o-mini", inputPrice: 0.15, outputPrice: 0.6))
    let sealer = ProviderKeySealer(vault: try Vault(environment: environment))
    let sealed = try sealer.seal("sk-bench-key-0123456789abcdef", rowID: "bench-key", userID: user.userID)
    try store.insertUserProvider(
        user,
        UserProvider(
            id: "bench-key", userID: user.userID, providerID: "openai",
            apiKeyEncrypted: sealed.encrypted, apiKeyHash: sealed.hash, apiKeyLast4: sealed.last4))
case "sync":
    try SyncBenchmark.run()
case "usage":
    guard arguments.count == 3 else { fatalError("usage: bench-fixture usage BIN_DIR") }
    try UsageStatsBenchmark.run(functionsDirectory: arguments[2])
default:
    fatalError("usage: bench-fixture upstream PORT [DELAY_MS] | seed BASE_URL | sync | usage BIN_DIR")
}
