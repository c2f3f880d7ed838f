import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /openapi.yaml`: the functions' OpenAPI 3.1 description (`docs/openapi.yaml` of this checkout),
/// for schemathesis, client generators and people. Read on each request, so an edited spec is served
/// without a restart.
struct OpenAPIDocument: Sendable {
    static let path = "/openapi.yaml"
    /// RFC 9512's media type for YAML.
    static let contentType = "application/yaml; charset=utf-8"

    let file: String

    /// Where a checkout keeps the spec: `docs/openapi.yaml` under the working directory, else beside
    /// the package the executable was built in (`.build/<config>/local-runner` -> `docs/openapi.yaml`).
    static func defaultFile(executable: String) -> String? {
        let candidates = [
            FileManager.default.currentDirectoryPath + "/docs/openapi.yaml",
            URL(fileURLWithPath: executable).resolvingSymlinksInPath()
                .deletingLastPathComponent().appendingPathComponent("../../../docs/openapi.yaml").standardizedFileURL.path,
        ]
        return candidates.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    func respond(to request: Hummingbird.Request) -> Hummingbird.Response {
        var headers = HTTPFields()
        guard request.method == .get || request.method == .head else {
            headers[.allow] = "GET, HEAD"
            return Hummingbird.Response(status: .methodNotAllowed, headers: headers)
        }
        guard let bytes = FileManager.default.contents(atPath: file) else {
            headers[.contentType] = "text/plain; charset=utf-8"
            return Hummingbird.Response(
                status: .notFound, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: "The spec file is missing.\n")))
        }
        headers[.contentType] = Self.contentType
        headers[.contentLength] = String(bytes.count)
        headers[.cacheControl] = "no-cache"
        let body = request.method == .head ? ByteBuffer() : ByteBuffer(bytes: bytes)
        return Hummingbird.Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
