import FunctionRuntime

/// `POST /sync-models`: which provider to sync (all when absent) and, for the service role, whose keys.
package struct SyncBody: JSONBody {
    package var providerID: String?
    package var userID: String?

    package enum CodingKeys: String, CodingKey {
        case providerID = "provider_id"
        case userID = "user_id"
    }

    package static func requirement(of key: String) -> String {
        key == "user_id" ? "'user_id' must be a string." : "'provider_id' must be a provider name, id or configured key id."
    }
}
