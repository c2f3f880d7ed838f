/// One server-sent event: its `event:` name (if any) and its `data:` lines joined.
package struct SSEEvent: Sendable, Equatable {
    package var event: String?
    package var data: String
}

/// Splits a byte stream into server-sent events; pieces may cut lines and events anywhere.
/// Comment lines (`: keep-alive`, OpenRouter's `: OPENROUTER PROCESSING`) are skipped.
package struct SSEParser {
    private var buffer: [UInt8] = []
    private var event: String?
    private var data: [String] = []

    package init() {}

    package mutating func feed(_ bytes: [UInt8]) -> [SSEEvent] {
        buffer += bytes
        var events: [SSEEvent] = []
        var start = 0
        while let newline = buffer[start...].firstIndex(of: 10) {
            var end = newline
            if end > start, buffer[end - 1] == 13 { end -= 1 }
            let line = String(decoding: buffer[start..<end], as: UTF8.self)
            start = newline + 1
            if line.isEmpty {
                if !data.isEmpty { events.append(SSEEvent(event: event, data: data.joined(separator: "\n"))) }
                event = nil
                data = []
            } else if line.hasPrefix(":") {
                continue
            } else if let colon = line.firstIndex(of: ":") {
                let field = line[..<colon]
                var value = line[line.index(after: colon)...]
                if value.first == " " { value = value.dropFirst() }
                if field == "data" { data.append(String(value)) } else if field == "event" { event = String(value) }
            } else if line == "data" {
                data.append("")
            }
        }
        buffer.removeFirst(start)
        return events
    }

    /// An event left without its blank line when the stream ended.
    package mutating func flush() -> [SSEEvent] {
        var events = buffer.isEmpty ? [] : feed([10])
        if !data.isEmpty { events.append(SSEEvent(event: event, data: data.joined(separator: "\n"))) }
        data = []
        return events
    }
}
