import FunctionRuntime
import GatewayProviders
import GatewayStore

/// Provider comparison, CSV export and cost estimates.
extension UsageStatsFunction {
    /// `GET /compare?model=`: each provider that would serve the model for the caller, in routing order,
    /// with its prices and what the caller observed over the range (default: the last 30 days).
    static func compare(_ request: FunctionRequest, context: FunctionContext, writer: ResponseWriter) throws {
        guard let model = request.queryParameters["model"], !model.isEmpty else {
            throw APIError.badRequest("'model' is required.", param: "model")
        }
        try InputLimits.checked(model, param: "model", limit: InputLimits.modelBytes)
        let store = try context.store()
        let stats = try StatsRequest(request.queryParameters, caller: context.caller, store: store, now: now())
        let plan = try ModelRouter.fromEnvironment(context.services.environment).plan(model, caller: context.caller, store: store)
        let prices = DirectPriceTable()
        var entries: [JSONValue] = []
        for candidate in plan.candidates {
            var filter = stats.filter
            filter.providerID = candidate.provider.id
            filter.model = plan.requestedModel
            let observed = try store.usageAggregates(context.caller, filter, by: .total).first?.usage ?? UsageAggregate()
            var row = candidate.model
            if row?.inputPrice == nil, candidate.provider.kind == .direct, let entry = prices.price(for: candidate.upstreamModel) {
                row = row ?? CatalogueModel(id: "", providerID: candidate.provider.id, modelID: candidate.upstreamModel)
                row?.inputPrice = entry.input
                row?.outputPrice = entry.output
                row?.cacheReadPrice = entry.cacheRead
            }
            entries.append([
                "provider": .string(candidate.provider.name), "provider_id": .string(candidate.provider.id),
                "upstream_model": .string(candidate.upstreamModel),
                "pricing": [
                    "unit": "usd_per_1m_tokens", "input": row?.inputPrice.map(JSONValue.double) ?? .null,
                    "output": row?.outputPrice.map(JSONValue.double) ?? .null,
                    "cache_read": row?.cacheReadPrice.map(JSONValue.double) ?? .null,
                ],
                "context_window": row?.contextWindow.map(JSONValue.int) ?? .null,
                "observed": [
                    "requests": .int(observed.requests), "error_rate": .double((observed.errorRate * 10_000).rounded() / 10_000),
                    "avg_latency_ms": UsageJSON.optional(observed.averageLatencyMs),
                    "p95_latency_ms": observed.p95LatencyMs.map(JSONValue.int) ?? .null,
                    "avg_ttft_ms": UsageJSON.optional(observed.averageTTFTMs), "cost_usd": UsageJSON.cost(observed.costUSD),
                ],
            ])
        }
        try writer.respond(json: [
            "model": .string(plan.requestedModel), "resolved_model": .string(plan.resolvedModel),
            "providers": .array(entries),
        ])
    }

    /// `GET /export?format=csv`: the caller's usage rows in the range, newest first, streamed in pages.
    /// Each page is read on the store's thread and written from the request's task: a client that reads
    /// slowly holds back its own export, not the worker's other requests.
    static func export(_ request: FunctionRequest, context: FunctionContext, writer: ResponseWriter) async throws {
        let format = request.queryParameters["format"] ?? "csv"
        guard format == "csv" else { throw APIError.badRequest("'format' must be csv.", param: "format") }
        let (query, caller) = (request.queryParameters, context.caller)
        var filter = try await context.withStore { store in
            let stats = try StatsRequest(query, caller: caller, store: store, now: now())
            return UsageFilter(scope: stats.scope, range: stats.buckets.range, providerID: stats.providerID, model: stats.model, limit: 1000)
        }
        var headers = HTTPHeaders()
        headers.set("Content-Type", "text/csv; charset=utf-8")
        headers.set("Content-Disposition", "attachment; filename=\"usage.csv\"")
        try writer.writeHead(status: 200, headers: headers)
        try writer.write(UsageCSV.header)
        while true {
            let page = filter
            let rows = try await context.withStore { try $0.usage(caller, page) }
            guard !rows.isEmpty, !writer.isClientGone else { break }
            try writer.write(rows.map(UsageCSV.line).joined())
            guard rows.count == filter.limit, let last = rows.last else { break }
            filter.after = (last.createdAt, last.id)
        }
    }
}

extension UsageStatsFunction {
    /// `POST /estimate` with a chat request: estimated prompt tokens, each serving provider's prices,
    /// and the range of what the request can cost (prompt at the cheapest and dearest input price;
    /// the maximum adds `max_tokens` of output at the dearest output price).
    static func estimate(_ request: FunctionRequest, context: FunctionContext, writer: ResponseWriter) throws {
        let chat = try ChatRequest(body: request.body)
        let store = try context.store()
        let plan = try ModelRouter.fromEnvironment(context.services.environment).plan(chat.model, caller: context.caller, store: store)
        let promptTokens = TokenEstimate.promptTokens(chat.messages)
        let prices = DirectPriceTable()
        var priced: [(provider: String, input: Double, output: Double, maxOutput: Int?)] = []
        for candidate in plan.candidates {
            let table = candidate.provider.kind == .direct ? prices.price(for: candidate.upstreamModel) : nil
            guard let input = candidate.model?.inputPrice ?? table?.input, let output = candidate.model?.outputPrice ?? table?.output else {
                continue
            }
            priced.append((candidate.provider.name, input, output, candidate.model?.maxOutputTokens ?? table?.maxOutputTokens))
        }
        let maxCompletion = chat.maxTokens ?? priced.compactMap(\.maxOutput).max()
        func usd(_ tokens: Int, _ price: Double) -> Double { Double(tokens) * price / 1_000_000 }
        var body: [String: JSONValue] = [
            "model": .string(plan.requestedModel), "estimated_prompt_tokens": .int(promptTokens),
            "method": "about 4 characters per token, 4 tokens per message, 3 for the reply, 85 per image",
            "max_completion_tokens": maxCompletion.map(JSONValue.int) ?? .null,
            "providers": .array(
                priced.map { entry in
                    [
                        "provider": .string(entry.provider), "input_price": .double(entry.input), "output_price": .double(entry.output),
                        "prompt_cost_usd": UsageJSON.cost(usd(promptTokens, entry.input)),
                        "max_cost_usd": maxCompletion.map { UsageJSON.cost(usd(promptTokens, entry.input) + usd($0, entry.output)) } ?? .null,
                    ]
                }),
        ]
        if let cheapest = priced.map(\.input).min(), let dearest = priced.map(\.input).max(), let dearestOutput = priced.map(\.output).max() {
            body["prompt_cost_usd"] = ["min": UsageJSON.cost(usd(promptTokens, cheapest)), "max": UsageJSON.cost(usd(promptTokens, dearest))]
            body["max_cost_usd"] = maxCompletion.map { UsageJSON.cost(usd(promptTokens, dearest) + usd($0, dearestOutput)) } ?? .null
        } else {
            body["prompt_cost_usd"] = .null
            body["max_cost_usd"] = .null
        }
        try writer.respond(json: .object(body))
    }
}
