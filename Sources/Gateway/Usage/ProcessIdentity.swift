import FunctionRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// Names this process so that another one can tell, later, whether it still runs: the host, and
/// boot id / pid / start time (a pid alone is reused; a start time alone repeats across boots).
package struct ProcessIdentity: Sendable, Equatable {
    package var host: String
    /// `boot-id/pid/start-ticks`.
    package var process: String

    package static let current = ProcessIdentity(host: hostName(), process: key(pid: getpid()) ?? "unknown/\(getpid())/0")

    package init(host: String, process: String) {
        self.host = host
        self.process = process
    }

    /// True while the process a key names runs on this host (a key from another boot never does).
    package static func isRunning(_ process: String) -> Bool {
        let parts = process.split(separator: "/")
        guard parts.count == 3, let pid = Int32(parts[1]) else { return false }
        return key(pid: pid) == process
    }

    /// The key of a running process on this host; nil when there is none.
    package static func processKey(of pid: pid_t) -> String? { key(pid: pid) }

    static func key(pid: pid_t) -> String? {
        guard let boot = readFile("/proc/sys/kernel/random/boot_id")?.filter({ !$0.isWhitespace }),
            let stat = readFile("/proc/\(pid)/stat"),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command (which may hold spaces and parentheses): state is 3rd, starttime 22nd.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // A zombie has exited: only its parent has not reaped it yet.
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        return "\(boot)/\(pid)/\(fields[19])"
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard let bytes = try? FileDescriptorIO.readToEnd(fd, limit: 1 << 16) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
