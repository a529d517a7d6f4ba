/// The allocation-light object walk used for JOSE headers and claim sets.
extension JSONParser {
    /// Reads a document that must be one JSON object and calls `visit` with each
    /// member's name (UTF-8 after unescaping; only valid during the call) and
    /// value, in document order. The hot-path form of `parse` for JOSE headers and
    /// claim sets: no name strings, no member array. `visit` returns false to
    /// refuse the document (a duplicate of a name it cares about); otherwise as strict as `parse`.
    static func forEachMember(of bytes: UnsafeRawBufferPointer, maxDepth: Int = 32,
                                      _ visit: (UnsafeRawBufferPointer, JSONValue) -> Bool) throws(Failure) {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        parser.skipWhitespace()
        guard !parser.atEnd, parser.bytes[parser.index] == UInt8(ascii: "{") else { throw parser.failure("expected an object") }
        parser.index += 1
        parser.skipWhitespace()
        if !parser.atEnd, parser.bytes[parser.index] == UInt8(ascii: "}") {
            parser.index += 1
        } else {
            var scratch: [UInt8] = []
            while true {
                parser.skipWhitespace()
                guard !parser.atEnd, parser.bytes[parser.index] == UInt8(ascii: "\"") else {
                    throw parser.failure("expected a member name")
                }
                let name = try parser.parseRawString(scratch: &scratch)
                parser.skipWhitespace()
                guard !parser.atEnd, parser.bytes[parser.index] == UInt8(ascii: ":") else { throw parser.failure("expected ':'") }
                parser.index += 1
                parser.skipWhitespace()
                let value = try parser.parseValue(depth: 1)
                let accepted = scratch.withUnsafeBytes { scratchBytes in
                    visit(name.inScratch ? scratchBytes : UnsafeRawBufferPointer(rebasing: bytes[name.range]), value)
                }
                guard accepted else { throw parser.failure("duplicate member name") }
                parser.skipWhitespace()
                guard !parser.atEnd else { throw parser.failure("unterminated object") }
                if parser.bytes[parser.index] == UInt8(ascii: "}") { parser.index += 1; break }
                guard parser.bytes[parser.index] == UInt8(ascii: ",") else { throw parser.failure("expected ',' or '}'") }
                parser.index += 1
            }
        }
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("trailing data after the document") }
    }

    /// Whether `name` holds exactly the bytes of `literal`.
    static func matches(_ name: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard name.count == count else { return false }
        let start = literal.utf8Start
        for k in 0..<count where name[k] != start[k] { return false }
        return true
    }
}
