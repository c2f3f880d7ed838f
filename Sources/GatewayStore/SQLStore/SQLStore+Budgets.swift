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
            let owner: SQLQuery = userID.map { "WHERE user_id = \($0)" } ?? ""
            return try db.query("SELECT \(UsageBudget.columns.list) FROM usage_budgets \(owner) ORDER BY user_id, provider_id")
                .map(UsageBudget.init(row:))
        }
    }

    package func saveBudget(_ caller: Caller, _ budget: UsageBudget) throws -> UsageBudget {
        guard caller.isService || budget.userID == caller.userID else { throw StoreError.forbidden("another user's budgets") }
        let now = SQLStore.now()
        return try write(caller) { db in
            try db.query(
                """
                INSERT INTO usage_budgets (\(UsageBudget.columns.list), created_at, updated_at)
                VALUES (\(list: budget.sqlValues), \(now), \(now))
                ON CONFLICT (user_id, provider_id) DO UPDATE SET monthly_budget_usd = excluded.monthly_budget_usd,
                    requests_per_minute = excluded.requests_per_minute, tokens_per_day = excluded.tokens_per_day,
                    alert_thresholds = excluded.alert_thresholds, updated_at = excluded.updated_at
                RETURNING \(UsageBudget.columns.list)
                """
            ).first.map(UsageBudget.init(row:)) ?? budget
        }
    }

    package func deleteBudget(_ caller: Caller, userID: String, providerID: String) throws -> Bool {
        guard caller.isService || userID == caller.userID else { throw StoreError.forbidden("another user's budgets") }
        return try write(caller) { db in
            !(try db.query("DELETE FROM usage_budgets WHERE user_id = \(userID) AND provider_id = \(providerID) RETURNING id"))
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
            !(try db.query("SELECT 1 AS one FROM usage_budgets WHERE user_id = \(caller.userID) LIMIT 1")).isEmpty
        }
        guard budgeted else { return [] }
        return try write(caller) { db in
            if db.backend == .postgres {
                try db.query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(\("budget|" + caller.userID)))) AS lock")
            }
            let states = try SQLStore.budgetStates(db, userID: caller.userID, now: now)
            if !states.isEmpty, admit(states) {
                // The request's in-flight row (if it registered one) now counts; one that did not gets a row here.
                try db.query(
                    """
                    INSERT INTO usage_reservations (id, user_id, created_at, model_requested, admitted)
                    VALUES (\(reservationID), \(caller.userID), \(now), \(modelRequested), 1)
                    ON CONFLICT (id) DO UPDATE SET admitted = 1, model_requested = excluded.model_requested
                    """)
            }
            return states
        }
    }

    static func budgetStates(_ db: any SQLDatabase, userID: String, now: Int64) throws -> [BudgetState] {
        let budgets = try db.query(
            "SELECT \(UsageBudget.columns.list) FROM usage_budgets WHERE user_id = \(userID) ORDER BY provider_id"
        ).map(UsageBudget.init(row:))
        guard !budgets.isEmpty else { return [] }
        let period = BudgetPeriods(now: now)
        return try budgets.map { budget in
            let provider: SQLQuery = budget.providerID.isEmpty ? "" : " AND provider_id = \(budget.providerID)"
            let sums = try db.query(
                """
                SELECT SUM(cost_usd) AS cost, SUM(CASE WHEN bucket_start >= \(period.dayStart) THEN prompt_tokens + completion_tokens ELSE 0 END) AS tokens
                FROM usage_rollup WHERE user_id = \(userID) AND bucket_start >= \(period.monthStart)\(provider)
                """
            ).first
            let minute = try db.query(
                """
                SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM aggregator_usage_logs
                WHERE user_id = \(userID) AND function = 'v1-chat' AND created_at > \(now - 60_000)\(provider)
                    AND (error_code IS NULL OR error_code NOT IN ('rate_limited', 'budget_exceeded', 'token_limit_exceeded'))
                """
            ).first
            // COUNT is never NULL; MIN and SUM are NULL over no rows.
            var requests = try minute?.column("n", as: Int.self) ?? 0
            var oldest = try minute?.nullable("oldest", as: Int64.self)
            if budget.providerID.isEmpty {
                let live = try db.query(
                    """
                    SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM usage_reservations
                    WHERE user_id = \(userID) AND admitted = 1 AND created_at > \(now - reservationLifetime)
                    """
                ).first
                requests += try live?.column("n", as: Int.self) ?? 0
                if let started = try live?.nullable("oldest", as: Int64.self) { oldest = min(oldest ?? started, max(started, now - 60_000)) }
            }
            return BudgetState(
                budget: budget,
                consumption: BudgetConsumption(
                    monthCostUSD: try sums?.nullable("cost", as: Double.self) ?? 0, dayTokens: try sums?.nullable("tokens", as: Int.self) ?? 0,
                    minuteRequests: requests, oldestInMinute: oldest))
        }
    }
}
