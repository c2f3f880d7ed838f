import FunctionRuntime

/// Who changed what (`audit_log`). `before` / `after` are JSON snapshots, never holding a key.
package struct AuditEntry: Sendable, Equatable {
    package var id: String
    package var actorUserID: String
    package var actorRole: String
    package var subjectUserID: String?
    package var action: String
    package var entity: String
    package var entityID: String?
    package var before: JSONValue?
    package var after: JSONValue?
    package var createdAt: Int64

    package init(
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
