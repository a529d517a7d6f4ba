import Foundation
import GatewayHTTP
import GatewayOpenAPI
import GatewayProxy
import Testing

/// The changelog of deprecated versions, as JSON and as an Atom feed.
@Suite struct ChangelogTests {
    static let twoAPIs = """
    { "listen": "127.0.0.1:0", "issuer": "https://api.example.com/",
      "apis": [
        { "name": "ledger", "versions": [
            { "version": "v1", "upstream": "http://127.0.0.1:1", "deprecated_at": "2026-01-10", "sunset": "2026-06-01",
              "link": "https://example.com/notes?a=1&b=<2>\\"'" },
            { "version": "v2", "upstream": "http://127.0.0.1:2", "deprecated_at": "2026-09-01T12:30:00Z" },
            { "version": "v3", "upstream": "http://127.0.0.1:3" } ],
          "operations": [{ "method": "GET", "path": "/x", "public": true }] },
        { "name": "payables", "versions": [
            { "version": "v1", "upstream": "http://127.0.0.1:4", "deprecated_at": "2026-09-01T12:30:00Z",
              "link": "/docs/payables-v2" },
            { "version": "v2", "upstream": "http://127.0.0.1:5" } ],
          "operations": [{ "method": "GET", "path": "/y", "public": true }] } ] }
    """

    @Test func oneEntryPerDeprecatedVersionNewestFirst() throws {
        let changelog = Changelog(config: try OpenAPIFixtures.config(Self.twoAPIs))
        #expect(changelog.entries.map { "\($0.api) \($0.version)" } == ["ledger v2", "payables v1", "ledger v1"])
        #expect(changelog.entries.map(\.successor) == ["v3", "v2", "v3"])
        #expect(changelog.entries[0].id == "https://api.example.com/changelog#ledger-v2")
        #expect(changelog.entries[1].link == "https://api.example.com/docs/payables-v2")
        #expect(changelog.updated == HTTPDate.parse("2026-09-01T12:30:00Z"))

        let json = changelog.json
        #expect(json["feed"] == .string("https://api.example.com/changelog.atom"))
        let first = try #require(json["entries"]?.arrayValue?.first)
        #expect(first["deprecated_at"] == .string("2026-09-01T12:30:00Z"))
        #expect(first["sunset"] == .null)
        #expect(first["status"] == .string("deprecated"))
        let last = try #require(json["entries"]?.arrayValue?.last)
        #expect(last["sunset"] == .string("2026-06-01T00:00:00Z"))
        #expect(last["summary"]?.stringValue?.contains("410 Gone") == true)
        #expect(Changelog(config: try OpenAPIFixtures.config(Self.twoAPIs)).json == json, "stable across builds")
    }

    @Test func atomFeedIsValidXMLWithEscapedText() throws {
        let changelog = Changelog(config: try OpenAPIFixtures.config(Self.twoAPIs))
        let feed = try AtomReader.read(changelog.atom)
        #expect(feed.id == "https://api.example.com/changelog.atom")
        #expect(feed.updated == "2026-09-01T12:30:00Z")
        #expect(feed.entries.map(\.id) == changelog.entries.map(\.id))
        #expect(feed.entries.map(\.title) == ["ledger v2 is deprecated", "payables v1 is deprecated", "ledger v1 is deprecated"])
        #expect(feed.entries.map(\.updated) == ["2026-09-01T12:30:00Z", "2026-09-01T12:30:00Z", "2026-01-10T00:00:00Z"])
        #expect(feed.entries[2].link == "https://example.com/notes?a=1&b=<2>\"'")
        #expect(feed.entries[2].summary == changelog.entries[2].summary)
        #expect(feed.entries[0].link == nil)
        #expect(feed.selfLink == "https://api.example.com/changelog.atom")
        #expect(feed.hasAuthor)
    }

    @Test func noDeprecationsGiveAnEmptyButValidFeed() throws {
        let changelog = Changelog(config: try OpenAPIFixtures.config(operations: [#"{"method": "GET", "path": "/a", "public": true}"#]))
        #expect(changelog.entries.isEmpty)
        #expect(changelog.json["entries"] == .array([]))
        let feed = try AtomReader.read(changelog.atom)
        #expect(feed.entries.isEmpty && feed.updated == "1970-01-01T00:00:00Z")
    }
}
