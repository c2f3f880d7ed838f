/// One field of a change (`PUT`): left out (keep what is stored), `null` (clear it) or a value (set it).
/// A plain optional cannot tell the first two apart.
package enum Patch<Value> {
    case absent
    case null
    case value(Value)

    /// The value to store: `current` when absent, nil when cleared.
    package func applied(to current: Value?) -> Value? {
        switch self {
        case .absent: current
        case .null: nil
        case .value(let value): value
        }
    }

    /// The value, when one was sent.
    package var value: Value? { if case .value(let value) = self { value } else { nil } }

    package var isAbsent: Bool { if case .absent = self { true } else { false } }
}

extension Patch: Sendable where Value: Sendable {}
extension Patch: Equatable where Value: Equatable {}

extension Patch: Decodable where Value: Decodable {
    /// A patch outside a keyed container (an array element): `null` or a value.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .null : .value(try container.decode(Value.self))
    }
}

extension KeyedDecodingContainer {
    /// A missing key is `.absent` instead of an error (synthesized `Decodable` calls this overload).
    package func decode<Value: Decodable>(_ type: Patch<Value>.Type, forKey key: Key) throws -> Patch<Value> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(Value.self, forKey: key))
    }
}
