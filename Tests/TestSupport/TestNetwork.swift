import Foundation
import FunctionHost

/// Hosts of a test as Linux network namespaces on one bridge (Debian's iproute2), each with its own
/// address and host name, so that what crosses a network between hosts does: a database host and
/// gateway hosts, say. The test process itself is on the bridge (`bridgeAddress`). Everything is
/// removed when the network is released.
package final class TestNetwork: @unchecked Sendable {
    /// One host: a network namespace with an address on the bridge, and a host name of its own.
    package struct Host: Sendable {
        package let name: String
        package let namespace: String
        package let address: String
        package let network: TestNetwork

        /// `executable` run on this host (`ip netns exec`, `unshare --uts`): the same process (exec, no
        /// fork in between), so a signal to it reaches the program itself.
        package func command(_ executable: String, _ arguments: [String]) -> (String, [String]) {
            (
                network.ip,
                ["netns", "exec", namespace, "unshare", "--uts", "/bin/sh", "-c", "hostname \(name) && exec \"$@\"", "sh", executable] + arguments
            )
        }
    }

    /// The kernel or the sandbox refused namespaces (or iproute2 is missing): the caller skips, saying so.
    package struct Unavailable: Error, CustomStringConvertible {
        package var description: String
    }

    /// `10.213.N`: the network's first three octets.
    package let prefix: String
    package var bridgeAddress: String { "\(prefix).1" }
    let ip: String
    private let tag: String
    private let bridge: String
    private var namespaces: [String] = []
    private var interfaces = 0

    package init() throws {
        guard let ip = SystemTool.find("ip"), FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else {
            throw Unavailable(description: "iproute2's ip or util-linux's unshare is not installed")
        }
        self.ip = ip
        let id = Int(getpid())
        tag = String(id % 100_000)
        prefix = "10.213.\(id % 250 + 1)"
        bridge = "gtbr\(tag)"
        do {
            try run(["link", "add", bridge, "type", "bridge"])
        } catch {
            throw Unavailable(description: "cannot create a bridge (\(error)): network namespaces need root and a kernel that allows them")
        }
        try run(["addr", "add", "\(bridgeAddress)/24", "dev", bridge])
        try run(["link", "set", bridge, "up"])
    }

    deinit {
        for namespace in namespaces { try? run(["netns", "delete", namespace]) }
        try? run(["link", "delete", bridge])
    }

    /// A new host on the network, named `name` (a host name), at the next address.
    package func addHost(_ name: String) throws -> Host {
        interfaces += 1
        let namespace = "gt\(tag)-\(name)", outside = "gtv\(tag)x\(interfaces)", inside = "gtp\(tag)x\(interfaces)"
        let address = "\(prefix).\(10 + interfaces)"
        do {
            try run(["netns", "add", namespace])
        } catch {
            throw Unavailable(description: "cannot create a network namespace (\(error))")
        }
        namespaces.append(namespace)
        try run(["link", "add", outside, "type", "veth", "peer", "name", inside])
        try run(["link", "set", inside, "netns", namespace])
        try run(["link", "set", outside, "master", bridge])
        try run(["link", "set", outside, "up"])
        try run(["netns", "exec", namespace, ip, "addr", "add", "\(address)/24", "dev", inside])
        try run(["netns", "exec", namespace, ip, "link", "set", inside, "up"])
        try run(["netns", "exec", namespace, ip, "link", "set", "lo", "up"])
        return Host(name: name, namespace: namespace, address: address, network: self)
    }

    private func run(_ arguments: [String]) throws {
        let log = NSTemporaryDirectory() + "ip-\(getpid()).log"
        let child = try ChildProcess.spawn(executable: ip, arguments: arguments, environment: [:], stdio: .logFile(log))
        guard child.wait() == 0 else {
            throw TestFailure("ip \(arguments.joined(separator: " ")): \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
    }
}
