/// Who changed what (`audit_log`). `before` / `after` are JSON snapshots, never holding a key.
public struct AuditEntry: Sendable, Equatable {
    public var id: String
    public var actorUserID: String
    public var actorRole: String
    public var subjectUserID: String?
    public var action: String
    public var entity: String
    public var entityID: String?
    public var before: JSONValue?
    public var after: JSONValue?
    public var createdAt: Int64

    public init(
        id: String, actorUserID: String, actorRole: String, subjectUserID: String?, action: String, entity: String,
        entityID: String?, before: JSONValue? = nil, after: JSONValue? = nil, createdAt: Int64
    ) {
        self.id = id
        self.actorUserID = actorUserID
        self.actorRole = actorRole
        self.subjectUserID = subjectUserID
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.before = before
        self.after = after
        self.createdAt = createdAt
    }
}
