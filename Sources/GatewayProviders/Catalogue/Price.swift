import FunctionRuntime

/// Prices are stored in USD per 1M tokens. Providers publish them per token (OpenRouter, as
/// decimal strings), per 1K or per 1M tokens. Converting by moving the decimal point in the text,
/// rather than multiplying doubles, keeps them exact: `"0.0000002"` per token is `0.2`, not `0.19999999999999998`.
package enum Price {
    /// A provider's price unit (`settings.price_unit`).
    package enum Unit: String, Sendable {
        case perToken = "per_token"
        case perThousand = "per_1k"
        case perMillion = "per_1m"

        var decimalShift: Int {
            switch self {
            case .perToken: 6
            case .perThousand: 3
            case .perMillion: 0
            }
        }
    }

    package enum Parsed: Equatable, Sendable {
        case perMillion(Double)
        /// Negative (OpenRouter's `"-1"`): the price depends on the request, as for the `openrouter/auto` router.
        case variable
    }

    /// A JSON price (decimal string or number) in `unit`; `nil` when missing or not a number.
    package static func parse(_ value: JSONValue?, unit: Unit) -> Parsed? {
        switch value {
        case .string(let text)?: return parse(text, unit: unit)
        case .int(let number)?: return parse(String(number), unit: unit)
        // Swift prints the shortest text that reads back as the same double: 0.15 -> "0.15".
        case .double(let number)?: return number.isFinite ? parse("\(number)", unit: unit) : nil
        default: return nil
        }
    }

    package static func parse(_ text: String, unit: Unit) -> Parsed? {
        let trimmed = text.trimmingCharacters(in: " ")
        guard let value = Double(trimmed), value.isFinite else { return nil }
        if value < 0 { return .variable }
        return shifted(trimmed, by: unit.decimalShift).flatMap(Double.init).map(Parsed.perMillion)
    }

    /// `"1.5e-7"` shifted by 6 -> `"0.15"`: decimal arithmetic on the digits.
    static func shifted(_ text: String, by places: Int) -> String? {
        let parts = text.split(whereSeparator: { $0 == "e" || $0 == "E" })
        guard let mantissa = parts.first, parts.count <= 2 else { return nil }
        let exponent = parts.count == 2 ? Int(parts[1]) : 0
        // No price needs more than 30 places either way; larger exponents would overflow or build huge strings.
        guard let exponent, abs(exponent) <= 30 else { return nil }
        let halves = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = halves[0].hasPrefix("+") ? String(halves[0].dropFirst()) : String(halves[0])
        let digits = whole + (halves.count > 1 ? String(halves[1]) : "")
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return nil }
        let point = whole.count + places + exponent
        if point <= 0 { return "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return digits + String(repeating: "0", count: point - digits.count) }
        return String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
    }
}
