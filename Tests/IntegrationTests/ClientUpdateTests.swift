import Foundation
import GatewayHTTP
import GatewayTestSupport
import Testing

/// `portcullis client update` changes a running gateway's behaviour without a restart.
@Suite struct ClientUpdateTests {
    @Test func aNewRateAppliesWithinASecondWithoutRestart() throws {
        let fixture = try TokenServiceFixture()
        let (id, secret) = try fixture.makeClient(scopes: "ledger:read", extra: ["--rpm", "2"])
        let token = try fixture.token(id, secret)
        let headers: HTTPHeaders = ["Authorization": "Bearer " + token]
        let client = try fixture.client()
        // The upstream of this fixture is down: allowed requests get 502, refused ones 429.
        let first = try client.request(target: "/v1/ledger/accounts", headers: headers)
        #expect(first.status == 502)
        #expect(first.header("RateLimit-Policy") == #""default";q=2;w=60"#)
        #expect(try client.request(target: "/v1/ledger/accounts", headers: headers).status == 502)
        let refused = try client.request(target: "/v1/ledger/accounts", headers: headers)
        #expect(refused.status == 429)
        #expect(Int(refused.header("Retry-After") ?? "") ?? 0 >= 1)

        let update = try fixture.cli(["client", "update", id, "--rpm", "600"])
        #expect(update.code == 0, "\(update.stderr)")
        var policy: String?
        try waitUntil(seconds: 3) {
            let response = try client.request(target: "/v1/ledger/accounts", headers: headers)
            policy = response.header("RateLimit-Policy")
            return response.status == 502
        }
        #expect(policy == #""default";q=600;w=60"#)
    }
}
