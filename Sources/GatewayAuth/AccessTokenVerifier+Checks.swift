#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GatewayHTTP

/// The uncached path: structure, header, signature, claims.
extension AccessTokenVerifier {
    func verifyUncached(_ token: UnsafeRawBufferPointer, now: Int64) throws(TokenVerificationError) -> VerifiedToken {
        // Three non-empty parts: exactly two dots.
        guard let firstDot = Self.dot(in: token, from: 0),
              let secondDot = Self.dot(in: token, from: firstDot + 1),
              Self.dot(in: token, from: secondDot + 1) == nil,
              firstDot > 0, secondDot > firstDot + 1, secondDot < token.count - 1
        else { throw .malformed }

        guard let headerBytes = Base64URL.decode(UnsafeRawBufferPointer(rebasing: token[..<firstDot])),
              let header = JOSEHeader.read(headerBytes)
        else { throw .malformed }

        // Algorithm from the allow-list, before anything else is trusted.
        guard let algName = header.alg?.stringValue, let algorithm = JWSAlgorithm(headerValue: algName) else {
            throw .unsupportedAlgorithm
        }
        guard !header.hasCrit else { throw .criticalHeader }
        guard let typ = header.typ?.stringValue,
              typ.equalsIgnoringASCIICase("at+jwt") || typ.equalsIgnoringASCIICase("application/at+jwt")
        else { throw .wrongType }
        guard let kid = header.kid?.stringValue, !kid.isEmpty else { throw .missingKeyID }
        let epoch = keys.removalEpoch  // read before the lookup: a later removal invalidates this result
        guard let key = keys.key(for: kid) else { throw .unknownKey }
        guard key.algorithm == algorithm else { throw .algorithmMismatch }

        guard let signature = Base64URL.decode(UnsafeRawBufferPointer(rebasing: token[(secondDot + 1)...])) else {
            throw .malformed
        }
        let signed = signature.withUnsafeBytes {
            key.verify(signature: $0, data: UnsafeRawBufferPointer(rebasing: token[..<secondDot]))
        }
        guard signed else { throw .badSignature }

        guard let payloadBytes = Base64URL.decode(UnsafeRawBufferPointer(rebasing: token[(firstDot + 1)..<secondDot])),
              let claims = AccessTokenClaimSet.read(payloadBytes)
        else { throw .malformed }
        return try checkClaims(claims, keyID: kid, keyEpoch: epoch, now: now)
    }

    private func checkClaims(_ claims: AccessTokenClaimSet, keyID: String, keyEpoch: UInt64,
                             now: Int64) throws(TokenVerificationError) -> VerifiedToken {
        let leeway = configuration.leewaySeconds

        guard let issuer = claims.iss?.stringValue,
              UTF8Bytes.equal(issuer, configuration.issuer) else { throw .wrongIssuer }

        let audience: [String]
        switch claims.aud {
        case .string(let single)?:
            audience = [single]
        case .array(let values)?:
            var strings: [String] = []
            strings.reserveCapacity(values.count)
            for value in values {
                guard let string = value.stringValue else { throw .invalidClaim("aud") }
                strings.append(string)
            }
            audience = strings
        default:
            throw .wrongAudience
        }
        guard audience.contains(where: { UTF8Bytes.equal($0, configuration.audience) }) else {
            throw .wrongAudience
        }

        let expiresAt = try numericDate(claims.exp, "exp")
        guard let expiresAt else { throw .invalidClaim("exp") }
        guard now < expiresAt + leeway else { throw .expired }
        let notBefore = try numericDate(claims.nbf, "nbf")
        if let notBefore, notBefore > now + leeway { throw .notYetValid }
        let issuedAt = try numericDate(claims.iat, "iat")
        guard let issuedAt else { throw .invalidClaim("iat") }
        guard issuedAt <= now + leeway else { throw .issuedInFuture }

        let subject = try string(claims.sub, "sub")
        let clientID = try string(claims.clientID, "client_id")
        let orgID = try string(claims.orgID, "org_id")
        let tokenID = try string(claims.jti, "jti")

        var scopes: [String] = []
        switch claims.scope {
        case nil:
            break
        case .string(let text)?:
            // RFC 6749 §3.3: space-delimited; each token kept exactly as sent.
            guard !Self.hasControlCharacter(text) else { throw .invalidClaim("scope") }
            scopes = text.utf8.split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
        default:
            throw .invalidClaim("scope")
        }

        return VerifiedToken(clientID: clientID, orgID: orgID, subject: subject, scopes: scopes, tokenID: tokenID,
                             issuedAt: issuedAt, expiresAt: expiresAt, notBefore: notBefore, audience: audience,
                             issuer: issuer, keyID: keyID, keyEpoch: keyEpoch,
                             validUntil: expiresAt + leeway)
    }

    /// The offset of the first `.` at or after `start`.
    private static func dot(in token: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < token.count, let base = token.baseAddress,
              let found = memchr(base + start, Int32(UInt8(ascii: ".")), token.count - start) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// A NumericDate claim (RFC 7519 §2) in whole seconds (fractions dropped
    /// downward), nil when absent; a non-number or one beyond ±2^53 is invalid.
    private func numericDate(_ value: JSONValue?, _ name: String) throws(TokenVerificationError) -> Int64? {
        guard let value else { return nil }
        guard let number = value.numberValue, abs(number) < 9_007_199_254_740_992 else { throw .invalidClaim(name) }
        return Int64(number.rounded(.down))
    }

    /// A required non-empty string claim without control characters: these claims
    /// travel on as header values (`X-Portcullis-Client-Id`, ...), where a CR or LF
    /// would start a header of its own.
    private func string(_ value: JSONValue?, _ name: String) throws(TokenVerificationError) -> String {
        guard let value = value?.stringValue, !value.isEmpty, !Self.hasControlCharacter(value) else {
            throw .invalidClaim(name)
        }
        return value
    }

    /// Whether `text` holds a C0 control character or DEL.
    private static func hasControlCharacter(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }
}
