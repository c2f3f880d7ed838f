#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// A gateway function: resolves the `Caller` before anything else, routes, answers errors as
/// OpenAI-style JSON, and leaves exactly one usage row per request, whatever happened.
public struct FunctionHandler: RequestHandler {
    public let services: GatewayServices
    public let router: Router<FunctionContext>

    public init(services: GatewayServices, router: Router<FunctionContext>) {
        self.services = services
        self.router = router
    }

    public func handle(_ request: Request, _ writer: ResponseWriter) async throws {
        await process(request, writer, rejection: nil)
    }

    /// Refused before routing (413): answered as such, and still one usage row (the caller's, if the token is good).
    public func reject(_ request: Request, with error: HTTPError, _ writer: ResponseWriter) async {
        await process(request, writer, rejection: error)
    }

    private func process(_ request: Request, _ writer: ResponseWriter, rejection: HTTPError?) async {
        let started = MonotonicClock.nanoseconds()
        let usage = RequestUsage(UsageRecord(
            id: UUID().uuidString.lowercased(), userID: "", function: services.functionName, status: .success,
            createdAt: Int64((Date().timeIntervalSince1970 * 1000).rounded())))
        var caller: Caller?
        var failure: HTTPError?
        do {
            if let rejection {
                caller = try? await services.authenticate(request)
                if let caller { usage.update { $0.userID = caller.userID } }
                throw rejection
            }
            let resolved = try await services.authenticate(request)
            caller = resolved
            usage.update { $0.userID = resolved.userID }
            try await router.route(request, context: FunctionContext(caller: resolved, services: services, usage: usage, secrets: writer.secrets), writer)
        } catch is ClientDisconnected {
        } catch is CancellationError {
        } catch {
            let mapped = HTTPError.mapping(error)
            if mapped.status == 500 {
                // The details may quote a request or a query: the log keeps them (key-shaped words masked), the response does not.
                services.logger.error("route failed", metadata: ["path": "\(request.path)", "error": "\(CredentialRedaction.describe(error))"])
            }
            failure = mapped
            if writer.headSent {
                services.logger.warning("error after the response head was sent", metadata: ["code": "\(mapped.code ?? mapped.type)"])
            } else {
                try? writer.respond(error: mapped)
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
        recordUsage(usage.record, caller: caller)
    }

    /// Never fails the request; a row that cannot be written is itself logged.
    private func recordUsage(_ record: UsageRecord, caller: Caller?) {
        // Rows of requests without a valid token belong to no user (user_id ''); only the service role writes those.
        let writer = caller ?? Caller(userID: "", role: .serviceRole)
        do {
            try services.store().recordUsage(writer, record)
        } catch {
            services.logger.error("usage row not written", metadata: [
                "usage_id": "\(record.id)", "status": "\(record.status.rawValue)", "error": "\(String(describing: error))",
            ])
        }
    }
}
