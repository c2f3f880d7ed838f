#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM / SIGINT as an awaitable event, through a self-pipe: the C handler only
/// writes one byte; a native thread turns it into a resumed continuation.
package enum ShutdownSignal {
    nonisolated(unsafe) private static var pipeWriteEnd: Int32 = -1

    package static func wait() async -> Int32 {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return 0 }
        pipeWriteEnd = fds[1]
        let handler: @convention(c) (Int32) -> Void = { number in
            var byte = UInt8(truncatingIfNeeded: number)
            _ = write(ShutdownSignal.pipeWriteEnd, &byte, 1)
        }
        signal(SIGTERM, handler)
        signal(SIGINT, handler)
        let readEnd = fds[0]
        return await withCheckedContinuation { continuation in
            NativeThread.detach {
                var byte: UInt8 = 0
                while read(readEnd, &byte, 1) < 0 && errno == EINTR {}
                continuation.resume(returning: Int32(byte))
            }
        }
    }
}
