/// Parses the head a function writes (CGI response: `Status:` and header lines, blank line)
/// so that local-runner can turn it into an HTTP response.
package struct CGIResponseHead: Sendable, Equatable {
    package var status: Int
    package var headers: HTTPHeaders

    /// Heads larger than this are a broken function, not a response.
    package static let maxLength = 64 * 1024

    package enum ParseError: Error, Equatable {
        case tooLong
        case malformedLine(String)
    }

    /// If `buffer` holds a complete head, returns it and the index where the body starts.
    package static func parse(_ buffer: [UInt8]) throws -> (head: CGIResponseHead, bodyStart: Int)? {
        guard let (end, bodyStart) = findBlankLine(buffer) else {
            if buffer.count > maxLength { throw ParseError.tooLong }
            return nil
        }
        var status = 200
        var headers = HTTPHeaders()
        // Split bytes, not Characters: "\r\n" is one Character in Swift.
        for rawLine in buffer[..<end].split(separator: 10) {
            let line = String(decoding: rawLine.last == 13 ? rawLine.dropLast() : rawLine, as: UTF8.self)
            guard !line.isEmpty else { continue }
            guard let colon = line.firstIndex(of: ":") else { throw ParseError.malformedLine(String(line.prefix(80))) }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " ")
            if name.lowercased() == "status" {
                guard let code = Int(value.prefix(3)), (100...599).contains(code) else {
                    throw ParseError.malformedLine(String(line.prefix(80)))
                }
                status = code
            } else if name.lowercased() == "location" && !headers.contains("Status") {
                status = 302
                headers.add(name, value)
            } else {
                headers.add(name, value)
            }
        }
        return (CGIResponseHead(status: status, headers: headers), bodyStart)
    }

    /// The end of the head (exclusive) and the start of the body; accepts CRLF and bare LF.
    private static func findBlankLine(_ buffer: [UInt8]) -> (Int, Int)? {
        var index = 0
        while index < buffer.count {
            if buffer[index] == 10 {
                if index + 1 < buffer.count && buffer[index + 1] == 10 { return (index, index + 2) }
                if index + 2 < buffer.count && buffer[index + 1] == 13 && buffer[index + 2] == 10 { return (index, index + 3) }
            }
            index += 1
        }
        return nil
    }
}
