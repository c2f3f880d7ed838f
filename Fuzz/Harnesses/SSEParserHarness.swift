import GatewayProviders

/// The upstream event-stream parser: the events must not depend on where the reads ended (a curl
/// callback cuts anywhere: inside a CRLF, a UTF-8 sequence, a field name).
enum SSEParserHarness {
    static func run(_ input: [UInt8]) {
        let pieces = Pieces(input)
        let whole = events([pieces.stream[...]])
        let cut = events(pieces.pieces)
        check(whole == cut, "events depend on where the reads ended")
        // Each event came from at least one `data` line, so the stream held at least that many lines.
        check(whole.count <= pieces.stream.filter { $0 == 10 }.count + 1, "more events than lines")
    }

    private static func events(_ pieces: [ArraySlice<UInt8>]) -> [SSEEvent] {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for piece in pieces { events += parser.feed(Array(piece)) }
        return events + parser.flush()
    }
}
