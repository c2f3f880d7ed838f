/// CGI: the response goes to stdout with `write(2)`, unbuffered.
public struct FileDescriptorTransport: ResponseTransport {
    let fd: Int32

    public init(fd: Int32) {
        self.fd = fd
    }

    public func send(_ bytes: [UInt8]) throws {
        try FileDescriptorIO.writeAll(fd, bytes)
    }

    public func finish() throws {}
}
