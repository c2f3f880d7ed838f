/// Migration 4, the same on both databases but for column types: every request in flight holds a row
/// in `usage_reservations` (budgets used to count only the admitted ones), with who serves it, so that
/// the next process can turn a dead one's requests into usage rows.
enum InFlightSchema {
    static func migration(text: String, smallInteger: String) -> String {
        """
        ALTER TABLE usage_reservations ADD COLUMN function \(text) NOT NULL DEFAULT 'v1-chat';
        ALTER TABLE usage_reservations ADD COLUMN admitted \(smallInteger) NOT NULL DEFAULT 1;
        ALTER TABLE usage_reservations ADD COLUMN host \(text) NOT NULL DEFAULT '';
        ALTER TABLE usage_reservations ADD COLUMN process \(text) NOT NULL DEFAULT '';
        ALTER TABLE usage_reservations ADD COLUMN model_requested \(text);
        CREATE INDEX usage_reservations_host ON usage_reservations (host, created_at);
        CREATE INDEX usage_reservations_created ON usage_reservations (created_at);
        """
    }
}
