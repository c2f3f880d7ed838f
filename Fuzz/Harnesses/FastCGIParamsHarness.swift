import FunctionRuntime

/// The name-value pair decoder (PARAMS, GET_VALUES) on arbitrary bytes: it throws or returns pairs
/// that encode back to a stream that decodes to the same pairs; the count limit holds, and is
/// applied before the pairs are made (the byte after the first is the limit).
enum FastCGIParamsHarness {
    static func run(_ input: [UInt8]) {
        let limit = Int(input.first ?? 0)
        let bytes = Array(input.dropFirst())
        let unlimited = try? FastCGINameValuePairs.decode(bytes)
        let limited: [(String, String)]??
        do {
            limited = .some(try FastCGINameValuePairs.decode(bytes, maximumCount: limit))
        } catch {
            limited = .none
        }
        guard let pairs = unlimited else {
            // Malformed: the limited decode refuses too, or stops at the limit before reaching the fault.
            if case .some(.some) = limited { fatalError("invariant broken: a limit made a malformed stream decode") }
            return
        }
        switch limited {
        case .some(.some(let few)):
            check(few.count <= limit, "more pairs than the limit")
            check(same(few, pairs), "the limited decode differs from the unlimited one")
        case .some(.none):
            check(pairs.count > limit, "refused as over the limit with \(pairs.count) pairs, limit \(limit)")
        case .none:
            fatalError("invariant broken: a limit made a well-formed stream malformed")
        }
        let again = try? FastCGINameValuePairs.decode(FastCGINameValuePairs.encode(pairs))
        check(again.map { same($0, pairs) } ?? false, "pairs do not survive encoding and decoding")
    }

    private static func same(_ a: [(String, String)], _ b: [(String, String)]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}
