#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a FastCGI responder listens or a client connects:
/// a Unix socket path, or `host:port` on TCP.
public enum SocketAddress: Sendable, Equatable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: UInt16)

    /// `"/run/x.sock"` or `"unix:/run/x.sock"` -> Unix; `"127.0.0.1:9000"` -> TCP.
    public init?(parsing text: String) {
        if text.hasPrefix("unix:") {
            self = .unix(path: String(text.dropFirst(5)))
        } else if text.contains("/") || !text.contains(":") {
            guard !text.isEmpty else { return nil }
            self = .unix(path: text)
        } else {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard let portText = parts.last, let port = UInt16(portText) else { return nil }
            var host = parts.dropLast().joined(separator: ":")
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            self = .tcp(host: host.isEmpty ? "127.0.0.1" : host, port: port)
        }
    }

    public var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port): "\(host):\(port)"
        }
    }
}

package enum Socket {
    package struct Error: Swift.Error, Sendable, CustomStringConvertible {
        package var operation: String
        package var errno: Int32
        package var description: String { "\(operation) failed: \(String(cString: strerror(errno)))" }
    }

    /// True when `fd` is a socket in the listening state (spawn-fcgi, systemd socket activation).
    package static func isListening(_ fd: Int32) -> Bool {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &value, &length) == 0 else { return false }
        return value != 0
    }

    package static func listen(on address: SocketAddress, backlog: Int32 = 128, unixMode: mode_t = 0o660) throws -> Int32 {
        switch address {
        case .unix(let path):
            let fd = try make(domain: AF_UNIX)
            unlink(path)  // a stale socket file from an earlier run would make bind fail
            try withUnixAddress(path) { pointer, length in
                guard bind(fd, pointer, length) == 0 else { throw fail("bind \(path)", fd) }
            }
            chmod(path, unixMode)
            guard Glibc.listen(fd, backlog) == 0 else { throw fail("listen", fd) }
            return fd
        case .tcp(let host, let port):
            let fd = try make(domain: AF_INET)
            var yes: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
            try withInetAddress(host: host, port: port) { pointer, length in
                guard bind(fd, pointer, length) == 0 else { throw fail("bind \(host):\(port)", fd) }
            }
            guard Glibc.listen(fd, backlog) == 0 else { throw fail("listen", fd) }
            return fd
        }
    }

    package static func connect(to address: SocketAddress) throws -> Int32 {
        switch address {
        case .unix(let path):
            let fd = try make(domain: AF_UNIX)
            try withUnixAddress(path) { pointer, length in
                guard Glibc.connect(fd, pointer, length) == 0 else { throw fail("connect \(path)", fd) }
            }
            return fd
        case .tcp(let host, let port):
            let fd = try make(domain: AF_INET)
            var yes: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            try withInetAddress(host: host, port: port) { pointer, length in
                guard Glibc.connect(fd, pointer, length) == 0 else { throw fail("connect \(host):\(port)", fd) }
            }
            return fd
        }
    }

    /// Accepts one connection, retrying on EINTR; nil when the listener was closed.
    package static func accept(_ listener: Int32) -> Int32? {
        while true {
            let fd = Glibc.accept(listener, nil, nil)
            if fd >= 0 {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // not inherited by CGI children of local-runner
                var yes: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
                return fd
            }
            switch errno {
            case EINTR, ECONNABORTED, EPROTO: continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                usleep(10_000)  // out of descriptors: back off instead of spinning
                continue
            default: return nil
            }
        }
    }

    /// A TCP port that was free a moment ago on 127.0.0.1 (for tests and local workers).
    package static func freeLoopbackPort() throws -> UInt16 {
        let fd = try make(domain: AF_INET)
        defer { close(fd) }
        try withInetAddress(host: "127.0.0.1", port: 0) { pointer, length in
            guard bind(fd, pointer, length) == 0 else { throw fail("bind", -1) }
        }
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    private static func make(domain: Int32) throws -> Int32 {
        let fd = socket(domain, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Error(operation: "socket", errno: errno) }
        return fd
    }

    private static func fail(_ operation: String, _ fd: Int32) -> Error {
        let error = Error(operation: operation, errno: errno)
        if fd >= 0 { close(fd) }
        return error
    }

    private static func withUnixAddress<T>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) throws -> T {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard bytes.count < capacity else { throw Error(operation: "socket path too long: \(path)", errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return try withUnsafePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                try body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }

    private static func withInetAddress<T>(host: String, port: UInt16, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) throws -> T {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        let resolved = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, resolved, &address.sin_addr) == 1 else {
            throw Error(operation: "parse IPv4 address \(host)", errno: EINVAL)
        }
        return try withUnsafePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                try body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }
}
