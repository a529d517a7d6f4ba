import GatewayHTTP
import Testing
@testable import TokenService

@Suite("Management API: routes and request bodies")
struct ManagementRulesTests {
    @Test("paths and methods map to operations; unknown paths are nil")
    func routes() {
        typealias E = ClientManagementEndpoint
        #expect(E.route(method: "GET", path: "/v1/api-clients")?.0 == .list)
        #expect(E.route(method: "POST", path: "/v1/api-clients")?.0 == .create)
        #expect(E.route(method: "DELETE", path: "/v1/api-clients")?.allow == "GET, POST")
        #expect(E.route(method: "DELETE", path: "/v1/api-clients")?.0 == nil)
        #expect(E.route(method: "GET", path: "/v1/api-clients/cl_1")?.0 == .show("cl_1"))
        #expect(E.route(method: "POST", path: "/v1/api-clients/cl_1/revoke")?.0 == .revoke("cl_1"))
        #expect(E.route(method: "POST", path: "/v1/api-clients/cl_1/rotate-secret")?.0 == .rotateSecret("cl_1"))
        #expect(E.route(method: "GET", path: "/v1/api-clients/cl_1/revoke")?.0 == nil)
        #expect(E.route(method: "GET", path: "/v1/api-clients/cl_1/other") == nil)
        #expect(E.route(method: "GET", path: "/v1/api-clients/cl_1/revoke/x") == nil)
        #expect(E.route(method: "GET", path: "/v1/api-clientsX") == nil)
        #expect(E.route(method: "GET", path: "/v1/api-clients//revoke") == nil)
    }

    func refusal(_ body: String) -> ClientRequest.Invalid? {
        do throws(ClientRequest.Invalid) {
            _ = try ManagementBody.clientRequest(Array(body.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test("a valid body decodes; nulls mean absent")
    func valid() throws {
        let request = try ManagementBody.clientRequest(Array(#"""
            {"name": "Ledger sync", "scopes": ["ledger:read"], "external_id": "erp-42", "rpm": 120,
             "redirect_uris": ["https://app.example/cb"]}
            """#.utf8))
        #expect(request == ClientRequest(name: "Ledger sync", scopes: ["ledger:read"], externalID: "erp-42", rpm: 120,
                                         redirectURIs: ["https://app.example/cb"]))
        let minimal = try ManagementBody.clientRequest(Array(#"{"name":"x","scopes":["a"],"rpm":null,"external_id":null}"#.utf8))
        #expect(minimal == ClientRequest(name: "x", scopes: ["a"]))
    }

    @Test("each bad body names the member to fix")
    func invalid() {
        #expect(refusal("")?.field == "body")
        #expect(refusal("{")?.field == "body")
        #expect(refusal("[1]")?.problem == "must be a JSON object, found an array")
        #expect(refusal(#"{"name":"x","scopes":["a"],"admin":true}"#)?.field == "admin")
        #expect(refusal(#"{"name":"x","name":"y","scopes":["a"]}"#)?.problem == "appears more than once")
        #expect(refusal(#"{"scopes":["a"]}"#)?.field == "name")
        #expect(refusal(#"{"name":"x"}"#)?.field == "scopes")
        #expect(refusal(#"{"name":7,"scopes":["a"]}"#)?.problem == "must be a string, found a number")
        #expect(refusal(#"{"name":"x","scopes":"a"}"#)?.field == "scopes")
        #expect(refusal(#"{"name":"x","scopes":["a",1]}"#)?.field == "scopes[1]")
        #expect(refusal(#"{"name":"x","scopes":[]}"#)?.field == "scopes")
        #expect(refusal(#"{"name":"x","scopes":["a b"]}"#)?.field == "scopes")
        #expect(refusal(#"{"name":"x","scopes":["a"],"rpm":1.5}"#)?.field == "rpm")
        #expect(refusal(#"{"name":"x","scopes":["a"],"rpm":"5"}"#)?.field == "rpm")
        #expect(refusal(#"{"name":"x","scopes":["a"],"rpm":0}"#)?.field == "rpm")
        #expect(refusal(#"{"name":"x","scopes":["a"],"external_id":""}"#)?.field == "external_id")
        #expect(refusal(#"{"name":"x","scopes":["a"],"redirect_uris":["/relative"]}"#)?.field == "redirect_uris")
        #expect(refusal(#"{"name":"x","scopes":["a"],"redirect_uris":["https://a/cb#frag"]}"#)?.field == "redirect_uris")
        #expect(refusal(#"{"name":"\#(String(repeating: "n", count: 101))","scopes":["a"]}"#)?.field == "name")
        #expect(refusal(#"{"name":"","scopes":["a"]}"#)?.field == "name")
        #expect(refusal(#"{"name":"tab\there","scopes":["a"]}"#)?.field == "name")
        var nonUTF8 = Array(#"{"name":""#.utf8)
        nonUTF8 += [0xC3, 0x28]
        nonUTF8 += Array(#"","scopes":["a"]}"#.utf8)
        do throws(ClientRequest.Invalid) {
            _ = try ManagementBody.clientRequest(nonUTF8)
            Issue.record("non-UTF-8 accepted")
        } catch {
            #expect(error.field == "body")
        }
    }

    @Test("names are text, not code: quotes and SQL keywords are accepted as they are")
    func sqlLookingName() throws {
        let request = try ManagementBody.clientRequest(Array(#"{"name":"x'); DROP TABLE clients;--","scopes":["a"]}"#.utf8))
        #expect(request.name == "x'); DROP TABLE clients;--")
    }

    @Test("revoke reasons are short codes; an empty body means none")
    func reasons() throws {
        #expect(try ManagementBody.revokeReason([]) == nil)
        #expect(try ManagementBody.revokeReason(Array(" \n".utf8)) == nil)
        #expect(try ManagementBody.revokeReason(Array(#"{"reason":"compromised"}"#.utf8)) == "compromised")
        #expect(throws: ClientRequest.Invalid.self) { try ManagementBody.revokeReason(Array(#"{"reason":"Not A Code"}"#.utf8)) }
        #expect(throws: ClientRequest.Invalid.self) { try ManagementBody.revokeReason(Array(#"{"why":"x"}"#.utf8)) }
    }

    @Test("the form content type must be urlencoded UTF-8")
    func formMediaType() {
        #expect(OAuthFormRequest.isFormMediaType("application/x-www-form-urlencoded"))
        #expect(OAuthFormRequest.isFormMediaType("Application/X-WWW-Form-URLEncoded; charset=UTF-8"))
        #expect(OAuthFormRequest.isFormMediaType("application/x-www-form-urlencoded;charset=\"utf-8\""))
        #expect(!OAuthFormRequest.isFormMediaType("application/x-www-form-urlencoded; charset=latin1"))
        #expect(!OAuthFormRequest.isFormMediaType("application/json"))
        #expect(!OAuthFormRequest.isFormMediaType("multipart/form-data; boundary=x"))
        #expect(!OAuthFormRequest.isFormMediaType("application/x-www-form-urlencodedx"))
    }
}
