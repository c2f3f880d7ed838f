#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// UTC offsets of an IANA time zone, read from the system's compiled tzdata (`/usr/share/zoneinfo`,
/// TZif v2+), or a fixed offset (`UTC`, `+05:30`). FoundationEssentials has no time-zone database,
/// and pulling in ICU would cost every CGI start-up; this reads one small file per request.
/// Debian's tzdata carries explicit transitions up to 2037; later instants keep the last offset.
package struct TimeZoneRules: Sendable, Equatable {
    package let identifier: String
    /// Transition instants (Unix seconds, ascending) and the offset (seconds east of UTC) from each one on.
    let transitions: [Int64]
    let offsets: [Int32]
    /// Before the first transition.
    let initialOffset: Int32

    package static let utc = TimeZoneRules(identifier: "UTC", transitions: [], offsets: [], initialOffset: 0)

    package enum LoadError: Error, Equatable { case unknown(String) }

    package static func load(_ identifier: String, directory: String = "/usr/share/zoneinfo") throws(LoadError) -> TimeZoneRules {
        if identifier == "UTC" || identifier == "Z" || identifier == "Etc/UTC" || identifier == "GMT" { return .utc }
        if let fixed = fixedOffset(identifier) {
            return TimeZoneRules(identifier: identifier, transitions: [], offsets: [], initialOffset: fixed)
        }
        let allowed = identifier.allSatisfy { $0.isLetter || $0.isNumber || "/_+-".contains($0) }
        guard allowed, !identifier.hasPrefix("/"), !identifier.contains(".."), identifier.count <= 64,
            let data = FileManager.default.contents(atPath: directory + "/" + identifier),
            let rules = parse([UInt8](data), identifier: identifier)
        else { throw .unknown(identifier) }
        return rules
    }

    /// `+05:30`, `-0800`, `+01` -> seconds east of UTC.
    static func fixedOffset(_ text: String) -> Int32? {
        let chars = Array(text.utf8)
        guard chars.count >= 3, chars[0] == 43 || chars[0] == 45 else { return nil }
        let digits = chars.dropFirst().filter { $0 != 58 }
        guard digits.count == 2 || digits.count == 4, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let values = digits.map { Int32($0 - 48) }
        let hours = values[0] * 10 + values[1]
        let minutes = digits.count == 4 ? values[2] * 10 + values[3] : 0
        guard hours <= 14, minutes < 60 else { return nil }
        return (chars[0] == 43 ? 1 : -1) * (hours * 3600 + minutes * 60)
    }

    /// The v2 (64-bit) body of a TZif file.
    static func parse(_ bytes: [UInt8], identifier: String) -> TimeZoneRules? {
        func int32(_ at: Int) -> Int32? {
            guard at + 4 <= bytes.count else { return nil }
            return Int32(bitPattern: UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3]))
        }
        func int64(_ at: Int) -> Int64? {
            guard let high = int32(at), let low = int32(at + 4) else { return nil }
            return Int64(high) << 32 | Int64(UInt32(bitPattern: low))
        }
        func counts(_ at: Int) -> [Int]? {
            guard bytes.count >= at + 44, bytes[at] == 84, bytes[at + 1] == 90, bytes[at + 2] == 105, bytes[at + 3] == 102 else { return nil }
            return (0..<6).compactMap { int32(at + 20 + $0 * 4).map { Int($0) } }
        }
        guard let v1 = counts(0), v1.count == 6, bytes[4] >= 50 else { return nil }  // '2' or later
        // Skip the v1 body: isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt.
        let v1Size = v1[3] * 5 + v1[4] * 6 + v1[5] + v1[2] * 8 + v1[1] + v1[0]
        let header = 44 + v1Size
        guard let c = counts(header), c.count == 6 else { return nil }
        let (timeCount, typeCount) = (c[3], c[4])
        var at = header + 44
        var transitions: [Int64] = []
        for index in 0..<timeCount {
            guard let t = int64(at + index * 8) else { return nil }
            transitions.append(t)
        }
        at += timeCount * 8
        let typeIndexes = Array(bytes[at..<min(at + timeCount, bytes.count)])
        at += timeCount
        var typeOffsets: [Int32] = []
        var typeIsDST: [Bool] = []
        for index in 0..<typeCount {
            guard let offset = int32(at + index * 6), at + index * 6 + 4 < bytes.count else { return nil }
            typeOffsets.append(offset)
            typeIsDST.append(bytes[at + index * 6 + 4] != 0)
        }
        guard !typeOffsets.isEmpty, typeIndexes.count == timeCount, typeIndexes.allSatisfy({ Int($0) < typeCount }) else { return nil }
        let initial = zip(typeOffsets, typeIsDST).first { !$0.1 }?.0 ?? typeOffsets[0]
        return TimeZoneRules(
            identifier: identifier, transitions: transitions, offsets: typeIndexes.map { typeOffsets[Int($0)] },
            initialOffset: initial)
    }

    /// Seconds east of UTC at the instant `utcMillis`.
    package func offset(atUTC utcMillis: Int64) -> Int64 {
        let seconds = utcMillis >= 0 ? utcMillis / 1000 : (utcMillis - 999) / 1000
        var low = 0, high = transitions.count
        while low < high {
            let mid = (low + high) / 2
            if transitions[mid] <= seconds { low = mid + 1 } else { high = mid }
        }
        return Int64(low == 0 ? initialOffset : offsets[low - 1])
    }

    /// The UTC instant of a local wall-clock time (both Unix ms). In a DST gap the later offset is used;
    /// in an overlap, the earlier instant.
    package func utc(fromLocal local: Int64) -> Int64 {
        let first = local - offset(atUTC: local) * 1000
        let second = local - offset(atUTC: first) * 1000
        let early = local - offset(atUTC: first - 3_600_000 * 3) * 1000
        if offset(atUTC: early) * 1000 == local - early { return min(early, second) }
        return second
    }
}
