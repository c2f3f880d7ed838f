import FunctionRuntime

/// local-runner's own messages: straight to stderr, unbuffered, so they appear in order
/// with the functions' log lines even when output goes to a file.
enum Console {
    static func say(_ message: String) {
        try? FileDescriptorIO.writeAll(2, Array((message + "\n").utf8))
    }
}
