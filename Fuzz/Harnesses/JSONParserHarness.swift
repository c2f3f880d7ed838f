import Foundation
import FunctionRuntime

/// The JSON parser against its oracle, FoundationEssentials' `JSONDecoder` (which it replaced and
/// means to match): both accept or both refuse, and accepted text gives the same value.
/// What the parser accepts also survives `serialized()` and parsing again.
enum JSONParserHarness {
    static func run(_ input: [UInt8]) {
        let parsed = try? JSONValue.parse(input)
        let decoded = try? JSONDecoder().decode(JSONValue.self, from: Data(input))
        // The differences on purpose: see JSONDecoderQuirks, and from 2^53 up the decoder may cut a
        // fraction off (9007199254740993.5 is 9007199254740993) where the parser keeps a double.
        var agree = parsed == decoded
        if !agree, let parsed, let decoded {
            agree = JSONDecoderQuirks.hasDuplicateNames(input) || differOnlyByCutFractions(parsed, decoded)
        } else if !agree, parsed == nil {
            agree = JSONDecoderQuirks.hasTrailingComma(input) || JSONDecoderQuirks.isUTF16or32(input)
            if !agree && JSONDecoderQuirks.hasDuplicateNames(input) {
                // The decoder never converts the members it drops: JSONSerialization, which reads them all, judges.
                agree = (try? JSONSerialization.jsonObject(with: Data(input), options: .fragmentsAllowed)) == nil
            }
        }
        check(agree, "parser and decoder disagree: \(difference(parsed, decoded))")
        guard let parsed else { return }
        let again = try? JSONValue.parse(parsed.serialized())
        check(again.map { sameNumbers($0, parsed) } ?? false, "\(parsed.serializedString) does not parse back to the same value")
    }

    /// Where two results first differ, and how: the whole values are too long to read.
    private static func difference(_ parser: JSONValue?, _ decoder: JSONValue?, at path: String = "$") -> String {
        switch (parser, decoder) {
        case (.array(let x), .array(let y)) where x.count == y.count:
            for (index, pair) in zip(x, y).enumerated() where pair.0 != pair.1 { return difference(pair.0, pair.1, at: "\(path)[\(index)]") }
        case (.object(let x), .object(let y)) where x.keys == y.keys:
            for (key, value) in x where value != y[key] { return difference(value, y[key], at: "\(path).\(key)") }
        default: break
        }
        func describe(_ value: JSONValue?) -> String { value.map { String(describing: $0).prefix(200).description } ?? "refused" }
        return "at \(path) the parser has \(describe(parser)), the decoder \(describe(decoder))"
    }

    /// Equal but where the decoder made an integer of a double from 2^53 up that is not one by its text:
    /// the two are then at most one step of the double apart.
    private static func differOnlyByCutFractions(_ parsed: JSONValue, _ decoded: JSONValue) -> Bool {
        switch (parsed, decoded) {
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(differOnlyByCutFractions)
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { differOnlyByCutFractions(value, $0) } ?? false }
        case (.double(let double), .int(let integer)):
            return double.magnitude >= 0x1p53 && (Double(integer) - double).magnitude <= double.ulp
        default: return parsed == decoded
        }
    }

    /// Equal, counting numbers equal by value: serialization writes an integral double as an integer.
    private static func sameNumbers(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(sameNumbers)
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { sameNumbers(value, $0) } ?? false }
        case (.int, .double), (.double, .int), (.double, .double): return a.doubleValue == b.doubleValue
        default: return a == b
        }
    }
}
