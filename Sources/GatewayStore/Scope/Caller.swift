/// Who is calling, resolved from the access token before a function does anything. Every store
/// query is scoped to one.
package struct Caller: Sendable, Equatable {
    package let userID: String
    package let role: CallerRole

    package init(userID: String, role: CallerRole) {
        self.userID = userID
        self.role = role
    }

    /// May act on the catalogue and on every user's rows (sync, admin).
    package var isService: Bool { role == .serviceRole }
}

/// The roles a caller can hold (Supabase's names).
package enum CallerRole: String, Sendable, CaseIterable {
    /// A signed-in user: acts on their own rows only.
    case authenticated
    /// The operator: acts on the catalogue and on every user (sync, admin).
    case serviceRole = "service_role"
}

extension Caller {
    /// The gateway acting for itself (usage rows of unauthenticated requests, seeding the catalogue).
    package static let gateway = Caller(userID: "", role: .serviceRole)
}
