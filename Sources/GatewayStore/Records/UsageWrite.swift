/// One of the writes that group commit gathers into a shared transaction (`Store.writeUsage`):
/// a request registered in flight, or its usage row (which replaces the in-flight one).
package struct UsageWrite: Sendable {
    package enum Kind: Sendable {
        case begin(InFlightRequest)
        case finish(UsageRecord)
    }

    package var kind: Kind
    /// On whose behalf: an `authenticated` writer may write only its own user's rows.
    package var writer: Caller

    package init(_ kind: Kind, writer: Caller) {
        self.kind = kind
        self.writer = writer
    }

    package var userID: String {
        switch kind {
        case .begin(let request): request.userID
        case .finish(let record): record.userID
        }
    }

    package var id: String {
        switch kind {
        case .begin(let request): request.id
        case .finish(let record): record.id
        }
    }
}
