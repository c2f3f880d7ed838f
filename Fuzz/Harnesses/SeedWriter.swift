#if canImport(Glibc)
    import Glibc
#endif

/// Writes the committed seed corpora (`Fuzz/make-seeds.sh`; run from the repository's root):
/// FastCGI streams made by the project's own FastCGI client and responder, the recorded provider
/// streams of Tests/Fixtures/recorded, and small hand-written inputs. Deterministic, so that
/// running it again changes nothing.
enum SeedWriter {
    static func writeAll(to directory: String) {
        var seeds: [(harness: String, name: String, bytes: [UInt8])] = []
        seeds += FastCGISeeds.all()
        seeds += RecordedStreamSeeds.all(fixtures: "Tests/Fixtures/recorded")
        seeds += TextSeeds.all()
        for seed in seeds {
            let folder = "\(directory)/\(seed.harness)"
            mkdir(folder, 0o755)
            write(seed.bytes, to: "\(folder)/\(seed.name)")
        }
        print("wrote \(seeds.count) seeds under \(directory)")
    }

    static func write(_ bytes: [UInt8], to path: String) {
        guard let file = fopen(path, "wb") else { fatalError("cannot write \(path)") }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }

    static func read(_ path: String) -> [UInt8] {
        guard let file = fopen(path, "rb") else { fatalError("cannot read \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { return bytes }
            bytes += buffer[..<count]
        }
    }
}
