/// ISO 8601 timestamps <-> Unix milliseconds, without a formatter (none is cheap to create per request).
/// Accepts `2025-02-19T00:00:00Z`, fractional seconds, `+hh:mm` offsets, and a bare date (midnight UTC).
public enum ISO8601Milliseconds {
    public static func parse(_ text: String) -> Int64? {
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
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var millis = Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400_000
        if chars.count == 10 { return millis }
        guard chars.count >= 16, chars[10] == 84 || chars[10] == 116 || chars[10] == 32, chars[13] == 58,
              let hour = number(11..<13), let minute = number(14..<16), hour < 24, minute < 60 else { return nil }
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
                    if digits < 3 { fraction = fraction * 10 + Int(chars[index] - 48); digits += 1 }
                    index += 1
                }
                while digits < 3 { fraction *= 10; digits += 1 }
                millis += Int64(fraction)
            }
        }
        if index == chars.count { return millis }  // no zone: UTC
        if chars[index] == 90 || chars[index] == 122 { return index + 1 == chars.count ? millis : nil }
        guard chars[index] == 43 || chars[index] == 45, let hours = number(index + 1..<index + 3) else { return nil }
        var offsetMinutes = hours * 60
        var end = index + 3
        if end < chars.count, chars[end] == 58 { end += 1 }
        if end < chars.count {
            guard let minutes = number(end..<end + 2) else { return nil }
            offsetMinutes += minutes
            end += 2
        }
        guard end == chars.count else { return nil }
        let sign: Int64 = chars[index] == 43 ? 1 : -1
        return millis - sign * Int64(offsetMinutes) * 60_000
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
