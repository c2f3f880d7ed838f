/// `alias` -> `modelID` (`model_aliases`), optionally pinned to a provider.
/// `userID` is empty for a global alias; a user's own alias of the same name wins.
public struct ModelAlias: Sendable, Equatable {
    public var id: String
    public var userID: String
    public var alias: String
    public var modelID: String
    public var preferredProviderID: String?

    public init(id: String, userID: String, alias: String, modelID: String, preferredProviderID: String? = nil) {
        self.id = id
        self.userID = userID
        self.alias = alias
        self.modelID = modelID
        self.preferredProviderID = preferredProviderID
    }

    public var isGlobal: Bool { userID.isEmpty }
}
