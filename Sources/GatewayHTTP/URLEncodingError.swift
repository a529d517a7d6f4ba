/// Why percent-decoding or form parsing failed.
///
/// `offset` is the byte offset in the input where the problem starts; `name`
/// is the form field concerned, once known. `reason` says what to fix.
public struct URLEncodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A `%` not followed by two hex digits.
        case malformedEscape
        /// The decoded bytes are not valid UTF-8.
        case invalidUTF8
        /// A field name occurs more than once where each must be unique.
        case duplicateName
    }

    public var kind: Kind
    public var offset: Int
    public var name: String?
    public var reason: String

    public init(kind: Kind, offset: Int, name: String? = nil, reason: String) {
        self.kind = kind
        self.offset = offset
        self.name = name
        self.reason = reason
    }

    public var description: String { reason }
}
