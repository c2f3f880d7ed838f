import FunctionRuntime
import GatewayProviders

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `POST /chat/completions` (and every other client API, once turned into the internal chat request):
/// validate, route, try candidates in order (falling back on connection failures, first-byte
/// timeouts, 429 and 5xx), then relay the answer in the client's API: translated, or as the upstream
/// sent it when it speaks the client's API natively; streamed unbuffered, with the usage row filled
/// in as the answer goes.
package struct ChatCompletionHandler: Sendable {
    package var upstream: any UpstreamTransport
    package var modelRouter: ModelRouter
    package var settings: ProviderSettings
    package var retry: RetryPolicy

    package init(
        upstream: any UpstreamTransport = UpstreamClient.shared, modelRouter: ModelRouter, settings: ProviderSettings,
        retry: RetryPolicy = RetryPolicy()
    ) {
        self.upstream = upstream
        self.modelRouter = modelRouter
        self.settings = settings
        self.retry = retry
    }

    package static func fromEnvironment(_ environment: [String: String]) -> ChatCompletionHandler {
        ChatCompletionHandler(modelRouter: .fromEnvironment(environment), settings: .fromEnvironment(environment))
    }

    package func handle(_ request: FunctionRequest, context: FunctionContext, writer: ResponseWriter) async throws {
        try await serve(ClientRequest(chat: try ChatRequest(body: request.body), format: ChatCompletionsFormat()), context: context, writer: writer)
    }

    package func serve(_ client: ClientRequest, context: FunctionContext, writer: ResponseWriter) async throws {
        let started = MonotonicClock.nanoseconds()
        let chat = client.chat
        let usage = context.usage
        usage.update {
            $0.modelRequested = chat.model
            $0.api = client.format.api
        }
        let candidates = try await FallbackLoop.admittedCandidates(chat.model, router: modelRouter, context: context, writer: writer)
        try await FallbackLoop(retry: retry).run(candidates, started: started, context: context) { candidate, apiKey in
            guard let format = WireFormats.format(candidate.provider.apiStandard) else {
                let error = APIError(
                    status: 502,
                    message: "\(candidate.provider.name) speaks '\(candidate.provider.apiStandard.rawValue)', which this gateway does not know.",
                    code: "unsupported_api_standard")
                return .retryable(error, retryAfterSeconds: nil)
            }
            return try await attempt(
                client, candidate: candidate, adapter: format.adapter(settings: settings), apiKey: apiKey,
                started: started, context: context, writer: writer)
        }
    }

    private func attempt(
        _ client: ClientRequest, candidate: RouteCandidate, adapter: any ProviderAdapter, apiKey: String,
        started: UInt64, context: FunctionContext, writer: ResponseWriter
    ) async throws -> FallbackLoop.Outcome {
        let name = candidate.provider.name
        let chat = client.chat
        // An upstream that speaks the client's API gets the request as the client sent it.
        let native = client.native.flatMap { $0.standard == candidate.provider.apiStandard ? $0 : nil }
        let upstreamRequest =
            try native?.upstreamRequest(model: candidate.upstreamModel, provider: candidate.provider, apiKey: apiKey, settings: settings)
            ?? adapter.makeRequest(chat, model: candidate.upstreamModel, provider: candidate.provider, apiKey: apiKey)
        let relay = Relay(client: client, passThrough: native != nil, candidate: candidate, adapter: adapter, apiKey: apiKey)
        var events = upstream.stream(upstreamRequest).makeAsyncIterator()
        let status: Int, headers: [String: String]
        do {
            guard case .head(let code, let fields)? = try await events.next() else {
                return .retryable(
                    APIError(status: 502, message: "\(name) closed the connection without answering.", code: "bad_upstream"), retryAfterSeconds: nil)
            }
            status = code
            headers = fields
        } catch let error as UpstreamError {
            return .retryable(Self.httpError(error, provider: name), retryAfterSeconds: nil)
        }

        if status >= 400 {
            var body: [UInt8] = []
            while body.count < 65_536, case .body(let bytes)? = try? await events.next() { body += bytes }
            let error = UpstreamErrors.map(status: status, body: body, headers: headers, provider: name, apiKey: apiKey)
            context.usage.update { $0.upstreamRequestID = Self.requestID(headers) }
            if status == 429 || status >= 500 {
                return .retryable(error, retryAfterSeconds: headers["retry-after"].flatMap(Double.init))
            }
            // A bad request or a bad key would fail the same way elsewhere: answer it.
            throw error
        }

        context.usage.update { $0.upstreamRequestID = Self.requestID(headers) }
        if chat.stream {
            try await relayStream(&events, relay, started: started, context: context, writer: writer)
        } else {
            try await relayCompletion(&events, relay, started: started, context: context, writer: writer)
        }
        return .answered
    }

    /// What relaying one candidate's answer needs.
    struct Relay {
        var client: ClientRequest
        /// The upstream speaks the client's API: its answer goes back as it came, read only for usage.
        var passThrough: Bool
        var candidate: RouteCandidate
        var adapter: any ProviderAdapter
        var apiKey: String
        var chat: ChatRequest { client.chat }
    }

    private func relayCompletion(
        _ events: inout AsyncThrowingStream<UpstreamEvent, any Error>.Iterator, _ relay: Relay,
        started: UInt64, context: FunctionContext, writer: ResponseWriter
    ) async throws {
        let candidate = relay.candidate, apiKey = relay.apiKey
        var body: [UInt8] = []
        do {
            while let event = try await events.next() {
                guard case .body(let bytes) = event else { continue }
                body += bytes
                // Held whole to be translated: past the limit the answer is given up on (the transfer is aborted
                // once this attempt lets go of its stream), not held without end.
                guard body.count <= Self.maximumCompletionBytes else {
                    context.usage.update { $0.status = .upstreamAborted }
                    throw APIError(
                        status: 502,
                        message: "\(candidate.provider.name) sent an answer larger than the gateway's limit of \(Self.maximumCompletionBytes) bytes.",
                        code: "bad_upstream_response")
                }
            }
        } catch let error as UpstreamError {
            context.usage.update { $0.status = .upstreamAborted }
            throw Self.httpError(error, provider: candidate.provider.name)
        }
        let translated: TranslatedResponse
        do {
            translated = try relay.adapter.translateResponse(body, chat: relay.chat, model: candidate.upstreamModel)
        } catch let error as UpstreamStreamError {
            throw APIError(status: 502, message: UpstreamErrors.redact(error.message, apiKey: apiKey), code: error.code)
        }
        record(
            translated.usage, finishReason: translated.finishReason, servedModel: translated.servedModel,
            upstreamID: translated.upstreamID, candidate: candidate, started: started, context: context)
        if relay.passThrough {
            try writer.respond(json: body)
        } else {
            try writer.respond(json: relay.client.format.encodeCompletion(translated))
        }
    }

    private func relayStream(
        _ events: inout AsyncThrowingStream<UpstreamEvent, any Error>.Iterator, _ relay: Relay,
        started: UInt64, context: FunctionContext, writer: ResponseWriter
    ) async throws {
        let candidate = relay.candidate, apiKey = relay.apiKey
        // Passed through, the translator only reads usage and completeness; its chunks are not sent.
        let translator = relay.adapter.makeStreamTranslator(chat: relay.chat, model: candidate.upstreamModel)
        let encoder = relay.client.format.makeStreamEncoder(model: candidate.upstreamModel)
        var parser = SSEParser()
        var firstTokenAt: UInt64?
        var failure: (message: String, code: String)?
        var failureRelayed = false
        try writer.startEventStream()
        func send(_ chunks: [ChatChunk]) throws {
            guard !relay.passThrough else { return }
            for chunk in chunks {
                let events = encoder.encode(chunk)
                guard !events.isEmpty else { continue }
                try writer.write(events.map(\.wire).joined())
                if firstTokenAt == nil { firstTokenAt = MonotonicClock.nanoseconds() }
            }
        }
        // Passed through, bytes go on once their event is complete: an event given up on (too large) never
        // reaches the client in part, and the error event that replaces it is well-formed.
        var unsent: [UInt8] = []
        func passOn(keeping pending: Int) throws {
            guard relay.passThrough, unsent.count > pending else { return }
            try writer.write(Array(unsent[..<(unsent.count - pending)]))
            unsent.removeFirst(unsent.count - pending)
            if firstTokenAt == nil { firstTokenAt = MonotonicClock.nanoseconds() }
        }
        do {
            while let event = try await events.next() {
                guard case .body(let bytes) = event else { continue }
                if relay.passThrough { unsent += bytes }
                let parsed = parser.feed(bytes)
                if parser.isOverLimit { throw UpstreamEventTooLarge() }
                try passOn(keeping: parser.pendingBytes)
                for sse in parsed { try send(try translator.translate(sse)) }
            }
            try passOn(keeping: 0)
            for sse in parser.flush() { try send(try translator.translate(sse)) }
            if Task.isCancelled || writer.isClientGone {
                throw ClientDisconnected()
            }
            if translator.isComplete {
                try send(translator.finish())
                if !relay.passThrough { try writer.write(encoder.finish(usage: translator.usage).map(\.wire).joined()) }
            } else {
                failure = ("The upstream stream ended before the answer was complete.", "upstream_stream_cut")
            }
        } catch let error as UpstreamStreamError {
            failure = (error.message, error.code)
            // Passed through, the upstream's own error event has reached the client already.
            failureRelayed = relay.passThrough
        } catch let error as UpstreamError {
            failure = (
                Self.httpError(error, provider: candidate.provider.name).message, error == .idleTimeout ? "upstream_timeout" : "upstream_stream_cut"
            )
        } catch is UpstreamEventTooLarge {
            // The event is dropped; the transfer is abandoned (aborted) once this attempt lets go of its stream.
            failure = (
                "\(candidate.provider.name) sent a stream event larger than the gateway's limit of \(parser.maximumEventBytes) bytes.",
                "bad_upstream_response"
            )
        } catch is ClientDisconnected {
            context.usage.update {
                $0.status = .clientAborted
                $0.errorCode = "client_disconnected"
            }
        } catch is CancellationError {
            context.usage.update {
                $0.status = .clientAborted
                $0.errorCode = "client_disconnected"
            }
        }
        let ttft = firstTokenAt.map { Int(($0 - started) / 1_000_000) }
        context.usage.update { $0.ttftMs = ttft }
        record(
            translator.usage, finishReason: translator.finishReason, servedModel: translator.servedModel,
            upstreamID: nil, candidate: candidate, started: started, context: context)
        if let failure {
            // The head is gone: the error travels in the stream, and the stream ends as the client's API ends one.
            context.usage.update {
                $0.status = .upstreamAborted
                $0.errorCode = failure.code
            }
            let error = APIError(status: 502, message: UpstreamErrors.redact(failure.message, apiKey: apiKey), code: failure.code)
            if !failureRelayed { try? writer.write(encoder.fail(error, usage: translator.usage).map(\.wire).joined()) }
        }
    }

    private func record(
        _ tokens: TokenUsage, finishReason: String?, servedModel: String?, upstreamID: String?,
        candidate: RouteCandidate, started: UInt64, context: FunctionContext
    ) {
        let cost = CostCalculator.cost(tokens, model: candidate.model)
        context.usage.update { row in
            row.modelServed = servedModel ?? candidate.upstreamModel
            row.promptTokens = tokens.promptTokens
            row.completionTokens = tokens.completionTokens
            row.cachedTokens = tokens.cachedTokens
            row.reasoningTokens = tokens.reasoningTokens
            row.costUSD = cost?.usd
            row.costSource = cost?.source
            row.finishReason = finishReason
            row.upstreamRequestID = row.upstreamRequestID ?? upstreamID
            row.latencyMs = Int((MonotonicClock.nanoseconds() - started) / 1_000_000)
        }
    }

    /// A non-streamed answer is held whole to be translated: 32 MiB, far above any chat completion (an answer
    /// with a few generated images is a few MiB), far below a worker's memory.
    static let maximumCompletionBytes = 32 << 20

    /// An upstream stream event past `SSEParser`'s limit.
    private struct UpstreamEventTooLarge: Error {}

    static func requestID(_ headers: [String: String]) -> String? {
        headers["x-generation-id"] ?? headers["request-id"] ?? headers["x-request-id"]
    }

    static func httpError(_ error: UpstreamError, provider: String) -> APIError {
        switch error {
        case .connectFailed(let reason): APIError(status: 502, message: "\(provider) could not be reached: \(reason)", code: "upstream_unreachable")
        case .firstByteTimeout: APIError(status: 504, message: "\(provider) did not answer in time.", code: "upstream_timeout")
        case .idleTimeout: APIError(status: 504, message: "\(provider) stopped sending in the middle of the answer.", code: "upstream_timeout")
        case .transferFailed(let reason): APIError(status: 502, message: "\(provider): \(reason)", code: "bad_upstream")
        }
    }
}
