import FunctionRuntime
import GatewayStore

/// `GET /usage-stats`: totals, a zero-filled series, and per-model, per-provider and per-client-API breakdowns,
/// all summed from the rollup for one range.
package struct UsageReport {
    package let request: StatsRequest
    package let store: any Store
    package let caller: Caller

    package init(request: StatsRequest, store: any Store, caller: Caller) {
        self.request = request
        self.store = store
        self.caller = caller
    }

    package func json() throws -> [String: JSONValue] {
        let filter = request.filter
        let buckets = request.buckets
        var series = [UsageAggregate](repeating: UsageAggregate(), count: buckets.count)
        for group in try store.usageAggregates(caller, filter, by: .bucket) {
            guard let index = buckets.index(of: group.bucketStart) else { continue }
            series[index].add(group.usage)
        }
        let totals = try store.usageAggregates(caller, filter, by: .total).first?.usage ?? UsageAggregate()
        let models = try store.usageAggregates(caller, filter, by: .model).sorted { ($0.usage.costUSD, $1.key) > ($1.usage.costUSD, $0.key) }
        let names = Dictionary(uniqueKeysWithValues: try store.catalogueProviders(caller).map { ($0.id, $0.name) })
        let providers = try store.usageAggregates(caller, filter, by: .provider).sorted { $0.usage.requests > $1.usage.requests }
        let apis = try store.usageAggregates(caller, filter, by: .api).sorted { ($0.usage.requests, $1.key) > ($1.usage.requests, $0.key) }
        return [
            "range": [
                "start": .string(buckets.label(0)),
                "end": .string(ISO8601Milliseconds.format(buckets.range.end, offsetSeconds: buckets.zone.offset(atUTC: buckets.range.end))),
                "granularity": .string(request.granularity.rawValue), "tz": .string(buckets.zone.identifier),
            ],
            "totals": .object(UsageJSON.totals(totals)),
            "series": .array(series.indices.map { UsageJSON.period(buckets.label($0), series[$0]) }),
            "models": .array(
                models.map { group in
                    var entry = UsageJSON.totals(group.usage)
                    entry["model"] = .string(group.key)
                    return .object(entry)
                }),
            "providers": .array(
                providers.map { group in
                    var entry = UsageJSON.totals(group.usage)
                    entry["provider_id"] = group.key.isEmpty ? .null : .string(group.key)
                    entry["provider"] = group.key.isEmpty ? .null : .string(names[group.key] ?? group.key)
                    return .object(entry)
                }),
            "apis": .array(
                apis.map { group in
                    var entry = UsageJSON.totals(group.usage)
                    entry["api"] = .string(group.key)
                    return .object(entry)
                }),
        ]
    }
}
