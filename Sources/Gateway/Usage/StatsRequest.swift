import FunctionRuntime
import GatewayProviders
import GatewayStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The query of `GET /usage-stats`: whose usage, which range, which periods, in which time zone.
package struct StatsRequest {
    var scope: UserScope
    var buckets: SeriesBuckets
    var granularity: Granularity
    var providerID: String?
    var model: String?
    var api: ClientAPI?

    /// At most this many periods in one series (an hourly series of about six weeks).
    static let maxBuckets = 1_000

    package init(_ parameters: [String: String], caller: Caller, store: any Store, now: Int64) throws {
        func value(_ name: String) -> String? { parameters[name].flatMap { $0.isEmpty ? nil : $0 } }
        scope = .caller
        if let user = try InputLimits.identifier(value("user_id"), param: "user_id", limit: InputLimits.idBytes) {
            guard caller.isService || user == caller.userID else {
                throw APIError(status: 403, message: "Only the service role may read another user's usage.", code: "forbidden")
            }
            scope = .user(user)
        } else if value("all_users") == "true" {
            guard caller.isService else {
                throw APIError(status: 403, message: "Only the service role may read every user's usage.", code: "forbidden")
            }
            scope = .allUsers
        }
        if let text = value("granularity") {
            guard let parsed = Granularity(rawValue: text) else {
                throw APIError.badRequest("'granularity' must be hour, day or week.", param: "granularity")
            }
            granularity = parsed
        } else {
            granularity = .day
        }
        let zone: TimeZoneRules
        do {
            zone = try TimeZoneRules.load(value("tz") ?? "UTC")
        } catch {
            throw APIError.badRequest("'tz' must be an IANA time zone (Europe/Berlin) or an offset (+05:30).", param: "tz")
        }
        let end = try Self.instant(value("end_date"), zone: zone, param: "end_date", endOfDay: true) ?? now
        let start = try Self.instant(value("start_date"), zone: zone, param: "start_date", endOfDay: false) ?? end - 30 * 86_400_000
        guard start < end else {
            throw APIError.badRequest("'start_date' must be before 'end_date'.", code: "invalid_range", param: "start_date")
        }
        guard let buckets = SeriesBuckets(start: start, end: end, granularity: granularity, zone: zone, limit: Self.maxBuckets) else {
            throw APIError.badRequest(
                "The range holds more than \(Self.maxBuckets) \(granularity.rawValue)s; use a coarser granularity or a shorter range.",
                code: "invalid_range", param: "granularity")
        }
        self.buckets = buckets
        if let provider = try InputLimits.identifier(
            value("provider_id") ?? value("provider"), param: "provider_id", limit: InputLimits.providerBytes)
        {
            providerID = try store.catalogueProviders(caller).first { $0.id == provider || $0.name == provider }?.id ?? provider
        }
        model = try InputLimits.identifier(value("model"), param: "model", limit: InputLimits.modelBytes)
        if let text = value("api") {
            guard let parsed = ClientAPI(rawValue: text) else {
                throw APIError.badRequest(
                    "'api' must be one of \(ClientAPI.allCases.map(\.rawValue).joined(separator: ", ")).", param: "api")
            }
            api = parsed
        }
    }

    /// A date (local midnight; as an end, the next midnight: end dates are inclusive), a local time, or an instant.
    static func instant(_ text: String?, zone: TimeZoneRules, param: String, endOfDay: Bool) throws -> Int64? {
        guard let text else { return nil }
        guard let parsed = ISO8601Milliseconds.parseDetailed(text) else {
            throw APIError.badRequest(
                "'\(param)' must be an ISO 8601 date (2026-11-01) or time (2026-11-01T09:30:00Z).",
                code: "invalid_date", param: param)
        }
        if parsed.hasZone { return parsed.millis }
        return zone.utc(fromLocal: parsed.millis + (parsed.isDateOnly && endOfDay ? 86_400_000 : 0))
    }

    var filter: UsageStatsFilter {
        UsageStatsFilter(
            scope: scope, range: buckets.range, providerID: providerID, model: model, api: api,
            wholeHours: buckets.edges.allSatisfy { $0 % 3_600_000 == 0 })
    }
}
