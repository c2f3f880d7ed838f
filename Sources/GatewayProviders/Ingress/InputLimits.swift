import FunctionRuntime

/// How large an identifier a client sends may be. Each is stored (the usage row, both rollups and
/// their indexes) or quoted back in errors, so each is bounded: a 9 MiB model name once cost 45 MB
/// of database and a 9 MiB error body. Over the limit is a 400 that names the limit, not the input.
package enum InputLimits {
    /// Model ids and alias targets (the longest catalogue ids are about 100 bytes).
    package static let modelBytes = 256
    package static let aliasBytes = 128
    /// Provider names and ids (`openrouter`, or a catalogue entry's id).
    package static let providerBytes = 64
    /// User ids and the ids in paths (UUIDs, in practice).
    package static let idBytes = 128
    /// Free-text filters (`q`, `capability`).
    package static let filterBytes = 256
    /// The chat `user` field and `metadata`, as OpenAI bounds them.
    package static let userBytes = 256
    package static let metadataPairs = 16
    package static let metadataKeyBytes = 64
    package static let metadataValueBytes = 512

    /// `value` when it is 1 to `limit` bytes without control characters; otherwise the 400 for `param`.
    @discardableResult
    package static func checked(_ value: String, param: String, limit: Int) throws(APIError) -> String {
        guard !value.isEmpty, value.utf8.count <= limit else {
            throw .badRequest("'\(param)' must be 1 to \(limit) bytes long.", code: "invalid_request", param: param)
        }
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .badRequest("'\(param)' must not contain control characters.", code: "invalid_request", param: param)
        }
        return value
    }

    /// Optional variant: nil stays nil.
    package static func identifier(_ value: String?, param: String, limit: Int) throws(APIError) -> String? {
        guard let value else { return nil }
        return try checked(value, param: param, limit: limit)
    }

    /// Chat `metadata`: at most 16 string pairs, keys to 64 bytes, values to 512 (OpenAI's own bounds).
    package static func metadata(_ value: JSONValue) throws(APIError) {
        guard let pairs = value.objectValue else {
            throw .badRequest("'metadata' must be an object of strings.", code: "invalid_request", param: "metadata")
        }
        guard pairs.count <= metadataPairs else {
            throw .badRequest("'metadata' holds at most \(metadataPairs) pairs.", code: "invalid_request", param: "metadata")
        }
        for (key, entry) in pairs {
            guard key.utf8.count <= metadataKeyBytes, let text = entry.stringValue, text.utf8.count <= metadataValueBytes else {
                throw .badRequest(
                    "'metadata' keys are at most \(metadataKeyBytes) bytes and values strings of at most \(metadataValueBytes).",
                    code: "invalid_request", param: "metadata")
            }
        }
    }
}
