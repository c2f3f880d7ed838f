import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The web console: the static files of `console/` at `/`, and Debian's Chart.js at
/// `/javascript/chart.js/` (the path Debian's javascript-common gives it). Read-only, GET and HEAD,
/// no directory listings, nothing outside the two folders; every answer carries the console's
/// security headers (the same ones deploy/nginx sets).
struct ConsoleSite: Sendable {
    let directory: String
    let chartDirectory: String

    static let chartPrefix = "/javascript/chart.js/"

    /// No inline script or style, nothing loaded or called from another origin, never framed.
    static let securityHeaders: [(HTTPField.Name, String)] = [
        (
            .contentSecurityPolicy,
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                + "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ),
        (HTTPField.Name("X-Content-Type-Options")!, "nosniff"),
        (HTTPField.Name("Referrer-Policy")!, "no-referrer"),
        (HTTPField.Name("X-Frame-Options")!, "DENY"),
        (.cacheControl, "no-cache"),
    ]

    static let contentTypes = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "css": "text/css; charset=utf-8", "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon",
        "json": "application/json", "txt": "text/plain; charset=utf-8",
    ]

    /// Where a checkout keeps the console: `console/` under the working directory, else beside the
    /// package the executable was built in (`.build/<config>/local-runner` -> `console/`).
    static func defaultDirectory(executable: String) -> String? {
        let candidates = [
            FileManager.default.currentDirectoryPath + "/console",
            URL(fileURLWithPath: executable).resolvingSymlinksInPath()
                .deletingLastPathComponent().appendingPathComponent("../../../console").standardizedFileURL.path,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/index.html") }
    }

    func respond(to request: Hummingbird.Request) -> Hummingbird.Response {
        guard request.method == .get || request.method == .head else {
            return answer(.methodNotAllowed, "text/plain; charset=utf-8", Array("Only GET and HEAD.\n".utf8), extra: [(.allow, "GET, HEAD")])
        }
        guard let file = resolve(request.uri.path), let bytes = FileManager.default.contents(atPath: file) else {
            return answer(.notFound, "text/plain; charset=utf-8", Array("Not found.\n".utf8))
        }
        let type = Self.contentTypes[URL(fileURLWithPath: file).pathExtension.lowercased()] ?? "application/octet-stream"
        return answer(.ok, type, request.method == .head ? [] : Array(bytes), length: bytes.count)
    }

    /// The file a URL path names, or nil: `..`, hidden names and anything but plain files are refused.
    func resolve(_ path: String) -> String? {
        let (root, rest): (String, Substring)
        if path.hasPrefix(Self.chartPrefix) {
            (root, rest) = (chartDirectory, path.dropFirst(Self.chartPrefix.count))
        } else {
            (root, rest) = (directory, path.dropFirst())
        }
        let segments = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard segments.allSatisfy({ !$0.hasPrefix(".") && !$0.contains("\\") && !$0.contains("\0") }) else { return nil }
        var relative = segments.joined(separator: "/")
        if relative.isEmpty || relative.hasSuffix("/") { relative += "index.html" }
        let file = root + "/" + relative
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        return file
    }

    private func answer(
        _ status: HTTPResponse.Status, _ type: String, _ body: [UInt8], length: Int? = nil,
        extra: [(HTTPField.Name, String)] = []
    ) -> Hummingbird.Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentLength] = String(length ?? body.count)
        for (name, value) in Self.securityHeaders + extra { headers[name] = value }
        return Hummingbird.Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
