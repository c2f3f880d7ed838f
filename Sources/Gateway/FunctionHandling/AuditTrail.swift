import FunctionRuntime
import GatewayStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One `audit_log` row per change to providers, models and aliases: who, what, before, after.
/// Callers pass snapshots that never contain a key.
enum AuditTrail {
    static func record(
        _ context: FunctionContext, action: String, entity: String, entityID: String, subjectUserID: String?,
        before: JSONValue?, after: JSONValue?
    ) throws {
        try context.store().recordAudit(
            context.caller,
            AuditEntry(
                id: UUID().uuidString.lowercased(), actorUserID: context.caller.userID, actorRole: context.caller.role.rawValue,
                subjectUserID: subjectUserID, action: action, entity: entity, entityID: entityID,
                before: before, after: after, createdAt: Int64((Date().timeIntervalSince1970 * 1000).rounded())))
    }
}
