import GatewayStore
import Testing

@Suite struct ISO8601MillisecondsTests {
    @Test(arguments: [
        (Int64(-62_135_596_800_000), "0001-01-01T00:00:00Z"), (Int64(-59_011_459_200_000), "0100-01-01T00:00:00Z"),
        (Int64(0), "1970-01-01T00:00:00Z"), (Int64(253_402_300_799_000), "9999-12-31T23:59:59Z"),
    ])
    func aYearHasFourDigitsAtLeast(_ millis: Int64, _ text: String) {
        #expect(ISO8601Milliseconds.format(millis, offsetSeconds: 0) == text)
    }
}
