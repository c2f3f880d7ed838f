/// Masks anything shaped like a credential before text reaches a log line whose
/// content we do not control (an unexpected error's description). Provider keys
/// have no single shape, so this errs on the side of masking: known prefixes
/// (`sk-`, `AIza`, JWTs) and any long run of key characters mixing letters and digits.
package enum CredentialRedaction {
    package static let mask = "[redacted]"

    /// An error's description, fit for a log line.
    package static func describe(_ error: any Error) -> String { redact(String(describing: error)) }

    package static func redact(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var word = ""
        for character in text {
            if isKeyCharacter(character) {
                word.append(character)
            } else {
                result += looksLikeCredential(word) ? mask : word
                word = ""
                result.append(character)
            }
        }
        result += looksLikeCredential(word) ? mask : word
        return result
    }

    static func looksLikeCredential(_ word: String) -> Bool {
        guard word.count >= 8 else { return false }
        for prefix in ["sk-", "sk_", "AIza", "eyJ", "pk-", "rk-"] where word.hasPrefix(prefix) {
            return true
        }
        guard word.count >= 24 else { return false }
        return word.contains(where: \.isLetter) && word.contains(where: \.isNumber)
    }

    private static func isKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_" || character == ".")
    }
}
