import FunctionRuntime

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A management answer's shape, as an `Encodable` struct: the fields and their types are the API.
/// The functions embed answers in lists and audit snapshots, so they meet as `JSONValue`.
package protocol JSONResponse: Encodable {}

extension JSONResponse {
    package var json: JSONValue {
        // Encoding plain structs of strings, numbers and JSONValue cannot fail; an empty object is never sent.
        guard let bytes = try? JSONEncoder().encode(self), let value = try? JSONValue.parse(Array(bytes)) else { return [:] }
        return value
    }
}

/// An optional field that is part of the shape: `null` when there is no value (a plain optional would be left out).
@propertyWrapper
package struct NullWhenAbsent<Value: Encodable>: Encodable {
    package var wrappedValue: Value?

    package init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension NullWhenAbsent: Sendable where Value: Sendable {}
