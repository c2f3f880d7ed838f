/// Migration 4, the same on both databases but for column types: every request in flight holds a row
/// in `usage_reservations` (budgets used to count only the admitted ones), with who serves it, so that
/// the next process can turn a dead one's requests into usage rows. No index beyond the key: the table
/// holds only the requests in flight now, a scan of it is cheap, and each index would cost every
/// request two more B-tree writes (the row is inserted and deleted on the hot path).
enum InFlightSchema {
    static func migration(text: String, smallInteger: String) -> String {
        """
        ALTER TABLE usage_reservations ADD COLUMN function \(text) NOT NULL DEFAULT 'v1-chat';
        ALTER TABLE usage_reservations ADD COLUMN admitted \(smallInteger) NOT NULL DEFAULT 1;
        ALTER TABLE usage_reservations ADD COLUMN host \(text) NOT NULL DEFAULT '';
        ALTER TABLE usage_reservations ADD COLUMN process \(text) NOT NULL DEFAULT '';
        ALTER TABLE usage_reservations ADD COLUMN model_requested \(text);
        """
    }
}
