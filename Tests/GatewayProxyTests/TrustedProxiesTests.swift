import GatewayProxy
import Testing

@Suite struct TrustedProxiesTests {
    let proxies = TrustedProxies(["10.0.0.0/8", "192.168.1.7", "fd00::/8"])

    @Test func rangesMatchByPrefix() {
        for inside in ["10.0.0.1", "10.255.255.255", "192.168.1.7", "fd12:3456::1"] {
            #expect(proxies.contains(inside), "\(inside)")
        }
        for outside in ["11.0.0.1", "192.168.1.8", "fe80::1", "::ffff:10.0.0.1", "not an address", "", "10.0.0.1:80"] {
            #expect(!proxies.contains(outside), "\(outside)")
        }
        #expect(TrustedProxies(["0.0.0.0/0"]).contains("203.0.113.9"))
        #expect(TrustedProxies(["10.1.2.0/23"]).contains("10.1.3.200") && !TrustedProxies(["10.1.2.0/23"]).contains("10.1.4.1"))
    }

    @Test(arguments: [
        ("10.0.0.0/8", true), ("::1", true), ("2001:db8::/32", true), ("192.168.1.7/32", true), ("0.0.0.0/0", true),
        ("10.0.0.0/33", false), ("::/129", false), ("10.0.0/8", false), ("example.com", false), ("10.0.0.1/", false),
        ("10.0.0.1/8/8", false), ("", false),
    ])
    func entriesAreChecked(_ entry: String, _ valid: Bool) {
        #expect((TrustedProxies.problem(entry) == nil) == valid)
    }

    @Test func theChainIsWalkedFromTheRightWhileHopsAreTrusted() {
        // An untrusted peer: its header is not believed at all.
        #expect(proxies.clientAddress(peer: "203.0.113.5", forwardedFor: ["198.51.100.1"]) == "203.0.113.5")
        // A trusted peer names the client.
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.1"]) == "198.51.100.1")
        // Two trusted hops, across two header fields; what the client itself put first is not believed.
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["6.6.6.6, 198.51.100.1", "10.9.9.9"])
            == "198.51.100.1")
        // A garbage entry stops the walk at the last trusted hop.
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.1, unknown"]) == "10.0.0.2")
        // Every hop trusted: the leftmost.
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: [" 10.0.0.3 ,10.0.0.4"]) == "10.0.0.3")
    }

    @Test func configurationIsDecodedAndChecked() throws {
        let valid = ConfigFixtures.valid.replacingOccurrences(of: "\"default_rpm\": 1000,", with:
            #""default_rpm": 1000, "trusted_proxies": ["10.0.0.0/8", "::1"],"#)
        #expect(try ConfigFixtures.decode(valid).trustedProxies == ["10.0.0.0/8", "::1"])
        #expect(try ConfigFixtures.decode(ConfigFixtures.valid).trustedProxies.isEmpty)
        let bad = ConfigFixtures.valid.replacingOccurrences(of: "\"default_rpm\": 1000,", with:
            #""default_rpm": 1000, "trusted_proxies": ["10.0.0.0/8", "lb.internal"],"#)
        #expect(ConfigFixtures.issues(bad) == [
            "trusted_proxies[1]: must be an IP address or a CIDR range such as 10.0.0.0/8 or fd00::/8",
        ])
    }
}
