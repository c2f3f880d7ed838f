import FunctionHost
import FunctionRuntime
import Glibc
import Synchronization

/// How local-runner reaches a function: a CGI process per request, or a FastCGI worker.
protocol FunctionBackend: Sendable {
    func invoke(function: String, environment: [String: String], body: [UInt8]) throws -> FunctionOutput
}

/// CGI/1.1: one process per request, environment + stdin in, stdout back.
struct CGIBackend: FunctionBackend {
    let catalog: FunctionCatalog
    let baseEnvironment: [String: String]

    func invoke(function: String, environment: [String: String], body: [UInt8]) throws -> FunctionOutput {
        let child = try ChildProcess.spawn(
            executable: catalog.executablePath(function),
            environment: baseEnvironment.merging(environment) { _, cgi in cgi }
        )
        let cancelPipe = try ChildProcess.makePipe()
        let (stream, continuation) = FunctionOutput.makeStream()
        NativeThread.detach {
            // The body is small (bounded by the body limit) and read by the function before it writes.
            _ = try? FileDescriptorIO.writeAll(child.stdinFD, body)
            close(child.stdinFD)
            var fds = [
                pollfd(fd: child.stdoutFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: cancelPipe[0], events: Int16(POLLIN), revents: 0),
            ]
            while true {
                guard poll(&fds, 2, -1) >= 0 || errno == EINTR else { break }
                if fds[1].revents != 0 { break }  // client gone: closing stdout gives the function EPIPE
                guard fds[0].revents != 0 else { continue }
                guard let chunk = try? FileDescriptorIO.read(child.stdoutFD), !chunk.isEmpty else { break }
                continuation.yield(chunk)
            }
            close(child.stdoutFD)
            let status = child.wait()
            close(cancelPipe[0])
            close(cancelPipe[1])
            if status != 0 {
                continuation.finish(throwing: FunctionOutput.MalformedOutput(description: "\(function) exited with status \(status)"))
            } else {
                continuation.finish()
            }
        }
        let cancelWriteEnd = cancelPipe[1]
        let cancelled = Mutex(false)
        return FunctionOutput(chunks: stream) {
            let first = cancelled.withLock { done -> Bool in
                defer { done = true }
                return !done
            }
            if first {
                var byte: UInt8 = 1
                _ = write(cancelWriteEnd, &byte, 1)
            }
        }
    }
}

/// FastCGI: talks the responder protocol to one long-running worker per function.
struct FastCGIBackend: FunctionBackend {
    let workers: [String: SocketAddress]

    func invoke(function: String, environment: [String: String], body: [UInt8]) throws -> FunctionOutput {
        guard let address = workers[function] else {
            throw FunctionOutput.MalformedOutput(description: "no FastCGI worker for \(function)")
        }
        let connection = try FastCGIClientConnection(address: address)
        let (stream, continuation) = FunctionOutput.makeStream()
        let params = environment.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        NativeThread.detach {
            do {
                try connection.sendRequest(params: params, body: body)
                let response = try connection.readResponse { continuation.yield($0) }
                if response.end == nil {
                    throw FunctionOutput.MalformedOutput(description: "the \(function) worker closed the connection mid-response")
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        // Shutting the socket down (not closing it) wakes the reader thread; the worker sees EOF and aborts.
        return FunctionOutput(chunks: stream) { shutdown(connection.fd, Int32(SHUT_RDWR)) }
    }
}
