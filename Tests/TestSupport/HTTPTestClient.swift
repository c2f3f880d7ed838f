import Foundation
import FunctionRuntime

/// A minimal HTTP/1.1 client over a raw socket that records when each piece of the
/// body arrived, so that tests can prove a response streamed rather than arrived at once.
package struct HTTPTestClient: Sendable {
    package struct TimedResponse {
        package var status: Int
        package var headers: [String: String]
        package var body: [UInt8]
        /// Each decoded body piece with the wall-clock time (epoch ms) it was read.
        package var pieces: [(receivedAtMs: Int, bytes: [UInt8])]

        package var text: String { String(decoding: body, as: UTF8.self) }

        package var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        }

        /// SSE `data:` payloads with the time the event was complete at the client.
        package var events: [(receivedAtMs: Int, data: String)] {
            var result: [(Int, String)] = []
            var buffer = ""
            for piece in pieces {
                buffer += String(decoding: piece.bytes, as: UTF8.self)
                while let range = buffer.range(of: "\n\n") {
                    let event = String(buffer[..<range.lowerBound])
                    buffer.removeSubrange(..<range.upperBound)
                    for line in event.split(separator: "\n") where line.hasPrefix("data: ") {
                        result.append((piece.receivedAtMs, String(line.dropFirst(6))))
                    }
                }
            }
            return result
        }
    }

    package let host: String
    package let port: UInt16

    package init(host: String = "127.0.0.1", port: UInt16) {
        self.host = host
        self.port = port
    }

    package func request(
        _ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = [],
        closeAfterBytes: Int? = nil
    ) throws -> TimedResponse {
        let fd = try Socket.connect(to: .tcp(host: host, port: port))
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try FileDescriptorIO.writeAll(fd, Array(head.utf8) + body)

        var raw: [UInt8] = []
        var arrivals: [(offset: Int, time: Int)] = []
        while true {
            let chunk = try FileDescriptorIO.read(fd)
            if chunk.isEmpty { break }
            arrivals.append((raw.count, epochMilliseconds()))
            raw += chunk
            if let limit = closeAfterBytes, raw.count >= limit { break }
        }
        return try parse(raw, arrivals: arrivals)
    }

    private func parse(_ raw: [UInt8], arrivals: [(offset: Int, time: Int)]) throws -> TimedResponse {
        guard let headEnd = find([13, 10, 13, 10], in: raw, from: 0) else {
            throw TestFailure("no complete response head in \(raw.count) bytes")
        }
        let headText = String(decoding: raw[..<headEnd], as: UTF8.self)
        let lines = headText.components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let bodyStart = headEnd + 4
        func time(at offset: Int) -> Int { arrivals.last { $0.offset <= offset }?.time ?? 0 }

        var pieces: [(Int, [UInt8])] = []
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            var index = bodyStart
            while let lineEnd = find([13, 10], in: raw, from: index) {
                let sizeText = String(decoding: raw[index..<lineEnd], as: UTF8.self).split(separator: ";")[0]
                guard let size = Int(sizeText, radix: 16) else { break }
                if size == 0 { break }
                let start = lineEnd + 2
                let end = min(start + size, raw.count)
                pieces.append((time(at: end - 1), Array(raw[start..<end])))
                index = end + 2
            }
        } else {
            // Split the plain body at read boundaries, keeping each read's arrival time.
            let boundaries = arrivals.map(\.offset).filter { $0 > bodyStart } + [raw.count]
            var start = bodyStart
            for end in boundaries where end > start {
                pieces.append((time(at: start), Array(raw[start..<end])))
                start = end
            }
        }
        return TimedResponse(
            status: status, headers: headers, body: pieces.flatMap(\.1),
            pieces: pieces.map { (receivedAtMs: $0.0, bytes: $0.1) }
        )
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where Array(haystack[index..<index + needle.count]) == needle {
            return index
        }
        return nil
    }
}

package struct TestFailure: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
