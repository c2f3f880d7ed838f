extension SQLStore {
    package func recordAudit(_ caller: Caller, _ entry: AuditEntry) throws {
        guard caller.isService || entry.actorUserID == caller.userID else {
            throw StoreError.forbidden("an audit entry for another actor")
        }
        try write(caller) { db in
            try db.query("INSERT INTO audit_log (\(AuditEntry.columns.list)) VALUES (\(list: entry.sqlValues))")
        }
    }

    package func auditEntries(_ caller: Caller, scope: UserScope = .caller, limit: Int = 100) throws -> [AuditEntry] {
        let userID = try scope.userID(for: caller)
        return try read(caller) { db in
            if let userID {
                return try db.query(
                    "SELECT \(AuditEntry.columns.list) FROM audit_log WHERE subject_user_id = \(userID) ORDER BY created_at DESC, id LIMIT \(limit)"
                ).map(AuditEntry.init(row:))
            }
            return try db.query("SELECT \(AuditEntry.columns.list) FROM audit_log ORDER BY created_at DESC, id LIMIT \(limit)")
                .map(AuditEntry.init(row:))
        }
    }
}
