import FunctionRuntime
import GatewayProviders
import GatewayStore
import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A gateway function: resolves the `Caller` before anything else, routes, answers errors in the
/// client API's shape (OpenAI-style JSON, Anthropic's on `/v1/messages`), and leaves exactly one
/// usage row per request, whatever happened.
package struct FunctionHandler: RequestHandler {
    package let services: GatewayServices
    package let routes: RouteTable<FunctionContext>
    package let clientFormat: @Sendable (FunctionRequest) -> any ClientFormat
    /// Answered before authentication, without a usage row (health; metrics on usage-stats).
    package let probes: [any Probe]

    package init(
        services: GatewayServices, routes: RouteTable<FunctionContext>,
        clientFormat: @escaping @Sendable (FunctionRequest) -> any ClientFormat = { _ in ChatCompletionsFormat() },
        probes: [any Probe] = [HealthCheck()]
    ) {
        self.services = services
        self.routes = routes
        self.clientFormat = clientFormat
        self.probes = probes
    }

    package func handle(_ request: FunctionRequest, _ writer: ResponseWriter) async throws {
        if let probe = probes.first(where: { $0.answers(request) }) { return await probe.answer(request, services: services, writer) }
        await process(request, writer, rejection: nil)
    }

    /// A worker that was told to stop has drained, or a CGI process has answered: the rows still queued for
    /// group commit are written before it exits. A CGI process then closes its store.
    package func shutdown() async {
        let (log, work) = (services.usageLog, services.storeWork)
        // After the batches queued by the last requests: one more try for rows that could not be written.
        work.enqueue { if log.pendingCount > 0 { log.flushPending(store: work.store) } }
        work.waitUntilIdle()
        if !services.isPersistent { services.closeStore() }
    }

    /// Refused before routing (413): answered as such, and still one usage row (the caller's, if the token is good).
    package func reject(_ request: FunctionRequest, with error: APIError, _ writer: ResponseWriter) async {
        await process(request, writer, rejection: error)
    }

    private func process(_ request: FunctionRequest, _ writer: ResponseWriter, rejection: APIError?) async {
        let started = MonotonicClock.nanoseconds()
        let usage = RequestUsage(
            UsageRecord(
                id: UUID().uuidString.lowercased(), userID: "", function: services.functionName, status: .success,
                createdAt: Int64((Date().timeIntervalSince1970 * 1000).rounded())))
        var caller: Caller?
        var failure: APIError?
        // The usage row's id: a client (the console's playground) looks its request up by it.
        writer.addHeaderToResponse("X-Request-ID", usage.record.id)
        let origin = request.headers["Origin"].flatMap { services.cors.allows($0) ? $0 : nil }
        if let origin { for (name, value) in CORSPolicy.responseHeaders(origin: origin) { writer.addHeaderToResponse(name, value) } }
        do {
            if rejection == nil, CORSPolicy.isPreflight(request) {
                guard origin != nil else { throw CORSPolicy.refusal(request.headers["Origin"] ?? "") }
                try writer.writeHead(status: 204, headers: CORSPolicy.preflightHeaders)
                throw PreflightAnswered()
            }
            if let rejection {
                caller = try? await services.authenticate(request)
                if let caller { usage.update { $0.userID = caller.userID } }
                throw rejection
            }
            let resolved = try await services.authenticate(request)
            caller = resolved
            usage.update { $0.userID = resolved.userID }
            // In flight before anything is served: a request that cannot be metered is refused, and one
            // whose process dies is recovered from this row by the next process.
            try await services.usageLog.begin(usage.record, caller: resolved, on: services.storeWork)
            try await routes.route(
                request, context: FunctionContext(caller: resolved, services: services, usage: usage, secrets: writer.secrets), writer)
        } catch is ClientDisconnected {
        } catch is CancellationError {
        } catch is PreflightAnswered {
        } catch {
            let mapped = APIError.mapping(error)
            if mapped.status == 500 {
                // The details may quote a request or a query: the log keeps them (key-shaped words masked), the response does not.
                services.logger.error("route failed", metadata: ["path": "\(request.path)", "error": "\(CredentialRedaction.describe(error))"])
            }
            failure = mapped
            if writer.headSent {
                services.logger.warning("error after the response head was sent", metadata: ["code": "\(mapped.code ?? mapped.type)"])
            } else {
                let answer = clientFormat(request).errorResponse(mapped)
                try? writer.respond(status: answer.status, json: answer.body, headers: mapped.headers)
            }
        }
        // The client has its answer before the row is written.
        try? writer.finish()
        let latency = Int((MonotonicClock.nanoseconds() - started) / 1_000_000)
        usage.update { record in
            record.latencyMs = record.latencyMs ?? latency
            if writer.isClientGone && record.status == .success {
                record.status = .clientAborted
                record.errorCode = record.errorCode ?? "client_disconnected"
            } else if let failure {
                record.status = .error
                record.errorCode = failure.code ?? failure.type
            } else if let status = writer.status, status >= 400, record.status == .success {
                record.status = .error
                record.errorCode = record.errorCode ?? "http_\(status)"
            }
        }
        // Rows of requests without a valid token belong to no user (user_id ''); only the service role writes those.
        services.usageLog.finish(usage.record, writer: caller ?? Caller.gateway, on: services.storeWork)
        if !services.isPersistent {
            // A CGI process is about to exit: give a row that could not be written a few more tries, then
            // recover what processes that died before this one left in flight (workers do both in the background).
            services.usageLog.drainBeforeExit(store: services.store)
            if let store = try? services.store() {
                _ = try? services.usageLog.recoverDeadRequests(store: store, now: SQLStore.now())
            }
        }
    }
}

/// A CORS preflight was answered (204): nothing more to route; its usage row belongs to no user.
private struct PreflightAnswered: Error {}
