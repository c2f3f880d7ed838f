#if canImport(Glibc)
    import Glibc
#endif

/// CGI: the response goes to stdout with `write(2)`, unbuffered.
package struct FileDescriptorTransport: ResponseTransport {
    let fd: Int32

    package init(fd: Int32) {
        self.fd = fd
    }

    package func send(_ bytes: [UInt8]) throws {
        try FileDescriptorIO.writeAll(fd, bytes)
    }

    /// The response is complete: the web server gets end of file now, not when the process exits, so
    /// the work after the answer (the usage row, a checkpoint) costs the client nothing. /dev/null takes
    /// the descriptor's place, so a later open() can never receive its number and a stray write goes nowhere.
    package func finish() throws {
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        guard null >= 0 else { return }
        dup2(null, fd)
        close(null)
    }
}
