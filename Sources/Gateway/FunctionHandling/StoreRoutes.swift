import FunctionRuntime

extension RouteTable where Context == FunctionContext {
    /// A route that is store work from start to end (no upstream call in it): its handler runs on the
    /// store's thread (`StoreWork`), where it may call `context.store()`; the request's task suspends meanwhile.
    package mutating func onStore(
        _ method: String, _ pattern: String,
        _ handler: @escaping @Sendable (FunctionRequest, Parameters, FunctionContext, ResponseWriter) throws -> Void
    ) {
        on(method, pattern) { request, parameters, context, writer in
            try await context.withStore { _ in try handler(request, parameters, context, writer) }
        }
    }
}
