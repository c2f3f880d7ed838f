import Foundation
import Shared

/// One FastCGI worker process per function, each on a Unix socket under the data folder.
struct FastCGIWorkerPool {
    var processes: [ChildProcess] = []
    var addresses: [String: SocketAddress] = [:]

    static func start(catalog: FunctionCatalog, environment: [String: String], runDirectory: String) throws -> FastCGIWorkerPool {
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        var pool = FastCGIWorkerPool()
        for name in catalog.names.sorted() {
            let address = SocketAddress.unix(path: "\(runDirectory)/\(name).sock")
            let process = try ChildProcess.spawn(
                executable: catalog.executablePath(name),
                arguments: ["--fastcgi", address.description],
                environment: environment,
                stdio: .inherit
            )
            pool.processes.append(process)
            pool.addresses[name] = address
        }
        for (name, address) in pool.addresses {
            guard waitUntilAccepting(address, seconds: 10) else {
                pool.processes.forEach { $0.terminate() }
                throw FunctionOutput.MalformedOutput(description: "the \(name) FastCGI worker did not start listening on \(address)")
            }
        }
        return pool
    }

    static func waitUntilAccepting(_ address: SocketAddress, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let fd = try? Socket.connect(to: address) {
                close(fd)
                return true
            }
            usleep(20_000)
        }
        return false
    }
}
