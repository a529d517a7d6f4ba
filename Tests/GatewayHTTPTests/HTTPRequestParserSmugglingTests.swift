import GatewayHTTP
import Testing

/// A request the parser must refuse, and the exact status it must answer.
struct RefusedCase: CustomTestStringConvertible, Sendable {
    var name: String
    var raw: [UInt8]
    var status: Int
    init(_ name: String, _ raw: String, _ status: Int) {
        self.name = name
        self.raw = Array(raw.utf8)
        self.status = status
    }
    init(_ name: String, bytes: [UInt8], _ status: Int) {
        self.name = name
        self.raw = bytes
        self.status = status
    }
    var testDescription: String { name }
}

private let post = "POST / HTTP/1.1\r\nHost: a\r\n"
private let chunkedBody = "\r\n\r\n3\r\nabc\r\n0\r\n\r\n"

/// Request smuggling and desynchronisation attempts (CL.TE, TE.CL, TE.TE and
/// friends), plus framing and syntax errors.
let refusedCases: [RefusedCase] = [
    // CL.TE / TE.CL: both framings at once.
    RefusedCase("CL then TE", post + "Content-Length: 6\r\nTransfer-Encoding: chunked" + chunkedBody, 400),
    RefusedCase("TE then CL", post + "Transfer-Encoding: chunked\r\nContent-Length: 3" + chunkedBody, 400),
    RefusedCase("TE with CL zero", post + "Transfer-Encoding: chunked\r\nContent-Length: 0" + chunkedBody, 400),
    // TE.TE obfuscations.
    RefusedCase("TE xchunked", post + "Transfer-Encoding: xchunked" + chunkedBody, 400),
    RefusedCase("TE chunkedx", post + "Transfer-Encoding: chunkedx" + chunkedBody, 400),
    RefusedCase("space before colon", post + "Transfer-Encoding : chunked" + chunkedBody, 400),
    RefusedCase("tab before colon", post + "Transfer-Encoding\t: chunked" + chunkedBody, 400),
    RefusedCase("TE chunked then TE x", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: x" + chunkedBody, 400),
    RefusedCase("TE chunked, identity", post + "Transfer-Encoding: chunked, identity" + chunkedBody, 400),
    RefusedCase("TE identity", post + "Transfer-Encoding: identity\r\nContent-Length: 3\r\n\r\nabc", 400),
    RefusedCase("TE identity alone", post + "Transfer-Encoding: identity\r\n\r\n", 400),
    RefusedCase("TE gzip, chunked", post + "Transfer-Encoding: gzip, chunked" + chunkedBody, 501),
    RefusedCase("TE gzip then chunked in two fields", post + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked" + chunkedBody, 501),
    RefusedCase("TE chunked twice", post + "Transfer-Encoding: chunked, chunked" + chunkedBody, 400),
    RefusedCase("TE chunked with parameter", post + "Transfer-Encoding: chunked;q=1" + chunkedBody, 400),
    RefusedCase("TE empty", post + "Transfer-Encoding: \r\n\r\n", 400),
    RefusedCase("TE empty element", post + "Transfer-Encoding: ,chunked" + chunkedBody, 400),
    RefusedCase("TE quoted", post + "Transfer-Encoding: \"chunked\"" + chunkedBody, 400),
    RefusedCase("TE vertical tab", post + "Transfer-Encoding:\u{0B}chunked" + chunkedBody, 400),
    RefusedCase("TE form feed", post + "Transfer-Encoding:\u{0C}chunked" + chunkedBody, 400),
    RefusedCase("TE NUL in value", post + "Transfer-Encoding: chunked\u{0}" + chunkedBody, 400),
    RefusedCase("NUL in name", post + "Transfer-Encoding\u{0}: chunked" + chunkedBody, 400),
    RefusedCase("TE split by obs-fold", post + "Transfer-Encoding:\r\n chunked" + chunkedBody, 400),
    RefusedCase("TE hidden in obs-fold", post + "X-Pad: y\r\n Transfer-Encoding: chunked" + chunkedBody, 400),
    RefusedCase("obs-fold with tab", post + "X-A: b\r\n\tcontinued\r\n\r\n", 400),
    RefusedCase("TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked" + chunkedBody, 400),
    // Content-Length abuse.
    RefusedCase("differing duplicate CL", post + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
    RefusedCase("differing CL list", post + "Content-Length: 3, 4\r\n\r\nabcd", 400),
    RefusedCase("empty CL", post + "Content-Length: \r\n\r\n", 400),
    RefusedCase("CL empty list element", post + "Content-Length: 3,,3\r\n\r\nabc", 400),
    RefusedCase("negative CL", post + "Content-Length: -1\r\n\r\n", 400),
    RefusedCase("plus-sign CL", post + "Content-Length: +3\r\n\r\nabc", 400),
    RefusedCase("hex CL", post + "Content-Length: 0x3\r\n\r\nabc", 400),
    RefusedCase("CL with inner space", post + "Content-Length: 1 0\r\n\r\n", 400),
    RefusedCase("CL with decimal point", post + "Content-Length: 3.0\r\n\r\nabc", 400),
    RefusedCase("overflowing CL", post + "Content-Length: 99999999999999999999999\r\n\r\n", 400),
    RefusedCase("CL over the body limit", post + "Content-Length: 10485761\r\n\r\n", 413),
    // Chunk framing.
    RefusedCase("chunk size overflow", post + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nabc\r\n0\r\n\r\n", 400),
    RefusedCase("chunk size of 16 digits over the limit", post + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n", 413),
    RefusedCase("chunk size with 0x prefix", post + "Transfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n", 400),
    RefusedCase("negative chunk size", post + "Transfer-Encoding: chunked\r\n\r\n-3\r\nabc\r\n0\r\n\r\n", 400),
    RefusedCase("non-hex chunk size", post + "Transfer-Encoding: chunked\r\n\r\ng\r\n", 400),
    RefusedCase("empty chunk size", post + "Transfer-Encoding: chunked\r\n\r\n\r\nabc\r\n", 400),
    RefusedCase("chunk size with trailing space, no extension", post + "Transfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n", 400),
    RefusedCase("chunk data longer than declared", post + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n", 400),
    RefusedCase("chunk data without CRLF", post + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc0\r\n\r\n", 400),
    RefusedCase("chunk data followed by bare LF", post + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\n0\r\n\r\n", 400),
    RefusedCase("LF-only chunk line", post + "Transfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", 400),
    RefusedCase("bare LF in chunk extension", post + "Transfer-Encoding: chunked\r\n\r\n3;a\nb\r\nabc\r\n0\r\n\r\n", 400),
    RefusedCase("LF-only last chunk", post + "Transfer-Encoding: chunked\r\n\r\n0\n\n", 400),
    RefusedCase("LF-only end of trailers", post + "Transfer-Encoding: chunked\r\n\r\n0\r\n\n", 400),
    RefusedCase("obs-fold in trailer", post + "Transfer-Encoding: chunked\r\n\r\n0\r\nA: b\r\n c\r\n\r\n", 400),
    RefusedCase("bad trailer name", post + "Transfer-Encoding: chunked\r\n\r\n0\r\nA b: c\r\n\r\n", 400),
    RefusedCase("control byte in trailer", post + "Transfer-Encoding: chunked\r\n\r\n0\r\nA: \u{1}\r\n\r\n", 400),
    // Line endings.
    RefusedCase("LF-only request", "GET / HTTP/1.1\nHost: a\n\n", 400),
    RefusedCase("LF-only header line", "GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", 400),
    RefusedCase("LF-only end of head", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400),
    RefusedCase("bare CR in header value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400),
    RefusedCase("bare CR in request line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("bare LF before request line", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("bare CR before request line", "\rGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("too many leading empty lines", String(repeating: "\r\n", count: 9) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    // Field syntax.
    RefusedCase("empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", 400),
    RefusedCase("field without colon", "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400),
    RefusedCase("separator in field name", "GET / HTTP/1.1\r\nHost: a\r\nX(y): v\r\n\r\n", 400),
    RefusedCase("non-ASCII field name", "GET / HTTP/1.1\r\nHost: a\r\nX-\u{e9}: v\r\n\r\n", 400),
    RefusedCase("DEL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{7F}\r\n\r\n", 400),
    RefusedCase("escape in value", "GET / HTTP/1.1\r\nHost: a\r\nX: \u{1B}[31m\r\n\r\n", 400),
    RefusedCase("whitespace before first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400),
    RefusedCase("invalid UTF-8 value", bytes: Array("GET / HTTP/1.1\r\nHost: a\r\nX: ".utf8) + [0xFF, 0xFE]
                + Array("\r\n\r\n".utf8), 400),
    // Host.
    RefusedCase("missing Host in HTTP/1.1", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400),
    RefusedCase("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
    RefusedCase("two Host fields in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n", 400),
    RefusedCase("Host with userinfo", "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", 400),
    RefusedCase("Host with path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
    RefusedCase("Host with space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
    // Request line.
    RefusedCase("invalid method character", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("empty method", " / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("two spaces after method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("two spaces before version", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("tab separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("trailing space after version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400),
    RefusedCase("missing version (HTTP/0.9)", "GET /\r\n\r\n", 400),
    RefusedCase("lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
    RefusedCase("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505),
    RefusedCase("HTTP/0.9 with version", "GET / HTTP/0.9\r\n\r\n", 505),
    RefusedCase("absolute-form target", "GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("authority-form target", "GET a:80 HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("CONNECT", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", 501),
    RefusedCase("asterisk with GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("fragment in target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("backslash in target", "GET /a\\..\\b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("NUL in target", "GET /a\u{0}b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("non-ASCII in target", "GET /caf\u{e9} HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("malformed percent-escape", "GET /a%2 HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    RefusedCase("non-hex percent-escape", "GET /a%zz HTTP/1.1\r\nHost: a\r\n\r\n", 400),
]

@Suite("HTTPRequestParser: refused requests")
struct HTTPRequestParserSmugglingTests {
    @Test("refuses with the exact status", arguments: refusedCases)
    func refuses(_ c: RefusedCase) {
        let run = drive([c.raw])
        #expect(run.status == c.status, "\(run.error.map(String.init(describing:)) ?? "accepted: \(run.events)")")
        #expect(run.error?.reason.isEmpty == false)
    }

    @Test("the status does not depend on how the bytes arrive", arguments: refusedCases)
    func refusesByteByByte(_ c: RefusedCase) {
        #expect(driveByteByByte(c.raw).status == c.status)
    }

    @Test func noBodyByteIsReportedBeforeAFramingError() {
        // Conflicting framing is refused at the head: nothing of the body leaks.
        let run = drive(post + "Content-Length: 3\r\nTransfer-Encoding: chunked" + chunkedBody)
        #expect(run.events.isEmpty)
    }
}
