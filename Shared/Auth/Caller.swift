/// Who is calling, resolved from the access token before a function does anything.
public struct Caller: Sendable, Equatable {
    public let userID: String
    public let role: CallerRole

    public init(userID: String, role: CallerRole) {
        self.userID = userID
        self.role = role
    }

    /// May act on the catalogue and on every user's rows (sync, admin).
    public var isService: Bool { role == .serviceRole }
}
