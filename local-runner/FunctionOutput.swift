import FunctionRuntime

/// A function's raw CGI output (head + body) as it arrives, from either contract.
/// Single consumer; `cancel()` tells the function that the client went away.
/// `@unchecked Sendable`: exactly one task consumes it; `cancel()` may come from anywhere.
final class FunctionOutput: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<[UInt8], any Error>.Iterator
    private let onCancel: @Sendable () -> Void

    init(chunks: AsyncThrowingStream<[UInt8], any Error>, onCancel: @escaping @Sendable () -> Void) {
        self.iterator = chunks.makeAsyncIterator()
        self.onCancel = onCancel
    }

    /// Pairs a stream with its continuation, for the backends.
    static func makeStream() -> (AsyncThrowingStream<[UInt8], any Error>, AsyncThrowingStream<[UInt8], any Error>.Continuation) {
        AsyncThrowingStream.makeStream(of: [UInt8].self, bufferingPolicy: .unbounded)
    }

    func next() async throws -> [UInt8]? {
        try await iterator.next()
    }

    func cancel() { onCancel() }

    struct MalformedOutput: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads until the CGI head is complete; returns it with the body bytes already read.
    func readHead() async throws -> (CGIResponseHead, [UInt8]) {
        var buffer: [UInt8] = []
        while true {
            if let (head, bodyStart) = try CGIResponseHead.parse(buffer) {
                return (head, Array(buffer[bodyStart...]))
            }
            guard let chunk = try await next() else {
                throw MalformedOutput(
                    description: buffer.isEmpty
                        ? "the function exited without writing a response"
                        : "the function's output ended inside its response head")
            }
            buffer += chunk
        }
    }
}
