import Foundation
import Yams

/// `docs/openapi.yaml`, read for what it promises: its operations as `GET /functions/v1/models/{id}`,
/// with the path items it shares through `$ref` (`#/components/pathItems/...`) resolved.
struct OpenAPISpec {
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    let operations: Set<String>

    /// The repository's spec: three folders up from this file (`Tests/GatewayTests/Contract/`).
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml").path

    static func load() throws -> OpenAPISpec {
        try OpenAPISpec(yaml: String(contentsOfFile: path, encoding: .utf8))
    }

    init(yaml: String) throws {
        guard let document = try Yams.load(yaml: yaml) as? [String: Any], let paths = document["paths"] as? [String: Any] else {
            throw SpecError("the spec has no `paths` object")
        }
        var operations = Set<String>()
        for (path, item) in paths {
            let resolved = try Self.resolve(item, in: document, at: path)
            for method in Self.methods where resolved[method] != nil {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        self.operations = operations
    }

    /// A path item, or the one its `$ref` names inside this document.
    private static func resolve(_ item: Any, in document: [String: Any], at path: String) throws -> [String: Any] {
        guard let object = item as? [String: Any] else { throw SpecError("\(path) is not a path item") }
        guard let reference = object["$ref"] as? String else { return object }
        guard reference.hasPrefix("#/") else { throw SpecError("\(path): only local references are read (\(reference))") }
        var node: Any = document
        for key in reference.dropFirst(2).split(separator: "/") {
            guard let next = (node as? [String: Any])?[String(key)] else { throw SpecError("\(path): \(reference) names nothing") }
            node = next
        }
        return try resolve(node, in: document, at: path)
    }
}

struct SpecError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
