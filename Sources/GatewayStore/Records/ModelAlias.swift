/// `alias` -> `modelID` (`model_aliases`), optionally pinned to a provider.
/// `userID` is empty for a global alias; a user's own alias of the same name wins.
package struct ModelAlias: Sendable, Equatable {
    package var id: String
    package var userID: String
    package var alias: String
    package var modelID: String
    package var preferredProviderID: String?

    package init(id: String, userID: String, alias: String, modelID: String, preferredProviderID: String? = nil) {
        self.id = id
        self.userID = userID
        self.alias = alias
        self.modelID = modelID
        self.preferredProviderID = preferredProviderID
    }

    package var isGlobal: Bool { userID.isEmpty }
}
