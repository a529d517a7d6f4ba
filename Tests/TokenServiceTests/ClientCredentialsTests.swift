import GatewayHTTP
import Testing
@testable import TokenService

@Suite("Client authentication parsing")
struct ClientCredentialsTests {
    func parse(_ body: String, authorization: [String] = []) -> Result<ClientCredentials, OAuthError> {
        let head = HTTPRequestHead(method: "POST", target: "/oauth/token",
                                   headers: HTTPHeaders(authorization.map { ("Authorization", $0) }))
        return ClientCredentials.parse(head: head, form: try! URLEncodedForm.parse(body))
    }

    func basic(_ plain: String) -> String { "Basic " + StandardBase64.encode(Array(plain.utf8)) }

    @Test("Basic credentials are base64 of form-urlencoded id and secret, and are decoded")
    func basicFormEncoded() throws {
        // id "a b:c", secret "p%s+w:d" — form-encoded as a+b%3Ac : p%25s%2Bw%3Ad
        let result = parse("grant_type=client_credentials", authorization: [basic("a+b%3Ac:p%25s%2Bw%3Ad")])
        #expect(result == .success(ClientCredentials(clientID: "a b:c", secret: "p%s+w:d", method: .clientSecretBasic)))
        let encoded = ClientCredentials.basicAuthorization(clientID: "a b:c", secret: "p%s+w:d")
        #expect(parse("", authorization: [encoded]) == result)
        // A plain URL-safe id and secret need no escaping; the first colon splits.
        #expect(parse("", authorization: [basic("cl_x:se:cret")])
                == .success(ClientCredentials(clientID: "cl_x", secret: "se:cret", method: .clientSecretBasic)))
        #expect(parse("", authorization: ["basic   " + StandardBase64.encode(Array("id:s".utf8)) + " "])
                == .success(ClientCredentials(clientID: "id", secret: "s", method: .clientSecretBasic)))
    }

    @Test("client_secret_post and a public client's bare client_id")
    func postAndNone() {
        #expect(parse("client_id=cl_a&client_secret=s%2B1")
                == .success(ClientCredentials(clientID: "cl_a", secret: "s+1", method: .clientSecretPost)))
        #expect(parse("client_id=cl_a") == .success(ClientCredentials(clientID: "cl_a", secret: nil, method: .none)))
    }

    @Test("two methods at once, a secret without an id, or two Authorization headers are invalid_request")
    func invalidRequests() {
        let auth = basic("cl_a:s")
        #expect(code(parse("client_secret=s", authorization: [auth])) == .invalidRequest)
        #expect(code(parse("client_id=cl_b", authorization: [auth])) == .invalidRequest)
        #expect(code(parse("client_secret=s")) == .invalidRequest)
        #expect(code(parse("", authorization: [auth, auth])) == .invalidRequest)
        // The same client_id in the body as in Basic is tolerated.
        #expect(parse("client_id=cl_a", authorization: [auth])
                == .success(ClientCredentials(clientID: "cl_a", secret: "s", method: .clientSecretBasic)))
    }

    @Test("no credentials, another scheme, undecodable Basic or an empty id are invalid_client")
    func invalidClients() {
        #expect(code(parse("grant_type=client_credentials")) == .invalidClient)
        #expect(code(parse("", authorization: ["Bearer abc.def.ghi"])) == .invalidClient)
        #expect(code(parse("", authorization: ["Basic !!!!"])) == .invalidClient)
        #expect(code(parse("", authorization: ["Basic " + StandardBase64.encode(Array("no-colon".utf8))])) == .invalidClient)
        #expect(code(parse("", authorization: [basic(":secret")])) == .invalidClient)
        #expect(code(parse("", authorization: [basic("id:%zz")])) == .invalidClient)
        #expect(code(parse("", authorization: ["Basic " + StandardBase64.encode([0x69, 0x3A, 0xFF])])) == .invalidClient)
        #expect(code(parse("", authorization: ["Basic"])) == .invalidClient)
        #expect(code(parse("client_id=")) == .invalidClient)
    }

    @Test("standard base64 decoding is strict and round-trips")
    func base64() {
        for length in 0..<10 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 5) }
            #expect(StandardBase64.decode(StandardBase64.encode(bytes)) == (bytes.isEmpty ? nil : bytes))
        }
        #expect(StandardBase64.decode("aGk=") == Array("hi".utf8))
        #expect(StandardBase64.decode("aGk") == nil)       // missing padding
        #expect(StandardBase64.decode("aGl=") == nil)      // non-zero unused bits
        #expect(StandardBase64.decode("a=Gk") == nil)      // padding inside
        #expect(StandardBase64.decode("aG-_") == nil)      // base64url alphabet
    }

    private func code(_ result: Result<ClientCredentials, OAuthError>) -> OAuthError.Code? {
        if case .failure(let error) = result { return error.code }
        return nil
    }
}
