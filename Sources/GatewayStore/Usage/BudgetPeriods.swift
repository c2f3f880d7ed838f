/// The UTC calendar periods budgets count in, and when they reset.
package struct BudgetPeriods: Sendable, Equatable {
    package var monthStart: Int64
    package var nextMonthStart: Int64
    package var dayStart: Int64
    package var nextDayStart: Int64

    package init(now: Int64) {
        let day: Int64 = 86_400_000
        let days = now >= 0 ? now / day : (now - day + 1) / day
        dayStart = days * day
        nextDayStart = dayStart + day
        let (year, month, _) = ISO8601Milliseconds.civilFromDays(Int(days))
        monthStart = Int64(ISO8601Milliseconds.daysFromCivil(year: year, month: month, day: 1)) * day
        let next = month == 12 ? (year + 1, 1) : (year, month + 1)
        nextMonthStart = Int64(ISO8601Milliseconds.daysFromCivil(year: next.0, month: next.1, day: 1)) * day
    }
}
