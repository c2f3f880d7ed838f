import FunctionRuntime
import GatewayStore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Embeddings for one upstream wire format (formats without embeddings have none).
package protocol EmbeddingsAdapter: Sendable {
    func makeRequest(_ request: EmbeddingsRequest, model: String, provider: CatalogueProvider, apiKey: String) throws(APIError) -> UpstreamRequest
    /// A successful upstream answer -> OpenAI's embeddings list. Throws `UpstreamStreamError` for an answer that is not one.
    func translateResponse(_ body: [UInt8], request: EmbeddingsRequest, model: String) throws -> EmbeddingsResult
}

/// Vectors in OpenAI's list shape, as floats or as base64 of little-endian float32s.
package enum EmbeddingVectors {
    package static func list(_ vectors: [[Double]], model: String, promptTokens: Int, base64: Bool) -> JSONValue {
        let data = vectors.enumerated().map { index, vector -> JSONValue in
            ["object": "embedding", "index": .int(index), "embedding": base64 ? .string(encoded(vector)) : .array(vector.map(JSONValue.double))]
        }
        return [
            "object": "list", "data": .array(data), "model": .string(model),
            "usage": ["prompt_tokens": .int(promptTokens), "total_tokens": .int(promptTokens)],
        ]
    }

    package static func encoded(_ vector: [Double]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(vector.count * 4)
        for value in vector {
            let bits = Float(value).bitPattern
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt32(shift))) }
        }
        return Data(bytes).base64EncodedString()
    }
}
