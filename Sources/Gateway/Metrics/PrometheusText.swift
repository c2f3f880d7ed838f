/// Prometheus' text exposition format (0.0.4): a family's `# HELP` and `# TYPE`, then its samples,
/// each family written once and whole (as the format requires).
package struct PrometheusText {
    package enum Kind: String { case counter, gauge, histogram }

    package private(set) var text = ""

    package init() {}

    package mutating func family(_ name: String, _ kind: Kind, help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(kind.rawValue)\n"
    }

    package mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{" + labels.map { "\($0.0)=\"\(Self.escaped($0.1))\"" }.joined(separator: ",") + "}"
        }
        text += " \(Self.number(value))\n"
    }

    /// A label value with its backslashes, quotes and line breaks escaped.
    package static func escaped(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Whole numbers without a fraction; others in Swift's shortest round-tripping form, which
    /// Prometheus' parser reads (`1.5e-05`).
    package static func number(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
