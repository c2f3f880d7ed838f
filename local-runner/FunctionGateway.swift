import Foundation
import FunctionRuntime
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Turns an HTTP request for `/functions/v1/<name>/<rest>` into one function invocation
/// and streams the function's output back chunk by chunk, unbuffered.
struct FunctionGateway: Sendable {
    static let prefix = "/functions/v1/"

    let catalog: FunctionCatalog
    let backend: any FunctionBackend
    let serverPort: Int
    let logger: Logger
    /// The web console at `/`, when local-runner found its files.
    let console: ConsoleSite?
    /// The functions' OpenAPI description at `/openapi.yaml`, when local-runner found it.
    let openAPI: OpenAPIDocument?
    let maxBodyBytes = InvocationLimits.fromEnvironment(ProcessInfo.processInfo.environment).maxBodyBytes

    func respond(to request: Hummingbird.Request, context: RunnerRequestContext) async -> Hummingbird.Response {
        let started = ContinuousClock.now
        let method = request.method.rawValue
        let path = request.uri.path
        let response = await invoke(request, context: context, started: started)
        if !response.isStreamed { FunctionGateway.log(logger, method, path, response.response.status.code, since: started) }
        return response.response
    }

    private struct Outcome {
        var response: Hummingbird.Response
        var isStreamed = false
    }

    private func invoke(_ request: Hummingbird.Request, context: RunnerRequestContext, started: ContinuousClock.Instant) async -> Outcome {
        let path = request.uri.path
        guard path.hasPrefix(FunctionGateway.prefix) || path + "/" == FunctionGateway.prefix else {
            context.stopReading()
            if path == OpenAPIDocument.path, let openAPI { return Outcome(response: openAPI.respond(to: request)) }
            if let console { return Outcome(response: console.respond(to: request)) }
            return Outcome(response: error(APIError.notFound("Functions live under /functions/v1/<name>.", code: "not_found")))
        }
        let rest = path.dropFirst(FunctionGateway.prefix.count)
        let name = String(rest.prefix { $0 != "/" })
        let pathInfo = String(rest.dropFirst(name.count))
        guard catalog.contains(name) else {
            context.stopReading()
            return Outcome(response: error(APIError.notFound("Function '\(name.prefix(100))' not found.", code: "function_not_found")))
        }

        // The function enforces the body limit; reading one byte past it is enough for it to say 413.
        var body: [UInt8] = []
        var truncated = false
        do {
            for try await buffer in request.body {
                body += buffer.readableBytesView
                if body.count > maxBodyBytes {
                    truncated = true
                    context.stopReading()  // the function answers 413; the rest of the body is never read
                    break
                }
            }
        } catch {
            context.stopReading()
            return Outcome(response: self.error(APIError.badRequest("The request body could not be read.", code: "unreadable_body")))
        }
        let declaredLength = request.headers[.contentLength].flatMap(Int.init)
        let environment = CGIMetaVariables(
            method: request.method.rawValue,
            functionName: name,
            pathInfo: pathInfo,
            query: request.uri.query ?? "",
            headers: request.headers.map { (name: $0.name.rawName, value: $0.value) },
            contentLength: truncated ? max(declaredLength ?? 0, body.count) : body.count,
            remoteAddress: context.remoteAddress,
            serverPort: serverPort
        ).build()

        let output: FunctionOutput
        let head: CGIResponseHead
        let leftover: [UInt8]
        do {
            output = try backend.invoke(function: name, environment: environment, body: body)
            (head, leftover) = try await output.readHead()
        } catch {
            let description = CredentialRedaction.describe(error)
            logger.error("function failed", metadata: ["function": "\(name)", "error": "\(description)"])
            return Outcome(
                response: self.error(
                    APIError(
                        status: 502, message: "The function \(name) failed to answer: \(description)", code: "function_failed")))
        }

        var headers = HTTPFields()
        for field in head.headers {
            if let fieldName = HTTPField.Name(field.name) { headers.append(HTTPField(name: fieldName, value: field.value)) }
        }
        let method = request.method.rawValue
        let logger = self.logger
        let responseBody = ResponseBody { writer in
            do {
                if !leftover.isEmpty { try await writer.write(ByteBuffer(bytes: leftover)) }
                while let chunk = try await output.next() {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
                FunctionGateway.log(logger, method, path, head.status, since: started)
            } catch {
                output.cancel()  // the function learns the client is gone
                FunctionGateway.log(logger, method, path, head.status, since: started, note: "client disconnected or function failed: \(error)")
                throw error
            }
        }
        let status = HTTPResponse.Status(code: head.status)
        return Outcome(response: Hummingbird.Response(status: status, headers: headers, body: responseBody), isStreamed: true)
    }

    private func error(_ error: APIError) -> Hummingbird.Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Hummingbird.Response(
            status: HTTPResponse.Status(code: error.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: error.jsonBody))
        )
    }

    static func log(_ logger: Logger, _ method: String, _ path: String, _ status: Int, since started: ContinuousClock.Instant, note: String? = nil) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let line = "\(method) \(path) \(status) \(String(format: "%.1f", milliseconds))ms" + (note.map { " (\($0))" } ?? "")
        logger.info("\(line)")
    }
}
