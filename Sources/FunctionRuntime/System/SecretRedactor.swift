import Synchronization

/// Strings that must never be written back to a client, such as the provider keys a request used.
/// Every piece of a secret of `minimumPiece` or more bytes is replaced by `mask`, wherever it
/// appears: upstreams quote keys whole, cut to a prefix or suffix, or split between fields.
/// Matching compares 8-byte windows against a set of the secrets' own windows, so the cost is
/// linear in the text whatever the number of secrets; a 64 Ki-bit filter in front of the set keeps
/// ordinary text (a stream's every chunk passes here) at a bit test per byte.
public final class SecretRedactor: Sendable {
    public static let minimumPiece = 8
    public static let mask = "[redacted]"

    private struct Windows {
        var set = Set<UInt64>()
        var filter = [UInt64](repeating: 0, count: 1024)

        static func slot(_ window: UInt64) -> Int { Int(truncatingIfNeeded: (window ^ (window >> 29) ^ (window >> 47)) & 0xFFFF) }

        mutating func insert(_ window: UInt64) {
            set.insert(window)
            let slot = Self.slot(window)
            filter[slot >> 6] |= 1 << UInt64(slot & 63)
        }

        func contains(_ window: UInt64) -> Bool {
            let slot = Self.slot(window)
            return filter[slot >> 6] & (1 << UInt64(slot & 63)) != 0 && set.contains(window)
        }
    }

    private let windows = Mutex(Windows())

    public init(_ secrets: [String] = []) {
        for secret in secrets { add(secret) }
    }

    /// A secret shorter than `minimumPiece` bytes cannot be told from ordinary text and is not added.
    public func add(_ secret: String) {
        let bytes = Array(secret.utf8)
        guard bytes.count >= Self.minimumPiece else { return }
        var found: [UInt64] = []
        var window: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            window = window << 8 | UInt64(byte)
            if index >= Self.minimumPiece - 1 { found.append(window) }
        }
        windows.withLock { windows in for window in found { windows.insert(window) } }
    }

    public var isEmpty: Bool { windows.withLock { $0.set.isEmpty } }

    public func redact(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= Self.minimumPiece else { return bytes }
        let known = windows.withLock { $0 }
        guard !known.set.isEmpty else { return bytes }
        var output: [UInt8] = []
        var copiedUpTo = 0
        var run: Range<Int>?
        func flush(_ run: Range<Int>) {
            output.append(contentsOf: bytes[copiedUpTo..<run.lowerBound])
            output.append(contentsOf: Self.mask.utf8)
            copiedUpTo = run.upperBound
        }
        var window: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            window = window << 8 | UInt64(byte)
            guard index >= Self.minimumPiece - 1, known.contains(window) else { continue }
            let start = index + 1 - Self.minimumPiece
            if let current = run, start <= current.upperBound {
                run = current.lowerBound..<(index + 1)
            } else {
                if let current = run { flush(current) }
                run = start..<(index + 1)
            }
        }
        guard let last = run else { return bytes }
        flush(last)
        output.append(contentsOf: bytes[copiedUpTo...])
        return output
    }

    public func redact(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let redacted = redact(bytes)
        return redacted.count == bytes.count && redacted == bytes ? text : String(decoding: redacted, as: UTF8.self)
    }

    /// `text` with every piece of `secret` masked: for one-off strings (an error message).
    public static func redact(_ text: String, secret: String) -> String {
        SecretRedactor([secret]).redact(text)
    }
}
