/// Masks `multipart/form-data` (and other multipart) bodies part by part.
///
/// Part headers are masked as text. A part whose `name` (or RFC 2231 `name*`) is
/// a secret key gets `[redacted]`; a file part (`filename=`, `filename*=`) gets
/// `[file: N bytes not logged]`; a part in a transfer encoding that hides its
/// text (`Content-Transfer-Encoding` other than `7bit`, `8bit`, `binary`) gets
/// `[encoded part (base64): N bytes not logged]`; any other part's content is
/// masked like a body of its own `Content-Type` and `Content-Encoding`.
/// Without a usable boundary the body is masked as text.
struct MultipartMasker: Sendable {
    var text: TextMasker

    /// The boundary to split `buf` on: the declared one when the body uses it,
    /// else the one its first line announces (`--boundary`), whatever the body
    /// was declared as — a multipart body sent as `text/plain`, or with a stale
    /// boundary, still has its secret parts redacted.
    static func boundary(of buf: UnsafeBufferPointer<UInt8>, declared: String?) -> [UInt8]? {
        if let declared {
            let bytes = Array(declared.utf8)
            if find(Array("--".utf8) + bytes, in: buf, from: 0) != nil { return bytes }
        }
        return leadingBoundary(buf) ?? declared.map { Array($0.utf8) }
    }

    /// The boundary of a body whose first non-blank line is `--boundary` (RFC 2046
    /// §5.1.1: 1–70 printable characters, not ending in a space), or nil.
    static func leadingBoundary(_ buf: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var i = 0
        while i < buf.count, ByteClass.isSpace(buf[i]) { i += 1 }
        guard i + 2 < buf.count, buf[i] == UInt8(ascii: "-"), buf[i + 1] == UInt8(ascii: "-") else { return nil }
        let start = i + 2
        var end = start
        while end < buf.count, buf[end] >= 0x20, buf[end] < 0x7F, end - start <= 70 { end += 1 }
        guard end < buf.count, buf[end] == 0x0D || buf[end] == 0x0A, end > start, end - start <= 70,
              buf[end - 1] != 0x20 else { return nil }
        return Array(UnsafeBufferPointer(rebasing: buf[start..<end]))
    }

    func append(_ buf: UnsafeBufferPointer<UInt8>, boundary: [UInt8], body: BodyMasker, to out: inout [UInt8]) {
        let delimiter: [UInt8] = Array("--".utf8) + boundary
        var cursor = 0
        guard var next = find(delimiter, in: buf, from: 0) else {
            text.append(buf, to: &out)
            return
        }
        text.append(UnsafeBufferPointer(rebasing: buf[0..<next]), to: &out)  // preamble
        while true {
            out.append(contentsOf: delimiter)
            cursor = next + delimiter.count
            let following = find(delimiter, in: buf, from: cursor)
            let partEnd = following ?? buf.count
            part(UnsafeBufferPointer(rebasing: buf[cursor..<partEnd]), body: body, to: &out)
            guard let following else { return }
            next = following
        }
    }

    private func part(_ part: UnsafeBufferPointer<UInt8>, body: BodyMasker, to out: inout [UInt8]) {
        if part.starts(with: Array("--".utf8)) {  // closing delimiter and epilogue
            text.append(part, to: &out)
            return
        }
        let separator: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
        guard let headerEnd = find(separator, in: part, from: 0) ?? find([0x0A, 0x0A], in: part, from: 0) else {
            text.append(part, to: &out)
            return
        }
        let separatorLength = part[headerEnd] == 0x0D ? 4 : 2
        let headers = UnsafeBufferPointer(rebasing: part[0..<headerEnd])
        var contentEnd = part.count
        var trailer: [UInt8] = []
        if contentEnd >= headerEnd + separatorLength + 2, part[contentEnd - 2] == 0x0D, part[contentEnd - 1] == 0x0A {
            contentEnd -= 2
            trailer = [0x0D, 0x0A]
        }
        let content = UnsafeBufferPointer(rebasing: part[(headerEnd + separatorLength)..<max(contentEnd, headerEnd + separatorLength)])
        text.append(headers, to: &out)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: part[headerEnd..<(headerEnd + separatorLength)]))
        let headerText = String(decoding: headers, as: UTF8.self)
        let names = [Self.parameter("name", in: headerText), Self.parameter("name*", in: headerText).map(Self.extendedValue)]
        let transfer = Self.header("content-transfer-encoding", in: headerText)?.lowercased()
        if names.contains(where: { $0.map(text.keys.isSecret) == true }) {
            out.append("[redacted]")
        } else if Self.parameter("filename", in: headerText) != nil || Self.parameter("filename*", in: headerText) != nil {
            out.append(contentsOf: Array("[file: \(content.count) bytes not logged]".utf8))
        } else if let transfer, !["", "7bit", "8bit", "binary"].contains(transfer) {
            out.append(contentsOf: Array("[encoded part (\(transfer.prefix(32))): \(content.count) bytes not logged]".utf8))
        } else {
            out.append(contentsOf: body.mask(content, contentType: Self.header("content-type", in: headerText),
                                             contentEncoding: Self.header("content-encoding", in: headerText),
                                             truncated: false))
        }
        out.append(contentsOf: trailer)
    }

    /// The trimmed value of the part header `name` (lower case), if present.
    static func header(_ name: String, in headers: String) -> String? {
        headers.split(whereSeparator: \.isNewline)
            .first { $0.lowercased().hasPrefix(name + ":") }
            .map { String($0.dropFirst(name.count + 1)).trimmingSpaces }
    }

    /// An RFC 2231 extended value (`UTF-8''client%5Fsecret`) percent-decoded, without its charset and language.
    static func extendedValue(_ value: String) -> String {
        let encoded = value.range(of: "''").map { String(value[$0.upperBound...]) } ?? value
        return withUTF8Bytes(encoded) { String(decoding: FormMasker.percentDecode($0, plusIsSpace: false), as: UTF8.self) }
    }

    /// The value of `name="…"` (or `name=…`) in part headers; matches whole parameter names only.
    static func parameter(_ name: String, in headers: String) -> String? {
        let original = Array(headers.utf8)
        let lower = original.map(ByteClass.lower)
        let needle = Array((name + "=").utf8)
        var i = 0
        while i + needle.count <= lower.count {
            defer { i += 1 }
            guard lower[i..<(i + needle.count)].elementsEqual(needle) else { continue }
            let before: UInt8 = i == 0 ? 0x20 : lower[i - 1]
            guard before == 0x20 || before == UInt8(ascii: ";") || before == 0x09 else { continue }
            var j = i + needle.count
            let quoted = j < original.count && original[j] == UInt8(ascii: "\"")
            if quoted { j += 1 }
            let start = j
            while j < original.count {
                let c = original[j]
                if quoted ? c == UInt8(ascii: "\"") : (c == UInt8(ascii: ";") || c == 0x20 || c == 0x0D || c == 0x0A) {
                    break
                }
                j += 1
            }
            return String(decoding: original[start..<j], as: UTF8.self)
        }
        return nil
    }

    private func find(_ needle: [UInt8], in buf: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        Self.find(needle, in: buf, from: start)
    }

    private static func find(_ needle: [UInt8], in buf: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard !needle.isEmpty, buf.count >= needle.count else { return nil }
        var i = start
        while i + needle.count <= buf.count {
            if buf[i] == needle[0], buf[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
