import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A connected socket with one owner. Every write, `shutdown` and `close` goes through one lock, and
/// nothing touches the number after `close`: the kernel hands a closed number to the very next
/// `accept`, so a late `shutdown` on it would cut somebody else's connection.
package final class OwnedDescriptor: Sendable {
    /// The descriptor, or nil once closed.
    private let state: Mutex<Int32?>

    package init(_ fd: Int32) {
        state = Mutex(fd)
    }

    package var isClosed: Bool { state.withLock { $0 == nil } }

    /// Blocking read for the connection's one reader thread. The owner closes only after that
    /// thread has finished reading, so the number cannot be reused under it.
    package func read() throws(IOError) -> [UInt8] {
        guard let fd = state.withLock({ $0 }) else { return [] }
        return try FileDescriptorIO.read(fd)
    }

    /// Writes all bytes, or throws `peerClosed` when the descriptor is already closed.
    package func write(_ bytes: [UInt8]) throws(IOError) {
        let failure: IOError? = state.withLock { fd in
            guard let fd else { return .peerClosed }
            do throws(IOError) { try FileDescriptorIO.writeAll(fd, bytes) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    /// Shuts both directions down (waking a blocked reader); a no-op once closed.
    package func shutdown() {
        state.withLock { fd in
            if let fd { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Closes once; later calls do nothing.
    package func close() {
        state.withLock { fd in
            if let open = fd { _ = Glibc.close(open) }
            fd = nil
        }
    }
}
