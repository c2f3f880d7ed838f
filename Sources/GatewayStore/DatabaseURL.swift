/// `GATEWAY_DATABASE_URL`: `sqlite:///absolute/path.db` (the embedded default) or `postgres://...`.
package enum DatabaseURL: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(String)

    package struct Invalid: Error, CustomStringConvertible {
        package var description: String
    }

    package init(parsing text: String) throws {
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard path.hasPrefix("/") else {
                throw Invalid(description: "GATEWAY_DATABASE_URL: a SQLite URL needs an absolute path (sqlite:///var/lib/gateway.db)")
            }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(text)
        } else {
            throw Invalid(description: "GATEWAY_DATABASE_URL must start with sqlite:// or postgres://")
        }
    }
}
