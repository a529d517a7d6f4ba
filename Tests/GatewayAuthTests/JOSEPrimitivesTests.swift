import Testing
@testable import GatewayAuth

@Suite struct Base64URLTests {
    @Test func roundTripsEveryLength() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let encoded = Base64URL.encode(bytes)
            #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
            #expect(Base64URL.decode(encoded) == bytes)
        }
    }

    @Test func knownVectors() {
        #expect(Base64URL.encode(Array("f".utf8)) == "Zg")
        #expect(Base64URL.encode(Array("foob".utf8)) == "Zm9vYg")
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
    }

    @Test(arguments: ["Zg==", "Zg=", "Z", "Zm9v YQ", "Zm9v+g", "Zm9v/g", "Zh", "Zm9=", "Zm9vYh", "é"])
    func refusesNonCanonicalInput(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}

@Suite struct KeyTests {
    @Test(arguments: JWSAlgorithm.allCases)
    func signsAndVerifies(_ algorithm: JWSAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let data = Array("header.payload".utf8)
        let signature = try key.sign(data)
        #expect(signature.count == (algorithm == .rs256 ? 256 : 64))
        #expect(key.verificationKey.verify(signature: signature, data: data))
        #expect(!key.verificationKey.verify(signature: signature, data: Array("header.payloaD".utf8)))
        var flipped = signature
        flipped[5] ^= 1
        #expect(!key.verificationKey.verify(signature: flipped, data: data))
        #expect(!key.verificationKey.verify(signature: signature.dropLast(), data: data))
        #expect(!key.verificationKey.verify(signature: [UInt8](), data: data))
    }

    @Test func es256SignaturesAreRawAndVerifyAfterManyUses() throws {
        let key = try SigningKey.generate(.es256)
        for i in 0..<50 {
            let data = Array("message \(i)".utf8)
            let signature = try key.sign(data)
            #expect(signature.count == 64)
            #expect(ECDSASignature.der(fromRaw: signature.withUnsafeBytes { $0 }) != nil)
            #expect(key.verificationKey.verify(signature: signature, data: data))
        }
    }

    @Test func derConversionRoundTripsEdgeValues() throws {
        var raw = [UInt8](repeating: 0, count: 64)
        raw[31] = 1; raw[32] = 0x80
        let der = try #require(raw.withUnsafeBytes { ECDSASignature.der(fromRaw: $0) })
        #expect(der == [0x30, 0x26, 0x02, 0x01, 0x01, 0x02, 0x21, 0x00, 0x80] + [UInt8](repeating: 0, count: 31))
        #expect(ECDSASignature.raw(fromDER: der) == raw)
        #expect(ECDSASignature.raw(fromDER: der + [0]) == nil)
    }

    @Test(arguments: JWSAlgorithm.allCases)
    func pkcs8RoundTripKeepsKidAndSigns(_ algorithm: JWSAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let pem = try key.pkcs8PEM()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let loaded = try SigningKey(pkcs8PEM: pem)
        #expect(loaded.kid == key.kid)
        #expect(loaded.algorithm == algorithm)
        #expect(loaded.publicJWK == key.publicJWK)
        let data = Array("abc".utf8)
        #expect(key.verificationKey.verify(signature: try loaded.sign(data), data: data))
        let fromPublicPEM = try VerificationKey(pem: key.publicKeyPEM())
        #expect(fromPublicPEM.kid == key.kid)
        #expect(fromPublicPEM.verify(signature: try key.sign(data), data: data))
    }

    @Test func refusesGarbageAndEncryptedPEM() {
        #expect(throws: JOSEError.self) { try SigningKey(pkcs8PEM: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") }
        #expect(throws: JOSEError.self) { try SigningKey(pkcs8PEM: "") }
        #expect(throws: JOSEError.self) { try VerificationKey(pem: "not a pem") }
    }

