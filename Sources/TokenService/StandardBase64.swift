/// Base64 with the standard alphabet and `=` padding (RFC 4648 §4), as HTTP Basic
/// credentials use it (RFC 7617).
///
/// Decoding is strict: only the 64 characters and trailing padding to a multiple of four
/// are accepted, and unused low bits must be zero, so each byte string has one encoding.
enum StandardBase64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, char) in alphabet.enumerated() { table[Int(char)] = UInt8(value) }
        return table
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = UInt32(bytes[index])
            let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let chunk = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(chunk >> 18 & 0x3F)])
            out.append(alphabet[Int(chunk >> 12 & 0x3F)])
            out.append(index + 1 < bytes.count ? alphabet[Int(chunk >> 6 & 0x3F)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(chunk & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The decoded bytes, or nil for anything that is not canonical padded base64.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let input = Array(text.utf8)
        guard !input.isEmpty, input.count % 4 == 0 else { return nil }
        var padding = 0
        if input[input.count - 1] == UInt8(ascii: "=") { padding += 1 }
        if input[input.count - 2] == UInt8(ascii: "=") { padding += 1 }
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 4 * 3)
        var index = 0
        while index < input.count {
            let last = index + 4 == input.count
            var values: [UInt32] = [0, 0, 0, 0]
            for k in 0..<4 {
                let char = input[index + k]
                if last && k >= 4 - padding {
                    guard char == UInt8(ascii: "=") else { return nil }
                    continue
                }
                let value = table[Int(char)]
                guard value != 0xFF else { return nil }
                values[k] = UInt32(value)
            }
            let chunk = values[0] << 18 | values[1] << 12 | values[2] << 6 | values[3]
            out.append(UInt8(chunk >> 16 & 0xFF))
            if !(last && padding == 2) { out.append(UInt8(chunk >> 8 & 0xFF)) } else if chunk & 0xFFFF != 0 { return nil }
            if !(last && padding >= 1) { out.append(UInt8(chunk & 0xFF)) } else if padding == 1 && chunk & 0xFF != 0 { return nil }
            index += 4
        }
        return out
    }
}
