/// Hand-written seeds: JSON at the edges the parser's tests name, CGI environments as nginx and
/// Apache pass them, and CGI response heads.
enum TextSeeds {
    static let json = [
        ("object", #"{"s":"x","i":-12,"d":0.25,"t":true,"f":false,"n":null,"a":[],"o":{}}"#),
        ("numbers", "[0,-0,1.0,1e2,2.5E-3,9223372036854775807,-9223372036854775808,18446744073709551616,1e308,5e-324]"),
        ("escapes", #""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#),
        ("unicode", "\"héllo 世界 🎉\""),
        ("duplicate-keys", #"{"a":1,"a":2}"#),
        ("trailing-comma", "[[1],]"),
        ("nested", String(repeating: "[", count: 40) + String(repeating: "]", count: 40)),
        (
            "chat-request",
            #"{"model":"gpt-4o","stream":true,"messages":[{"role":"system","content":"be brief"},{"role":"user","content":[{"type":"text","text":"hi"}]}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]}"#
        ),
    ]

    static let environments = [
        (
            "post-with-body",
            "REQUEST_METHOD=POST\0PATH_INFO=/items\0QUERY_STRING=a=1&b=%20x+y&c\0CONTENT_LENGTH=13\0CONTENT_TYPE=application/json\0"
                + "HTTP_AUTHORIZATION=Bearer abc\0HTTP_X_FORWARDED_FOR=10.0.0.1\0HTTP_CONTENT_LENGTH=13\0\0{\"a\":\"body\"}"
        ),
        ("get-with-placeholder", "REQUEST_METHOD=get\0PATH_INFO=/items/%41%zz\0QUERY_STRING=%\0HTTP_AUTHORIZATION=bearer  t \0\0"),
        ("no-content-length", "REQUEST_METHOD=PUT\0PATH_INFO=items\0HTTP_TRANSFER_ENCODING=chunked\0\0streamed body"),
        ("bad-content-length", "REQUEST_METHOD=POST\0PATH_INFO=/items\0CONTENT_LENGTH=-1\0\0x"),
        ("short-body", "REQUEST_METHOD=POST\0PATH_INFO=/items\0CONTENT_LENGTH=100\0\0only a few bytes"),
        ("over-the-limit", "REQUEST_METHOD=POST\0PATH_INFO=/items\0CONTENT_LENGTH=99999\0GATEWAY_MAX_BODY_BYTES=10\0\0x"),
    ]

    static let heads = [
        ("status-and-body", "Status: 201 Created\r\nContent-Type: application/json\r\n\r\n{}"),
        ("bare-lf", "Content-Type: text/plain\n\nbody"),
        ("location", "Location: /elsewhere\r\n\r\n"),
    ]

    static func all() -> [(harness: String, name: String, bytes: [UInt8])] {
        json.map { ("json-parser", $0.0, Array($0.1.utf8)) }
            + environments.map { ("cgi-environment", $0.0, Array($0.1.utf8)) }
            + heads.map { ("cgi-response-head", $0.0, Array($0.1.utf8)) }
    }
}
