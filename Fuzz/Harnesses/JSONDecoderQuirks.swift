import FunctionRuntime

/// Where FoundationEssentials' `JSONDecoder`, the JSON harness's oracle, departs from the parser on
/// purpose. It keeps the first of duplicate member names (the parser the last, as JSONSerialization
/// does), and never converts the values it drops (malformed strings and numbers there pass); it accepts a trailing comma in an array (`[1,]`) and UTF-16 and UTF-32 text, which RFC 8259
/// (networked JSON is UTF-8) and the parser refuse. Only asked when the two disagree: may be slow.
enum JSONDecoderQuirks {
    private struct Level {
        var isObject: Bool
        var expectingName: Bool
        var names: Set<String> = []
    }

    /// Valid JSON with an object that has a member name twice (`"a"` and `"\u0061"` are the same).
    static func hasDuplicateNames(_ text: [UInt8]) -> Bool {
        var levels: [Level] = []
        var index = 0
        while index < text.count {
            switch text[index] {
            case UInt8(ascii: "\""):
                let end = stringEnd(text, from: index)
                if var level = levels.popLast() {
                    if level.isObject && level.expectingName {
                        // The token is itself JSON: the parser decodes its escapes.
                        let name = (try? JSONValue.parse(text[index...min(end, text.count - 1)]))?.stringValue ?? ""
                        if !level.names.insert(name).inserted { return true }
                        level.expectingName = false
                    }
                    levels.append(level)
                }
                index = end
            case UInt8(ascii: "{"): levels.append(Level(isObject: true, expectingName: true))
            case UInt8(ascii: "["): levels.append(Level(isObject: false, expectingName: false))
            case UInt8(ascii: "}"), UInt8(ascii: "]"): _ = levels.popLast()
            case UInt8(ascii: ","): if levels.last?.isObject == true { levels[levels.count - 1].expectingName = true }
            default: break
            }
            index += 1
        }
        return false
    }

    /// A comma outside strings followed, after whitespace, by `]` or `}`.
    static func hasTrailingComma(_ text: [UInt8]) -> Bool {
        var index = 0
        while index < text.count {
            if text[index] == UInt8(ascii: "\"") {
                index = stringEnd(text, from: index)
            } else if text[index] == UInt8(ascii: ",") {
                let next = text[(index + 1)...].first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
                if next == UInt8(ascii: "]") || next == UInt8(ascii: "}") { return true }
            }
            index += 1
        }
        return false
    }

    /// Text in UTF-16 or UTF-32 (a NUL byte or a byte order mark of theirs): never UTF-8 JSON.
    static func isUTF16or32(_ text: [UInt8]) -> Bool {
        text.contains(0) || text.starts(with: [0xFE, 0xFF]) || text.starts(with: [0xFF, 0xFE])
    }

    /// The index of the quote that closes the string opening at `start` (or the text's end).
    private static func stringEnd(_ text: [UInt8], from start: Int) -> Int {
        var end = start + 1
        while end < text.count && text[end] != UInt8(ascii: "\"") { end += text[end] == UInt8(ascii: "\\") ? 2 : 1 }
        return end
    }
}
