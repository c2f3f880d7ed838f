/// ISO 8601 timestamps <-> Unix milliseconds, without a formatter (none is cheap to create per request).
/// Accepts `2025-02-19T00:00:00Z`, fractional seconds, `+hh:mm` offsets, and a bare date (midnight UTC).
package enum ISO8601Milliseconds {
    /// What a timestamp said: `millis` is UTC when `hasZone`, otherwise a wall-clock time to place in a zone.
    package struct Parsed: Sendable, Equatable {
        package var millis: Int64
        package var hasZone: Bool
        package var isDateOnly: Bool
    }

    package static func parse(_ text: String) -> Int64? { parseDetailed(text)?.millis }

    /// 2026-02-31 is no date: it is refused, not rolled into March.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    package static func parseDetailed(_ text: String) -> Parsed? {
        let chars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= chars.count else { return nil }
            var value = 0
            for index in range {
                let c = chars[index]
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard chars.count >= 10, chars[4] == 45, chars[7] == 45,
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var millis = Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400_000
        if chars.count == 10 { return Parsed(millis: millis, hasZone: false, isDateOnly: true) }
        guard chars.count >= 16, chars[10] == 84 || chars[10] == 116 || chars[10] == 32, chars[13] == 58,
            let hour = number(11..<13), let minute = number(14..<16), hour < 24, minute < 60
        else { return nil }
        millis += Int64(hour * 3_600_000 + minute * 60_000)
        var index = 16
        if index < chars.count, chars[index] == 58 {
            guard let second = number(17..<19), second < 61 else { return nil }
            millis += Int64(second * 1000)
            index = 19
            if index < chars.count, chars[index] == 46 || chars[index] == 44 {
                index += 1
                var fraction = 0, digits = 0
                while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
                    if digits < 3 {
                        fraction = fraction * 10 + Int(chars[index] - 48)
                        digits += 1
                    }
                    index += 1
                }
                while digits < 3 {
                    fraction *= 10
                    digits += 1
                }
                millis += Int64(fraction)
            }
        }
        if index == chars.count { return Parsed(millis: millis, hasZone: false, isDateOnly: false) }
        if chars[index] == 90 || chars[index] == 122 {
            return index + 1 == chars.count ? Parsed(millis: millis, hasZone: true, isDateOnly: false) : nil
        }
        guard chars[index] == 43 || chars[index] == 45, let hours = number(index + 1..<index + 3), hours <= 14 else { return nil }
        var offsetMinutes = hours * 60
        var end = index + 3
        if end < chars.count, chars[end] == 58 { end += 1 }
        if end < chars.count {
            guard let minutes = number(end..<end + 2), minutes < 60 else { return nil }
            offsetMinutes += minutes
            end += 2
        }
        guard end == chars.count else { return nil }
        let sign: Int64 = chars[index] == 43 ? 1 : -1
        return Parsed(millis: millis - sign * Int64(offsetMinutes) * 60_000, hasZone: true, isDateOnly: false)
    }

    /// `2026-03-08T00:00:00-05:00`: a UTC instant shown at `offsetSeconds` east of UTC.
    package static func format(_ utcMillis: Int64, offsetSeconds: Int64, milliseconds: Bool = false) -> String {
        let local = utcMillis + offsetSeconds * 1000
        let days = local >= 0 ? local / 86_400_000 : (local - 86_399_999) / 86_400_000
        let secondsOfDay = (local - days * 86_400_000) / 1000
        let (year, month, day) = civilFromDays(Int(days))
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let sign = offsetSeconds < 0 ? "-" : "+"
        let offset = abs(offsetSeconds) / 60
        let zone = offsetSeconds == 0 ? "Z" : "\(sign)\(two(offset / 60)):\(two(offset % 60))"
        let millis = (local - days * 86_400_000) % 1000
        let fraction = milliseconds ? "." + String(String(millis + 1000).dropFirst()) : ""
        // Four digits at least (ISO 8601 and RFC 3339): year 1 is `0001`.
        let digits = String(abs(year))
        let paddedYear = (year < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        return
            "\(paddedYear)-\(two(Int64(month)))-\(two(Int64(day)))T\(two(secondsOfDay / 3600)):\(two(secondsOfDay / 60 % 60)):\(two(secondsOfDay % 60))\(fraction)\(zone)"
    }

    /// (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    package static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
