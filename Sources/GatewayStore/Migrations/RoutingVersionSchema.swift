/// Migration 7: one counter that moves with every change to what routing reads (the catalogue, users'
/// keys, models, overrides, aliases), by triggers, so that a change made by any process, or by hand in
/// SQL, is seen. A worker keeps its routing plans while the counter stays (`Store.routingVersion`).
enum RoutingVersionSchema {
    static let tables = ["api_providers", "user_api_providers", "aggregator_models", "model_overrides", "model_aliases"]

    static let bump = "UPDATE routing_version SET version = version + 1 WHERE id = 1;"

    static func table(integer: String) -> String {
        """
        CREATE TABLE routing_version (id \(integer) PRIMARY KEY CHECK (id = 1), version \(integer) NOT NULL);
        INSERT INTO routing_version (id, version) VALUES (1, 0);
        """
    }

    /// SQLite: a trigger per table and change (SQLite's triggers run for each row).
    static var sqlite: String {
        table(integer: "INTEGER")
            + tables.flatMap { table in
                ["INSERT", "UPDATE", "DELETE"].map { change in
                    "\nCREATE TRIGGER \(table)_routing_\(change.lowercased()) AFTER \(change) ON \(table) BEGIN \(bump) END;"
                }
            }.joined()
    }

    /// PostgreSQL: a statement trigger per table. Everyone reads the counter and moves it (through the
    /// triggers of the rows they may change); nobody else writes it.
    static var postgres: String {
        """
        \(table(integer: "bigint"))
        CREATE FUNCTION bump_routing_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \(bump) RETURN NULL; END $$;
        ALTER TABLE routing_version ENABLE ROW LEVEL SECURITY;
        ALTER TABLE routing_version FORCE ROW LEVEL SECURITY;
        CREATE POLICY routing_version_read ON routing_version FOR SELECT USING (TRUE);
        CREATE POLICY routing_version_bump ON routing_version FOR UPDATE USING (TRUE) WITH CHECK (TRUE);
        """
            + tables.map { table in
                "\nCREATE TRIGGER \(table)_routing AFTER INSERT OR UPDATE OR DELETE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION bump_routing_version();"
            }.joined()
    }
}
