/// A request that reached a function and has no usage row yet (`usage_reservations`). Written
/// before the request is served and replaced by its usage row in that row's transaction; one left
/// behind by a process that died becomes an `error` / `process_died` usage row, exactly once.
package struct InFlightRequest: Sendable, Equatable {
    /// The usage row's id to be.
    package var id: String
    package var userID: String
    package var function: String
    /// Unix milliseconds.
    package var createdAt: Int64
    /// Which machine and which process serve it (`ProcessIdentity`), so a sweeper can tell a dead owner.
    package var host: String
    package var process: String
    package var modelRequested: String?

    package init(id: String, userID: String, function: String, createdAt: Int64, host: String, process: String, modelRequested: String? = nil) {
        self.id = id
        self.userID = userID
        self.function = function
        self.createdAt = createdAt
        self.host = host
        self.process = process
        self.modelRequested = modelRequested
    }
}
