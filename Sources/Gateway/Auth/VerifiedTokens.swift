import GatewayStore
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Tokens this process has verified, with their caller, until they expire: a client sends the same token
/// with every request, and verifying it (signature, then jwt-kit decoding header and claims through
/// JSONDecoder) was 7 % of a FastCGI worker's CPU. Only a verified token is kept, by its exact text,
/// and never past its `exp`; past `capacity` tokens the cache starts over.
package final class VerifiedTokens: Sendable {
    package static let capacity = 1_024

    private struct Entry {
        var caller: Caller
        var expiresAt: Double
    }

    private let entries = Mutex<[String: Entry]>([:])

    package init() {}

    /// The caller of `token` if it was verified here and has not expired since.
    package func caller(of token: String, now: Double = Date().timeIntervalSince1970) -> Caller? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard now < entry.expiresAt else {
                entries[token] = nil
                return nil
            }
            return entry.caller
        }
    }

    package func keep(_ token: String, caller: Caller, expiresAt: Double) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll() }
            entries[token] = Entry(caller: caller, expiresAt: expiresAt)
        }
    }
}
