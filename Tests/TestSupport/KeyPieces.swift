import FunctionRuntime

/// The first piece of `SecretRedactor.minimumPiece` characters of any of `keys` that `text` contains:
/// what the redaction tests assert never reaches a client.
package func keyPiece(in text: String, of keys: [String]) -> String? {
    for key in keys {
        let bytes = Array(key.utf8)
        for start in 0...(bytes.count - SecretRedactor.minimumPiece) {
            let piece = String(decoding: bytes[start..<start + SecretRedactor.minimumPiece], as: UTF8.self)
            if text.contains(piece) { return piece }
        }
    }
    return nil
}
