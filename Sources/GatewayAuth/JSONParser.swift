/// A strict RFC 8259 JSON parser for the small documents of JOSE (headers, claim
/// sets, JWK sets).
///
/// Stricter than the RFC where ambiguity is a security risk (RFC 8725 §3.10):
/// duplicate member names are refused, strings must be valid UTF-8 without lone
/// surrogates, and nesting is capped at `maxDepth` (default 32) so hostile input
/// cannot exhaust the stack. Hand-written because it runs on every uncached token
/// check and costs a fraction of Foundation's `JSONSerialization` there.
internal struct JSONParser {
    /// Why a document was refused, with the byte offset where parsing stopped.
    struct Failure: Error, Sendable, Equatable {
        package var offset: Int
        package var reason: String
    }

    let bytes: UnsafeRawBufferPointer
    var index = 0
    let maxDepth: Int

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Parses one complete JSON document (surrounding whitespace allowed).
    static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 32) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("trailing data after the document") }
        return value
    }

    /// Parses one complete JSON document held in `bytes`.
    static func parse(_ bytes: [UInt8], maxDepth: Int = 32) throws(Failure) -> JSONValue {
        let result: Result<JSONValue, Failure> = bytes.withUnsafeBytes { raw in
            do throws(Failure) { return .success(try parse(raw, maxDepth: maxDepth)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    func failure(_ reason: String) -> Failure { Failure(offset: index, reason: reason) }

    var atEnd: Bool { index >= bytes.count }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ literal: StaticString, value: JSONValue) throws(Failure) -> JSONValue {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw failure("truncated literal") }
        let start = literal.utf8Start
        for k in 0..<count where bytes[index + k] != start[k] { throw failure("invalid literal") }
        index += count
        return value
    }

    mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
        guard !atEnd else { throw failure("unexpected end of document") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", value: .bool(true))
        case UInt8(ascii: "f"): return try expect("false", value: .bool(false))
        case UInt8(ascii: "n"): return try expect("null", value: .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("unexpected character")
        }
    }

    private mutating func parseObject(depth: Int) throws(Failure) -> JSONObject {
        guard depth <= maxDepth else { throw failure("nesting deeper than \(maxDepth)") }
        index += 1
        var object = JSONObject()
        var seen: Set<String>?
        skipWhitespace()
        if !atEnd, bytes[index] == UInt8(ascii: "}") { index += 1; return object }
        while true {
            skipWhitespace()
            guard !atEnd, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a member name") }
            let name = try parseString()
            // Linear scan while small; a set once an object grows (hostile headers).
            if object.members.count < 16 {
                if object.members.contains(where: { UTF8Bytes.equal($0.name, name) }) {
                    throw failure("duplicate member name")
                }
            } else {
                if seen == nil { seen = Set(object.members.map(\.name)) }
                guard seen!.insert(name).inserted else { throw failure("duplicate member name") }
            }
            skipWhitespace()
            guard !atEnd, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            object.members.append((name, value))
            skipWhitespace()
            guard !atEnd else { throw failure("unterminated object") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return object
            default: throw failure("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(Failure) -> [JSONValue] {
        guard depth <= maxDepth else { throw failure("nesting deeper than \(maxDepth)") }
        index += 1
        var array: [JSONValue] = []
        skipWhitespace()
        if !atEnd, bytes[index] == UInt8(ascii: "]") { index += 1; return array }
        while true {
            skipWhitespace()
            array.append(try parseValue(depth: depth))
            skipWhitespace()
            guard !atEnd else { throw failure("unterminated array") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return array
            default: throw failure("expected ',' or ']'")
            }
        }
    }

    private mutating func parseNumber() throws(Failure) -> Double {
        let start = index
        var integer: Int64 = 0
        var simple = true  // no fraction, no exponent, fits in 18 digits
        var negative = false
        if bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        guard !atEnd, isDigit(bytes[index]) else { throw failure("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if !atEnd, isDigit(bytes[index]) { throw failure("leading zero in number") }
        } else {
            var digits = 0
            while !atEnd, isDigit(bytes[index]) {
                if digits < 18 { integer = integer * 10 + Int64(bytes[index] &- 0x30) } else { simple = false }
                digits += 1
                index += 1
            }
        }
        if !atEnd, bytes[index] == UInt8(ascii: ".") {
            simple = false
            index += 1
            guard !atEnd, isDigit(bytes[index]) else { throw failure("invalid fraction") }
            while !atEnd, isDigit(bytes[index]) { index += 1 }
        }
        if !atEnd, bytes[index] | 0x20 == UInt8(ascii: "e") {
            simple = false
            index += 1
            if !atEnd, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard !atEnd, isDigit(bytes[index]) else { throw failure("invalid exponent") }
            while !atEnd, isDigit(bytes[index]) { index += 1 }
        }
        if simple { return Double(negative ? -integer : integer) }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw failure("number out of range") }
        return value
    }

    func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
}
