/// PostgreSQL row-level-security DDL, the second line of defence behind the store's own scoping
/// (every query already names its caller). Policies read the caller from `gateway_user_id()` and
/// `gateway_is_service()`, which each transaction sets. FORCE applies them to the table's owner too.
enum RowLevelSecurity {
    /// Each row belongs to one user: that user and the service role see it (`readBy`) and write it (`writtenBy`).
    static func ownedRows(_ table: String, readBy reader: String = "user_id", writtenBy writer: String = "user_id") -> String {
        """
        \(enable(table))
        CREATE POLICY tenant ON \(table)
            USING (gateway_is_service() OR \(reader) = gateway_user_id())
            WITH CHECK (gateway_is_service() OR \(writer) = gateway_user_id());
        """
    }

    /// Rows whose owner (`column`) is '' are shared: everyone reads them, the service role writes them;
    /// a user's own rows are theirs to read and write.
    static func sharedAndOwnedRows(_ table: String, owner column: String, policyPrefix prefix: String) -> String {
        """
        \(enable(table))
        CREATE POLICY \(prefix)_read ON \(table) FOR SELECT
            USING (gateway_is_service() OR \(column) = '' OR \(column) = gateway_user_id());
        CREATE POLICY \(prefix)_write ON \(table) FOR ALL
            USING (gateway_is_service() OR \(column) = gateway_user_id())
            WITH CHECK (gateway_is_service() OR \(column) = gateway_user_id());
        """
    }

    /// Everyone reads every row; only the service role writes (the provider catalogue).
    static func serviceWritten(_ table: String, policyPrefix prefix: String) -> String {
        """
        \(enable(table))
        CREATE POLICY \(prefix)_read ON \(table) FOR SELECT USING (TRUE);
        CREATE POLICY \(prefix)_admin ON \(table) FOR ALL USING (gateway_is_service()) WITH CHECK (gateway_is_service());
        """
    }

    private static func enable(_ table: String) -> String {
        """
        ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY;
        ALTER TABLE \(table) FORCE ROW LEVEL SECURITY;
        """
    }
}
