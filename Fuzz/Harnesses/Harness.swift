/// One fuzz target: a name (its corpus folder and symlink) and what it does with one input.
/// A harness reports a defect by trapping (`check`, `fatalError`: unlike a precondition, its
/// message survives -O): libFuzzer saves the input.
struct Harness: Sendable {
    var name: String
    var run: @Sendable ([UInt8]) -> Void

    static let all: [Harness] = [
        Harness(name: "fastcgi-records", run: FastCGIRecordHarness.run),
        Harness(name: "fastcgi-params", run: FastCGIParamsHarness.run),
        Harness(name: "fastcgi-connection", run: FastCGIConnectionHarness.run),
        Harness(name: "sse-parser", run: SSEParserHarness.run),
        Harness(name: "json-parser", run: JSONParserHarness.run),
        Harness(name: "cgi-environment", run: CGIEnvironmentHarness.run),
        Harness(name: "cgi-response-head", run: CGIResponseHeadHarness.run),
        Harness(name: "translator-openai", run: { StreamTranslatorHarness.run($0, standard: .openai) }),
        Harness(name: "translator-anthropic", run: { StreamTranslatorHarness.run($0, standard: .anthropic) }),
        Harness(name: "translator-gemini", run: { StreamTranslatorHarness.run($0, standard: .gemini) }),
    ]
}

/// An invariant the code under test must keep; a failure is a finding, reported with what broke.
func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #file, line: UInt = #line) {
    if !condition() { fatalError("invariant broken: \(message())", file: file, line: line) }
}
