/// Splits a stream into the pieces a socket or a curl callback might deliver, decided by the input
/// itself so that every run of one input is the same: the first byte is the largest piece (0: one
/// piece), the rest is the stream, cut by a small generator seeded with that byte.
struct Pieces {
    var stream: [UInt8]
    var pieces: [ArraySlice<UInt8>]

    init(_ input: [UInt8]) {
        let control = Int(input.first ?? 0)
        stream = Array(input.dropFirst())
        guard control > 0 else {
            pieces = [stream[...]]
            return
        }
        var state = UInt32(control) &* 2_654_435_761 | 1
        var cuts: [ArraySlice<UInt8>] = []
        var start = 0
        while start < stream.count {
            // xorshift32: cheap, and good enough to vary the cut points.
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            let length = 1 + Int(state % UInt32(control))
            let end = min(start + length, stream.count)
            cuts.append(stream[start..<end])
            start = end
        }
        pieces = cuts
    }
}
