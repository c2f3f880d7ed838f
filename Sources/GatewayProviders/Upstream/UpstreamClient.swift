import CCurl
import FunctionRuntime
import Synchronization

/// HTTP to providers through libcurl. Each transfer runs on a thread of its own (a stream can
/// last minutes; the Swift concurrency pool has two threads here; finished threads are kept for the next) and delivers its head and body
/// pieces through an `AsyncThrowingStream` as they arrive. Ending the stream early (the client
/// went away) aborts the transfer within a progress tick. Easy handles are pooled, so a FastCGI
/// worker keeps its TLS connections alive across requests.
package final class UpstreamClient: UpstreamTransport {
    package static let shared = UpstreamClient()

    private let handles = Mutex<[CurlHandle]>([])
    private static let maximumPooledHandles = 32
    private static let transferThreads = ThreadPool(maximumIdle: maximumPooledHandles)
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    package init() {}

    package func stream(_ request: UpstreamRequest) -> AsyncThrowingStream<UpstreamEvent, any Error> {
        _ = Self.globalInit
        let (stream, continuation) = AsyncThrowingStream<UpstreamEvent, any Error>.makeStream()
        let transfer = CurlTransfer(request: request, continuation: continuation)
        continuation.onTermination = { _ in transfer.abort() }
        let handle = handles.withLock { $0.popLast() } ?? CurlHandle()
        Self.transferThreads.run { [self] in
            let (result, detail) = transfer.perform(on: handle)
            handle.reset()
            handles.withLock { pool in
                if pool.count < Self.maximumPooledHandles { pool.append(handle) }
            }
            transfer.finish(result, detail: detail)
        }
        return stream
    }
}

/// An easy handle; `reset` keeps its connection cache, which is the point of pooling it.
final class CurlHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer?

    init() { pointer = curl_easy_init() }

    func reset() { curl_easy_reset(pointer) }

    deinit { curl_easy_cleanup(pointer) }
}
