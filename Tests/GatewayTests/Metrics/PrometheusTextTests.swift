import Gateway
import Testing

@Suite struct PrometheusTextTests {
    @Test func aLabelValuesBackslashesQuotesAndLineBreaksAreEscaped() {
        #expect(PrometheusText.escaped(#"a\b"c"# + "\nd") == #"a\\b\"c\nd"#)
    }

    @Test(arguments: [(3.0, "3"), (0.25, "0.25"), (1.5e-05, "1.5e-05"), (Double.infinity, "+Inf")])
    func numbersAreWrittenAsPrometheusReadsThem(_ value: Double, _ text: String) {
        #expect(PrometheusText.number(value) == text)
    }

    @Test func aFamilyIsItsHelpTypeAndSamples() {
        var out = PrometheusText()
        out.family("x_total", .counter, help: "Things.")
        out.sample("x_total", [("a", "1"), ("b", "two")], 4)
        out.sample("x_total", [], 5)
        #expect(out.text == "# HELP x_total Things.\n# TYPE x_total counter\nx_total{a=\"1\",b=\"two\"} 4\nx_total 5\n")
    }
}
