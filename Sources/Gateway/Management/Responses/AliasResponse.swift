import FunctionRuntime
import GatewayStore

/// A model alias, as the `models` function answers with it.
package struct AliasResponse: JSONResponse {
    var alias: String
    var model: String
    @NullWhenAbsent var preferredProviderID: String?
    /// A service-role alias every user sees (theirs of the same name hides it).
    var global: Bool

    enum CodingKeys: String, CodingKey {
        case alias, model, global
        case preferredProviderID = "preferred_provider_id"
    }

    package init(_ alias: ModelAlias) {
        self.alias = alias.alias
        model = alias.modelID
        preferredProviderID = alias.preferredProviderID
        global = alias.isGlobal
    }
}
