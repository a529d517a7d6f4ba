/// The ordered name/value pairs of an `application/x-www-form-urlencoded`
/// body or of a query string.
///
/// Parsing follows the WHATWG URL standard (§5.1): pairs are separated by `&`
/// (empty pieces skipped), name and value by the first `=` (a missing `=`
/// gives an empty value), `+` means a space, `%XX` escapes are decoded. It is
/// stricter in three ways: a malformed escape or a result that is not UTF-8
/// throws instead of being passed through, and so does a repeated name unless
/// duplicates are allowed (form bodies refuse them by default: OAuth 2.0
/// parameters must not repeat, RFC 6749 §3.1; queries allow them). Names are
/// case-sensitive.
public struct URLEncodedForm: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One decoded name and value.
    public struct Pair: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The pairs in the order they appeared.
    public var pairs: [Pair]

    public init(_ pairs: [(String, String)] = []) {
        self.pairs = pairs.map { Pair(name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    public func makeIterator() -> IndexingIterator<[Pair]> { pairs.makeIterator() }

    /// The value of the first pair called `name`.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of pairs called `name`, in order.
    public func values(_ name: String) -> [String] {
        pairs.compactMap { $0.name == name ? $0.value : nil }
    }

    public mutating func append(name: String, value: String) {
        pairs.append(Pair(name: name, value: value))
    }

    /// Parses a form body.
    public static func parse(_ body: [UInt8], allowDuplicates: Bool = false) throws(URLEncodingError) -> URLEncodedForm {
        let result: Result<URLEncodedForm, URLEncodingError> = body.withUnsafeBytes { raw in
            do throws(URLEncodingError) { return .success(try parse(raw, allowDuplicates: allowDuplicates)) }
            catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Parses form text.
    public static func parse(_ text: some StringProtocol, allowDuplicates: Bool = false) throws(URLEncodingError) -> URLEncodedForm {
        try parse(Array(text.utf8), allowDuplicates: allowDuplicates)
    }

    /// Parses a query string (without the `?`), e.g. `HTTPRequestHead.query`.
    /// Repeated names are allowed unless `allowDuplicates` is false.
    public static func parseQuery(_ query: some StringProtocol, allowDuplicates: Bool = true) throws(URLEncodingError) -> URLEncodedForm {
        try parse(Array(query.utf8), allowDuplicates: allowDuplicates)
    }

    static func parse(_ input: UnsafeRawBufferPointer, allowDuplicates: Bool) throws(URLEncodingError) -> URLEncodedForm {
        var form = URLEncodedForm()
        var seen = Set<String>()
        var start = 0
        while start <= input.count {
            var end = start
            while end < input.count && input[end] != 0x26 { end += 1 }   // "&"
            if end > start {
                var equals = start
                while equals < end && input[equals] != 0x3D { equals += 1 }   // "="
                let name = try PercentEncoding.decode(UnsafeRawBufferPointer(rebasing: input[start..<equals]),
                                                      plusAsSpace: true, offset: start)
                let valueStart = Swift.min(equals + 1, end)
                let value: String
                do throws(URLEncodingError) {
                    value = try PercentEncoding.decode(UnsafeRawBufferPointer(rebasing: input[valueStart..<end]),
                                                       plusAsSpace: true, offset: valueStart)
                } catch {
                    var named = error
                    named.name = name
                    named.reason += " (in the value of '\(name)')"
                    throw named
                }
                if !allowDuplicates && !seen.insert(name).inserted {
                    throw URLEncodingError(kind: .duplicateName, offset: start, name: name,
                                           reason: "parameter '\(name)' appears more than once: send it once")
                }
                form.pairs.append(Pair(name: name, value: value))
            }
            start = end + 1
        }
        return form
    }

    /// The pairs encoded as `name=value&...` (space as `+`).
    public var encoded: String {
        var out = ""
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out += "&" }
            out += PercentEncoding.encodeFormComponent(pair.name)
            out += "="
            out += PercentEncoding.encodeFormComponent(pair.value)
        }
        return out
    }

    /// `encoded` as bytes, ready to send as a body.
    public var encodedBytes: [UInt8] { Array(encoded.utf8) }
}
