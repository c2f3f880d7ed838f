/// Limits applied before a handler sees a request.
public struct InvocationLimits: Sendable {
    public static let defaultMaxBodyBytes = 10 * 1024 * 1024

    public var maxBodyBytes: Int

    public init(maxBodyBytes: Int = InvocationLimits.defaultMaxBodyBytes) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// `GATEWAY_MAX_BODY_BYTES` overrides the 10 MiB default.
    public static func fromEnvironment(_ environment: [String: String]) -> InvocationLimits {
        if let text = environment["GATEWAY_MAX_BODY_BYTES"], let value = Int(text), value > 0 {
            return InvocationLimits(maxBodyBytes: value)
        }
        return InvocationLimits()
    }
}
