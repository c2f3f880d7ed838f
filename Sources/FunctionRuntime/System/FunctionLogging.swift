import Logging

package enum FunctionLogging {
    /// Logs go to stderr (the web server's error log under CGI and FastCGI).
    /// `GATEWAY_LOG_LEVEL`: trace, debug, info (default), notice, warning, error, critical.
    package static func bootstrap(environment: [String: String]) {
        let level = environment["GATEWAY_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
