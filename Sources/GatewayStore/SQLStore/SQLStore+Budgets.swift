import FunctionRuntime

/// Budgets, and the admission check v1-chat runs before calling upstream. Counting and reserving
/// happen in one write transaction per user (SQLite's write lock; an advisory lock on PostgreSQL),
/// so concurrent requests from any process or host see each other: a request in flight holds a
/// reservation (its usage row's id) until its usage row replaces it.
extension SQLStore {
    /// Reservations older than this are from a process that died mid-request: no longer counted.
    static let reservationLifetime: Int64 = 600_000

    package func budgets(_ caller: Caller, scope: UserScope) throws -> [UsageBudget] {
        let userID = try scope.userID(for: caller)
        return try read(caller) { db in
            try db.query(
                "SELECT id, user_id, provider_id, monthly_budget_usd, requests_per_minute, tokens_per_day, alert_thresholds FROM usage_budgets"
                    + (userID == nil ? "" : " WHERE user_id = ?") + " ORDER BY user_id, provider_id",
                userID.map { [.text($0)] } ?? []
            ).map(UsageBudget.init(row:))
        }
    }

    package func saveBudget(_ caller: Caller, _ budget: UsageBudget) throws -> UsageBudget {
        guard caller.isService || budget.userID == caller.userID else { throw StoreError.forbidden("another user's budgets") }
        let now = SQLStore.now()
        return try write(caller) { db in
            try db.query(
                """
                INSERT INTO usage_budgets (id, user_id, provider_id, monthly_budget_usd, requests_per_minute, tokens_per_day, alert_thresholds, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_id, provider_id) DO UPDATE SET monthly_budget_usd = excluded.monthly_budget_usd,
                    requests_per_minute = excluded.requests_per_minute, tokens_per_day = excluded.tokens_per_day,
                    alert_thresholds = excluded.alert_thresholds, updated_at = excluded.updated_at
                RETURNING id, user_id, provider_id, monthly_budget_usd, requests_per_minute, tokens_per_day, alert_thresholds
                """,
                [
                    .text(budget.id), .text(budget.userID), .text(budget.providerID), SQLValue(budget.monthlyBudgetUSD),
                    SQLValue(budget.requestsPerMinute), SQLValue(budget.tokensPerDay),
                    JSONValue.array(budget.alertThresholds.map(JSONValue.int)).sqlText, .integer(now), .integer(now),
                ]
            )
            .first.map(UsageBudget.init(row:)) ?? budget
        }
    }

    package func deleteBudget(_ caller: Caller, userID: String, providerID: String) throws -> Bool {
        guard caller.isService || userID == caller.userID else { throw StoreError.forbidden("another user's budgets") }
        return try write(caller) { db in
            !(try db.query("DELETE FROM usage_budgets WHERE user_id = ? AND provider_id = ? RETURNING id", [.text(userID), .text(providerID)]))
                .isEmpty
        }
    }

    /// Each of the user's budgets with its consumption, read consistently.
    package func budgetStates(_ caller: Caller, userID: String, now: Int64) throws -> [BudgetState] {
        guard caller.isService || userID == caller.userID else { throw StoreError.forbidden("another user's budgets") }
        return try read(caller) { db in try SQLStore.budgetStates(db, userID: userID, now: now) }
    }

    /// Counts the user's budgets and, when `admit` accepts, reserves a place for request `reservationID` in the same transaction.
    package func admitRequest(
        _ caller: Caller, reservationID: String, modelRequested: String?, now: Int64,
        admit: ([BudgetState]) -> Bool
    ) throws -> [BudgetState] {
        guard !caller.userID.isEmpty else { return [] }
        // Most users have no budget: a read decides, and only budgeted users pay for the write lock.
        let budgeted = try read(caller) { db in
            !(try db.query("SELECT 1 AS one FROM usage_budgets WHERE user_id = ? LIMIT 1", [.text(caller.userID)])).isEmpty
        }
        guard budgeted else { return [] }
        return try write(caller) { db in
            if db.backend == .postgres {
                try db.query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(?))) AS lock", [.text("budget|\(caller.userID)")])
            }
            let states = try SQLStore.budgetStates(db, userID: caller.userID, now: now)
            if !states.isEmpty, admit(states) {
                // The request's in-flight row (if it registered one) now counts; one that did not gets a row here.
                try db.query(
                    """
                    INSERT INTO usage_reservations (id, user_id, created_at, model_requested, admitted) VALUES (?, ?, ?, ?, 1)
                    ON CONFLICT (id) DO UPDATE SET admitted = 1, model_requested = excluded.model_requested
                    """, [.text(reservationID), .text(caller.userID), .integer(now), SQLValue(modelRequested)])
            }
            return states
        }
    }

    static func budgetStates(_ db: any SQLDatabase, userID: String, now: Int64) throws -> [BudgetState] {
        let budgets = try db.query(
            """
            SELECT id, user_id, provider_id, monthly_budget_usd, requests_per_minute, tokens_per_day, alert_thresholds
            FROM usage_budgets WHERE user_id = ? ORDER BY provider_id
            """, [.text(userID)]
        ).map(UsageBudget.init(row:))
        guard !budgets.isEmpty else { return [] }
        let period = BudgetPeriods(now: now)
        return try budgets.map { budget in
            let provider = budget.providerID.isEmpty ? "" : " AND provider_id = ?"
            let providerValue: [SQLValue] = budget.providerID.isEmpty ? [] : [.text(budget.providerID)]
            let sums = try db.query(
                """
                SELECT SUM(cost_usd) AS cost, SUM(CASE WHEN bucket_start >= ? THEN prompt_tokens + completion_tokens ELSE 0 END) AS tokens
                FROM usage_rollup WHERE user_id = ? AND bucket_start >= ?\(provider)
                """, [.integer(period.dayStart), .text(userID), .integer(period.monthStart)] + providerValue
            ).first
            let minute = try db.query(
                """
                SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM aggregator_usage_logs
                WHERE user_id = ? AND function = 'v1-chat' AND created_at > ?\(provider)
                    AND (error_code IS NULL OR error_code NOT IN ('rate_limited', 'budget_exceeded', 'token_limit_exceeded'))
                """, [.text(userID), .integer(now - 60_000)] + providerValue
            ).first
            var requests = minute?.int("n") ?? 0
            var oldest = minute?.int64("oldest")
            if budget.providerID.isEmpty {
                let live = try db.query(
                    """
                    SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM usage_reservations WHERE user_id = ? AND admitted = 1 AND created_at > ?
                    """, [.text(userID), .integer(now - reservationLifetime)]
                ).first
                requests += live?.int("n") ?? 0
                if let started = live?.int64("oldest") { oldest = min(oldest ?? started, max(started, now - 60_000)) }
            }
            return BudgetState(
                budget: budget,
                consumption: BudgetConsumption(
                    monthCostUSD: sums?.double("cost") ?? 0, dayTokens: sums?.int("tokens") ?? 0, minuteRequests: requests, oldestInMinute: oldest))
        }
    }
}

extension UsageBudget {
    init(row: SQLRow) {
        self.init(
            id: row.string("id") ?? "", userID: row.string("user_id") ?? "", providerID: row.string("provider_id") ?? "",
            monthlyBudgetUSD: row.double("monthly_budget_usd"), requestsPerMinute: row.int("requests_per_minute"),
            tokensPerDay: row.int("tokens_per_day"),
            alertThresholds: row.json("alert_thresholds", fallback: []).arrayValue?.compactMap(\.intValue) ?? [])
    }
}
