/// Masks a captured request or response body for the debug log.
///
/// The declared `Content-Type` is a hint, never trusted alone:
/// 1. A `Content-Encoding` other than `identity` (gzip, br, …) cannot be
///    inspected: `[encoded body (gzip): N bytes not logged]`.
/// 2. Bytes that look binary (a NUL, or more than 1 in 10 bytes invalid UTF-8
///    or control characters) are never logged: `[binary body: N bytes not logged]`.
/// 3. Remaining invalid UTF-8 bytes become U+FFFD.
/// 4. The format is sniffed: a body opening with `{` or `[` is walked as JSON
///    whatever it was declared as; `multipart/*` with a boundary the body uses,
///    or any body whose first line is a multipart delimiter, part by part;
///    declared or look-alike form data as form data; JSON-declared scalars and
///    everything else as text. Every leaf of every format also goes through
///    the text rules (`key=value` secrets, PII).
///
/// Truncated bodies (cut at the capture cap): the cut may leave the start of a
/// value that no detector recognises any more (`4111 1111 1111`, `ann@exam`,
/// `eyJhbGciOi`). So before masking, the last token before the cut — back to
/// the previous space, quote, bracket, `,`, `;`, `&`, `=` or `<>`, and further
/// back over digit groups joined by spaces or dashes — is dropped, and
/// `[cut]` is written in its place.
struct BodyMasker: Sendable {
    var text: TextMasker

    func mask(_ body: UnsafeBufferPointer<UInt8>, contentType: String?, contentEncoding: String?,
              truncated: Bool) -> [UInt8] {
        if let encoding = contentEncoding?.trimmingSpaces, !encoding.isEmpty, encoding.lowercased() != "identity" {
            return Array("[encoded body (\(encoding.prefix(32))): \(body.count) bytes not logged]".utf8)
        }
        var length = body.count
        if truncated {
            length = UTF8Sanitizer.lengthWithoutCutSequence(body)
            length = Self.startOfCutToken(UnsafeBufferPointer(rebasing: body[..<length]))
        }
        let kept = UnsafeBufferPointer(rebasing: body[..<length])
        let report = UTF8Sanitizer.scan(kept)
        if report.looksBinary(length: kept.count) {
            return Array("[binary body: \(body.count) bytes not logged]".utf8)
        }
        var out: [UInt8] = []
        out.reserveCapacity(kept.count + 64)
        if report.invalidBytes > 0 {
            UTF8Sanitizer.repaired(kept).withUnsafeBufferPointer { maskText($0, contentType: contentType, to: &out) }
        } else {
            maskText(kept, contentType: contentType, to: &out)
        }
        if truncated { out.append("[cut]") }
        return out
    }

    /// Masks valid UTF-8 by its sniffed format.
    private func maskText(_ buf: UnsafeBufferPointer<UInt8>, contentType: String?, to out: inout [UInt8]) {
        let media = MediaType(contentType)
        var first = 0
        while first < buf.count, ByteClass.isSpace(buf[first]) { first += 1 }
        let opener: UInt8 = first < buf.count ? buf[first] : 0
        if let boundary = MultipartMasker.boundary(of: buf, declared: media.isMultipart ? media.boundary : nil) {
            MultipartMasker(text: text).append(buf, boundary: boundary, body: self, to: &out)
        } else if opener == UInt8(ascii: "{") || opener == UInt8(ascii: "[") {
            JSONMasker(text: text).append(buf, to: &out)
        } else if media.isForm || Self.looksLikeForm(buf) {
            FormMasker(text: text).append(buf, to: &out)
        } else {
            text.append(buf, to: &out)
        }
    }

    /// `a=1&b=two`: no whitespace inside, a `=` after a name-like first run.
    static func looksLikeForm(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        var end = buf.count
        while end > 0, ByteClass.isSpace(buf[end - 1]) { end -= 1 }
        guard end > 0 else { return false }
        var sawEquals = false
        for i in 0..<end {
            let b = buf[i]
            if ByteClass.isSpace(b) || b == UInt8(ascii: "\"") || b == UInt8(ascii: "{") || b == UInt8(ascii: "<") {
                return false
            }
            if b == UInt8(ascii: "=") {
                if i == 0 { return false }
                sawEquals = true
            }
        }
        return sawEquals
    }

    /// Where the token cut by the capture cap starts (see the type's notes).
    static func startOfCutToken(_ buf: UnsafeBufferPointer<UInt8>) -> Int {
        @inline(__always) func isDelimiter(_ b: UInt8) -> Bool {
            ByteClass.isSpace(b) || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: "{")
                || b == UInt8(ascii: "}") || b == UInt8(ascii: "[") || b == UInt8(ascii: "]") || b == UInt8(ascii: "(")
                || b == UInt8(ascii: ")") || b == UInt8(ascii: ",") || b == UInt8(ascii: ";") || b == UInt8(ascii: "&")
                || b == UInt8(ascii: "=") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">")
        }
        var s = buf.count
        while s > 0, !isDelimiter(buf[s - 1]) { s -= 1 }
        // Digit groups joined by a space or dash belong to the same number.
        while s >= 2, buf[s - 1] == 0x20 || buf[s - 1] == UInt8(ascii: "-"), ByteClass.isDigit(buf[s - 2]),
              s == buf.count || ByteClass.isDigit(buf[s]) || buf[s] == UInt8(ascii: "+") || buf[s] == UInt8(ascii: "(") {
            s -= 1
            while s > 0, !isDelimiter(buf[s - 1]) { s -= 1 }
        }
        return s
    }
}

/// The parts of a `Content-Type` value the body masker looks at.
struct MediaType {
    var type: String
    var boundary: String?

    init(_ value: String?) {
        guard let value else { type = ""; return }
        let parts = value.split(separator: ";", omittingEmptySubsequences: false)
        type = (parts.first.map(String.init) ?? "").trimmingSpaces.lowercased()
        boundary = MultipartMasker.parameter("boundary", in: " " + parts.dropFirst().joined(separator: ";"))
            .flatMap { $0.isEmpty ? nil : $0 }
    }

    var isMultipart: Bool { type.hasPrefix("multipart/") }
    var isForm: Bool { type == "application/x-www-form-urlencoded" }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
