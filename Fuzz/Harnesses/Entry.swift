#if canImport(Glibc)
    import Glibc
#endif

/// libFuzzer's entry points. One binary holds every harness (one build, one link); which one runs
/// is the name the binary was started under (`.build-fuzz/fuzz/json-parser`, a symlink) or,
/// failing that, `FUZZ_HARNESS`. `-parse-as-library`: libFuzzer has the `main`.
nonisolated(unsafe) private var selected: Harness?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> Int32 {
    if getenv("FUZZ_LIST_HARNESSES") != nil {
        print(Harness.all.map(\.name).joined(separator: "\n"))
        exit(0)
    }
    if let directory = getenv("FUZZ_WRITE_SEEDS") {
        SeedWriter.writeAll(to: String(cString: directory))
        exit(0)
    }
    let invokedAs = argv.pointee?.pointee.map { String(cString: $0) } ?? ""
    let name = getenv("FUZZ_HARNESS").map { String(cString: $0) } ?? String(invokedAs.split(separator: "/").last ?? "")
    guard let harness = Harness.all.first(where: { $0.name == name }) else {
        let known = Harness.all.map(\.name).joined(separator: " ")
        print("unknown harness '\(name)': run as one of \(known) (a symlink to this binary) or set FUZZ_HARNESS")
        exit(2)
    }
    selected = harness
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selected?.run(bytes)
    return 0
}
