/// One server-sent event: its `event:` name (if any) and its `data:` lines joined.
package struct SSEEvent: Sendable, Equatable {
    package var event: String?
    package var data: String
}

/// Splits a byte stream into server-sent events; pieces may cut lines and events anywhere.
/// Comment lines (`: keep-alive`, OpenRouter's `: OPENROUTER PROCESSING`) are skipped.
///
/// An event is held until its blank line arrives, so an upstream that never sends one could make it
/// grow without end: past `maximumEventBytes` the parser drops the event and every byte after it
/// (a stream cannot be picked up again mid-event) and raises `isOverLimit` for the caller to end the stream.
package struct SSEParser {
    /// 8 MiB: far above any chat event (a base64 image a model draws is a few MiB), far below a worker's memory.
    package static let defaultMaximumEventBytes = 8 << 20

    package let maximumEventBytes: Int
    /// The event in progress passed `maximumEventBytes`; nothing more is parsed.
    package private(set) var isOverLimit = false
    private var buffer: [UInt8] = []
    /// Bytes at the start of `buffer` already searched for a newline: a long line is scanned once, not once per piece.
    private var scanned = 0
    /// Bytes of the event in progress already taken out of `buffer` (its complete lines).
    private var eventLineBytes = 0
    private var event: String?
    private var data: [String] = []

    package init(maximumEventBytes: Int = SSEParser.defaultMaximumEventBytes) {
        self.maximumEventBytes = maximumEventBytes
    }

    /// Bytes fed since the last event ended (or was skipped): what a relay that passes events on whole still holds back.
    package var pendingBytes: Int { eventLineBytes + buffer.count }

    package mutating func feed(_ bytes: [UInt8]) -> [SSEEvent] {
        guard !isOverLimit else { return [] }
        buffer += bytes
        var events: [SSEEvent] = []
        var start = 0
        while let newline = buffer[max(start, scanned)...].firstIndex(of: 10) {
            var end = newline
            if end > start, buffer[end - 1] == 13 { end -= 1 }
            let line = String(decoding: buffer[start..<end], as: UTF8.self)
            eventLineBytes += newline + 1 - start
            start = newline + 1
            if line.isEmpty {
                if !data.isEmpty { events.append(SSEEvent(event: event, data: data.joined(separator: "\n"))) }
                event = nil
                data = []
                eventLineBytes = 0
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
        scanned = buffer.count
        if pendingBytes > maximumEventBytes {
            isOverLimit = true
            buffer = []
            data = []
            event = nil
            scanned = 0
        }
        return events
    }

    /// An event left without its blank line when the stream ended.
    package mutating func flush() -> [SSEEvent] {
        var events = buffer.isEmpty ? [] : feed([10])
        if !data.isEmpty { events.append(SSEEvent(event: event, data: data.joined(separator: "\n"))) }
        data = []
        eventLineBytes = 0
        return events
    }
}