    @Test func publicJWKHasTheRightMembers() throws {
        let rsa = try SigningKey.generate(.rs256).publicJWK
        #expect(rsa.kty == "RSA" && rsa.alg == "RS256" && rsa.use == "sig" && rsa.e == "AQAB")
        #expect(Base64URL.decode(rsa.n!)?.count == 256)
        #expect(rsa.crv == nil && rsa.x == nil && rsa.y == nil)
        let ec = try SigningKey.generate(.es256).publicJWK
        #expect(ec.kty == "EC" && ec.alg == "ES256" && ec.crv == "P-256" && ec.use == "sig")
        #expect(Base64URL.decode(ec.x!)?.count == 32 && Base64URL.decode(ec.y!)?.count == 32)
        #expect(ec.n == nil && ec.e == nil)
    }

    /// RFC 7638 §3.1's worked example.
    @Test func thumbprintMatchesRFC7638Example() throws {
        let jwk = JWK(kty: "RSA", n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw", e: "AQAB")
        #expect(try jwk.thumbprint() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    @Test(arguments: JWSAlgorithm.allCases)
    func jwksRoundTripVerifiesTokensSignedHere(_ algorithm: JWSAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let other = try SigningKey.generate(algorithm == .rs256 ? .es256 : .rs256)
        let text = JWKSet(signingKeys: [key, other]).json
        #expect(text.hasPrefix(#"{"keys":[{"kty":"#))
        let parsed = try JWKSet(json: text)
        #expect(parsed.keys == [key.publicJWK, other.publicJWK])
        let (keys, skipped) = parsed.verificationKeys()
        #expect(skipped.isEmpty)
        #expect(keys.map(\.kid) == [key.kid, other.kid])
        #expect(keys[0].algorithm == algorithm)
        let data = Array("interop".utf8)
        #expect(keys[0].verify(signature: try key.sign(data), data: data))
        #expect(!keys[1].verify(signature: try key.sign(data), data: data))
    }

    @Test func jwksParsingDropsPrivateMembersAndSkipsUnusableKeys() throws {
        let key = try SigningKey.generate(.es256)
        var withPrivate = key.publicJWK.json
        withPrivate.removeLast()
        withPrivate += #","d":"c2VjcmV0","extra":[1,{"a":null}]}"#
        let text = #"{"keys":[\#(withPrivate),{"kty":"oct","k":"c2VjcmV0"},{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}]}"#
        let set = try JWKSet(json: text)
        #expect(set.keys.count == 3)
        #expect(set.keys[0] == key.publicJWK)
        #expect(!set.json.contains("c2VjcmV0\",\"extra"))
        let (keys, skipped) = set.verificationKeys()
        #expect(keys.map(\.kid) == [key.kid])
        #expect(skipped.count == 2)
    }

    @Test func jwkImportRefusesBadKeys() throws {
        let ec = try SigningKey.generate(.es256).publicJWK
        var offCurve = ec
        offCurve.y = ec.x
        #expect(throws: JOSEError.self) { try VerificationKey(jwk: offCurve) }
        var wrongAlg = ec
        wrongAlg.alg = "RS256"
        #expect(throws: JOSEError.self) { try VerificationKey(jwk: wrongAlg) }
        var encryption = ec
        encryption.use = "enc"
        #expect(throws: JOSEError.self) { try VerificationKey(jwk: encryption) }
        let small = JWK(kty: "RSA", n: Base64URL.encode([UInt8](repeating: 0xC3, count: 128)), e: "AQAB")
        #expect(throws: JOSEError.self) { try VerificationKey(jwk: small) }
        #expect(throws: JOSEError.self) { try VerificationKey(jwk: JWK(kty: "oct")) }
        let rsa = try SigningKey.generate(.rs256).publicJWK
        for (exponent, reason) in [("AQ", "exponent"), ("Ag", "exponent"), ("AAEAAQ", "leading zero")] {  // 1, 2, 0x010001
            var weak = rsa
            weak.e = exponent
            let error = #expect(throws: JOSEError.self) { try VerificationKey(jwk: weak) }
            #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
        }
        #expect(throws: JOSEError.self) { try JWKSet(json: #"{"keys":{}}"#) }
        #expect(throws: JOSEError.self) { try JWKSet(json: #"{"keys":[{"kid":"x"}]}"#) }
    }
}
