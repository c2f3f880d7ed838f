import FunctionRuntime

/// `PUT /models/aliases/{alias}`: the model an alias stands for, and the provider it prefers.
package struct AliasBody: JSONBody {
    package var model: String?
    package var modelID: String?
    package var global: Bool?
    package var preferredProvider: String?
    package var preferredProviderID: String?

    package enum CodingKeys: String, CodingKey {
        case model, global
        case modelID = "model_id"
        case preferredProvider = "preferred_provider"
        case preferredProviderID = "preferred_provider_id"
    }

    package static func requirement(of key: String) -> String {
        switch key {
        case "model", "model_id": "'model' is required: the model id the alias stands for."
        case "global": "'global' must be true or false."
        default: "'preferred_provider' must name a provider in the catalogue."
        }
    }
}
