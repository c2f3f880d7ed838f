/// The structured record bodies: BEGIN_REQUEST, END_REQUEST, UNKNOWN_TYPE and name-value pairs.
package enum FastCGIRole: UInt16, Sendable {
    case responder = 1
    case authorizer = 2
    case filter = 3
}

package enum FastCGIProtocolStatus: UInt8, Sendable {
    case requestComplete = 0
    case cantMultiplexConnection = 1
    case overloaded = 2
    case unknownRole = 3
}

package struct FastCGIBeginRequest: Sendable, Equatable {
    package static let keepConnectionFlag: UInt8 = 1

    package var role: UInt16
    package var keepConnection: Bool

    package init(role: UInt16, keepConnection: Bool) {
        self.role = role
        self.keepConnection = keepConnection
    }

    package init(parsing content: [UInt8]) throws(FastCGIProtocolError) {
        guard content.count == 8 else { throw .malformedBody("BEGIN_REQUEST body is \(content.count) bytes, not 8") }
        role = UInt16(content[0]) << 8 | UInt16(content[1])
        keepConnection = content[2] & FastCGIBeginRequest.keepConnectionFlag != 0
    }

    package var encoded: [UInt8] {
        [UInt8(role >> 8), UInt8(role & 0xFF), keepConnection ? FastCGIBeginRequest.keepConnectionFlag : 0, 0, 0, 0, 0, 0]
    }
}

package struct FastCGIEndRequest: Sendable, Equatable {
    package var appStatus: UInt32
    package var protocolStatus: UInt8

    package init(appStatus: UInt32, protocolStatus: FastCGIProtocolStatus) {
        self.appStatus = appStatus
        self.protocolStatus = protocolStatus.rawValue
    }

    package init(parsing content: [UInt8]) throws(FastCGIProtocolError) {
        guard content.count == 8 else { throw .malformedBody("END_REQUEST body is \(content.count) bytes, not 8") }
        appStatus = UInt32(content[0]) << 24 | UInt32(content[1]) << 16 | UInt32(content[2]) << 8 | UInt32(content[3])
        protocolStatus = content[4]
    }

    /// The END_REQUEST record that carries this body.
    package static func record(requestID: UInt16, status: FastCGIProtocolStatus, appStatus: UInt32 = 0) -> FastCGIRecord {
        FastCGIRecord(.endRequest, requestID: requestID, content: FastCGIEndRequest(appStatus: appStatus, protocolStatus: status).encoded)
    }

    package var encoded: [UInt8] {
        [
            UInt8(appStatus >> 24), UInt8((appStatus >> 16) & 0xFF), UInt8((appStatus >> 8) & 0xFF), UInt8(appStatus & 0xFF),
            protocolStatus, 0, 0, 0,
        ]
    }
}

/// FastCGI name-value pairs (PARAMS, GET_VALUES): each length is 1 byte below 128, else 4 bytes with the top bit set.
package enum FastCGINameValuePairs {
    package static func encode(_ pairs: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (name, value) in pairs {
            let nameBytes = Array(name.utf8), valueBytes = Array(value.utf8)
            appendLength(nameBytes.count, to: &out)
            appendLength(valueBytes.count, to: &out)
            out += nameBytes
            out += valueBytes
        }
        return out
    }

    package static func decode(_ bytes: [UInt8]) throws(FastCGIProtocolError) -> [(String, String)] {
        try decode(bytes, maximumCount: .max) ?? []
    }

    /// The pairs, or nil when there are more than `maximumCount` (counted before their strings are made).
    package static func decode(_ bytes: [UInt8], maximumCount: Int) throws(FastCGIProtocolError) -> [(String, String)]? {
        var pairs: [(String, String)] = []
        var index = 0
        func length() throws(FastCGIProtocolError) -> Int {
            guard index < bytes.count else { throw .malformedBody("name-value pair truncated") }
            if bytes[index] & 0x80 == 0 {
                defer { index += 1 }
                return Int(bytes[index])
            }
            guard index + 4 <= bytes.count else { throw .malformedBody("name-value length truncated") }
            defer { index += 4 }
            return Int(bytes[index] & 0x7F) << 24 | Int(bytes[index + 1]) << 16 | Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
        }
        while index < bytes.count {
            guard pairs.count < maximumCount else { return nil }
            let nameLength = try length()
            let valueLength = try length()
            guard nameLength <= bytes.count - index, valueLength <= bytes.count - index - nameLength else {
                throw .malformedBody("name-value pair longer than its record")
            }
            let name = String(decoding: bytes[index..<index + nameLength], as: UTF8.self)
            index += nameLength
            let value = String(decoding: bytes[index..<index + valueLength], as: UTF8.self)
            index += valueLength
            pairs.append((name, value))
        }
        return pairs
    }

    private static func appendLength(_ length: Int, to out: inout [UInt8]) {
        if length < 128 {
            out.append(UInt8(length))
        } else {
            out += [UInt8((length >> 24) & 0x7F) | 0x80, UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
        }
    }
}
