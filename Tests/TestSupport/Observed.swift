import Foundation

/// The first value some concurrent code reported, read after it ran.
package final class Observed: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?

    package init() {}

    package var value: String? { lock.withLock { stored } }
    package func set(_ value: String) { lock.withLock { if stored == nil { stored = value } } }
}
