import FunctionRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// A FastCGI client connection: local-runner's `--mode fastcgi` and the tests talk to
/// responders with it. Blocking; run it off the Swift concurrency pool.
/// `@unchecked Sendable`: one thread reads and writes; others may only `shutdown(fd)` to wake it.
package final class FastCGIClientConnection: @unchecked Sendable {
    package let fd: Int32
    private var decoder = FastCGIRecordDecoder()

    package init(address: SocketAddress) throws {
        fd = try Socket.connect(to: address)
    }

    deinit { close(fd) }

    /// Sends BEGIN_REQUEST, PARAMS and STDIN (each stream ended by its empty record).
    package func sendRequest(
        id: UInt16 = 1, params: [(String, String)], body: [UInt8], keepConnection: Bool = false
    ) throws {
        var records = [
            FastCGIRecord(
                .beginRequest, requestID: id,
                content: FastCGIBeginRequest(role: FastCGIRole.responder.rawValue, keepConnection: keepConnection).encoded)
        ]
        records += FastCGIRecord.stream(.params, requestID: id, bytes: FastCGINameValuePairs.encode(params))
        records.append(FastCGIRecord(.params, requestID: id))
        records += FastCGIRecord.stream(.stdin, requestID: id, bytes: body)
        records.append(FastCGIRecord(.stdin, requestID: id))
        try sendRecords(records)
    }

    package func sendRecords(_ records: [FastCGIRecord]) throws {
        var bytes: [UInt8] = []
        for record in records { record.append(to: &bytes) }
        try FileDescriptorIO.writeAll(fd, bytes)
    }

    package func sendRaw(_ bytes: [UInt8]) throws {
        try FileDescriptorIO.writeAll(fd, bytes)
    }

    /// The next record, or nil when the responder closed the connection.
    package func readRecord() throws -> FastCGIRecord? {
        while true {
            if let record = try decoder.next() { return record }
            let bytes = try FileDescriptorIO.read(fd)
            if bytes.isEmpty { return nil }
            decoder.append(bytes)
        }
    }

    package struct Response {
        package var stdout: [UInt8] = []
        package var stderr: [UInt8] = []
        package var end: FastCGIEndRequest?

        package init() {}
    }

    /// Reads records for `id` until END_REQUEST, handing each STDOUT chunk to `onStdout` as it arrives.
    package func readResponse(id: UInt16 = 1, onStdout: ([UInt8]) throws -> Void = { _ in }) throws -> Response {
        var response = Response()
        while let record = try readRecord() {
            guard record.requestID == id else { continue }
            switch record.kind {
            case .stdout:
                response.stdout += record.content
                if !record.content.isEmpty { try onStdout(record.content) }
            case .stderr:
                response.stderr += record.content
            case .endRequest:
                response.end = try FastCGIEndRequest(parsing: record.content)
                return response
            default:
                continue
            }
        }
        return response
    }
}
