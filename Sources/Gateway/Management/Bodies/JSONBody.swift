import FunctionRuntime

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A management request body decoded into its `Codable` type. A body that is not a JSON object is
/// `400 invalid_json`; a field of the wrong type is a 400 naming that field, with the message the
/// body type gives for it.
package protocol JSONBody: Decodable {
    /// What the field at `key` must be, for the 400 a wrongly typed value gets.
    static func requirement(of key: String) -> String
}

extension JSONBody {
    /// - Parameter notAnObject: the 400's message for a body that is not a JSON object.
    package static func decode(_ body: [UInt8], notAnObject: String = "The request body must be a JSON object.") throws(APIError) -> Self {
        do {
            return try JSONDecoder().decode(Self.self, from: Data(body))
        } catch let refused as FieldRefused {
            throw APIError.badRequest(refused.message, param: refused.param)
        } catch let error as DecodingError {
            guard let key = error.fieldPath, !key.isEmpty else { throw APIError.badRequest(notAnObject, code: "invalid_json") }
            throw APIError.badRequest(requirement(of: key), param: key)
        } catch {
            throw APIError.badRequest(notAnObject, code: "invalid_json")
        }
    }
}

/// A field a body's own decoding refuses (a key it does not take), with the 400's text.
struct FieldRefused: Error {
    var param: String
    var message: String
}

extension DecodingError {
    /// `settings.price_unit`-style path of the field the error is about; nil for the body itself.
    var fieldPath: String? {
        let path: [any CodingKey]
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        @unknown default: return nil
        }
        guard !path.isEmpty else { return nil }
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }
}
