/// Masks `multipart/form-data` (and other multipart) bodies part by part.
///
/// Part headers are masked as text. A part whose `name` is a secret key gets
/// `[redacted]`; a file part (`filename=`) gets `[file: N bytes not logged]`;
/// any other part's content is masked like a body of its own `Content-Type`.
/// Without a usable boundary the body is masked as text.
struct MultipartMasker: Sendable {
    var text: TextMasker

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
        let name = Self.parameter("name", in: headerText)
        if let name, text.keys.isSecret(name) {
            out.append("[redacted]")
        } else if Self.parameter("filename", in: headerText) != nil {
            out.append(contentsOf: Array("[file: \(content.count) bytes not logged]".utf8))
        } else {
            let type = headerText.split(whereSeparator: { $0 == "\r" || $0 == "\n" })
                .first { $0.lowercased().hasPrefix("content-type:") }
                .map { String($0.dropFirst("content-type:".count)) }
            out.append(contentsOf: body.mask(content, contentType: type, contentEncoding: nil, truncated: false))
        }
        out.append(contentsOf: trailer)
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
        guard !needle.isEmpty, buf.count >= needle.count else { return nil }
        var i = start
        while i + needle.count <= buf.count {
            if buf[i] == needle[0], buf[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
