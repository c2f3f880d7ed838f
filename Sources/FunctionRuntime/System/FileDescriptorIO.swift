#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

package enum IOError: Error, Sendable, Equatable {
    /// The peer closed its end (EPIPE / ECONNRESET): for a response, the client went away.
    case peerClosed
    case system(operation: String, errno: Int32)
}

/// Blocking reads and writes on raw file descriptors. `write(2)` is used rather than
/// `FileHandle` because `FileHandle.write(_:)` traps on EPIPE when a client disconnects.
package enum FileDescriptorIO {
    /// Writes all bytes, retrying on EINTR and short writes.
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(IOError) {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = write(fd, pointer, remaining)
            if written < 0 {
                let code = errno
                switch code {
                case EINTR: continue
                case EAGAIN, EWOULDBLOCK:
                    var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&pfd, 1, 1000)
                    continue
                case EPIPE, ECONNRESET: throw .peerClosed
                default: throw .system(operation: "write", errno: code)
                }
            }
            pointer += written
            remaining -= written
        }
    }

    package static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(IOError) {
        let failure: IOError? = bytes.withUnsafeBytes { buffer in
            do throws(IOError) { try writeAll(fd, buffer) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    /// Reads up to `maximum` bytes; an empty result means end of file.
    package static func read(_ fd: Int32, maximum: Int = 65536) throws(IOError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, maximum) }
            if count >= 0 {
                buffer.removeSubrange(count...)
                return buffer
            }
            let code = errno
            if code == EINTR { continue }
            if code == ECONNRESET { return [] }
            throw .system(operation: "read", errno: code)
        }
    }

    /// Reads until end of file or until more than `limit` bytes arrived.
    /// Returns nil when the limit was exceeded.
    package static func readToEnd(_ fd: Int32, limit: Int) throws(IOError) -> [UInt8]? {
        var result: [UInt8] = []
        while true {
            let chunk = try read(fd)
            if chunk.isEmpty { return result }
            result += chunk
            if result.count > limit { return nil }
        }
    }

    /// Reads and drops up to `maximum` bytes within `seconds`, stopping early at end of file.
    package static func discard(_ fd: Int32, maximum: Int, seconds: Double) {
        let deadline = MonotonicClock.nanoseconds() + UInt64(seconds * 1e9)
        var left = maximum
        while left > 0 {
            let now = MonotonicClock.nanoseconds()
            guard now < deadline else { return }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32((deadline - now) / 1_000_000) + 1) > 0,
                let chunk = try? read(fd, maximum: min(65536, left)), !chunk.isEmpty
            else { return }
            left -= chunk.count
        }
    }

    /// Reads exactly `count` bytes, or fewer if the input ends first.
    package static func readExactly(_ fd: Int32, count: Int) throws(IOError) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        while result.count < count {
            let chunk = try read(fd, maximum: min(65536, count - result.count))
            if chunk.isEmpty { break }
            result += chunk
        }
        return result
    }
}

package enum ProcessSignals {
    /// A write to a closed pipe or socket must return EPIPE, not kill the process.
    package static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }
}
