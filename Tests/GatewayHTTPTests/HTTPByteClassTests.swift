@testable import GatewayHTTP
import Testing

@Suite("HTTPByteClass")
struct HTTPByteClassTests {
    @Test func tcharMaskMatchesRFC9110() {
        let extra = Set("!#$%&'*+-.^_`|~".utf8)
        for byte in UInt8.min...UInt8.max {
            let isAlnum = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            #expect(HTTPByteClass.isTChar(byte) == (isAlnum || extra.contains(byte)), "byte \(byte)")
        }
    }

    @Test func targetMaskIsVisibleASCIIWithoutTheRefusedFive() {
        let refused = Set("\"#<>\\".utf8)
        for byte in UInt8.min...UInt8.max {
            let expected = (0x21...0x7E).contains(byte) && !refused.contains(byte)
            #expect(HTTPByteClass.isTargetByte(byte) == expected, "byte \(byte)")
        }
    }

    @Test func hostMaskIsURIHostAndPortCharacters() {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:[]%".utf8)
        for byte in UInt8.min...UInt8.max {
            #expect(HTTPByteClass.isHostByte(byte) == allowed.contains(byte), "byte \(byte)")
        }
    }

    @Test func fieldValueBytes() {
        for byte in UInt8.min...UInt8.max {
            let expected = byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
            #expect(HTTPByteClass.isFieldValueByte(byte) == expected, "byte \(byte)")
        }
    }

    @Test func hexDigits() {
        for byte in UInt8.min...UInt8.max {
            let text = String(decoding: [byte], as: UTF8.self)
            let expected = byte < 0x80 ? UInt8(text, radix: 16) : nil
            #expect(HTTPByteClass.hexValue(byte) == expected, "byte \(byte)")
        }
    }

    @Test func caseInsensitiveNameMatch() {
        let cases: [(String, Bool)] = [("Content-Length", true), ("CONTENT-LENGTH", true), ("content-lengtH", true),
                                       ("content_length", false), ("Content-Lengt", false), ("Content-Length ", false)]
        for (name, expected) in cases {
            let matched = Array(name.utf8).withUnsafeBytes {
                HTTPByteClass.equalsLowercase($0.baseAddress!, $0.count, "content-length")
            }
            #expect(matched == expected, "\(name)")
        }
    }
}
