import GatewayProxy

/// A valid configuration to start from; tests patch it as JSON text.
enum ConfigFixtures {
    static let valid = """
    {
      "listen": "127.0.0.1:8080",
      "issuer": "http://127.0.0.1:8080",
      "token_ttl_seconds": 900,
      "default_rpm": 1000,
      "apis": [
        {
          "name": "ledger",
          "versions": [
            { "version": "v1", "upstream": "http://127.0.0.1:9001",
              "deprecated_at": "2026-09-01", "sunset": "2027-03-01",
              "link": "https://example.com/changelog#ledger-v2" },
            { "version": "v2", "upstream": "http://127.0.0.1:9002" }
          ],
          "operations": [
            { "method": "GET",  "path": "/ledger/entries",      "scopes": ["ledger:read"] },
            { "method": "POST", "path": "/ledger/entries",      "scopes": ["ledger:write"] },
            { "method": "GET",  "path": "/ledger/entries/{id}", "scopes": ["ledger:read"] }
          ]
        }
      ]
    }
    """

    static func decode(_ text: String, now: Int64 = 1_780_000_000) throws(ConfigError) -> GatewayConfig {
        try GatewayConfig.decode(Array(text.utf8), now: now)
    }

    /// The issues a configuration text produces, as "path: message" lines.
    static func issues(_ text: String) -> [String] {
        do {
            _ = try decode(text)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }
}
