import GatewayProxy
import Testing

@Suite struct CompatibilityTests {
    let now = HTTPDateSample.day("2026-12-03") + 3600
    var previous: GatewayConfig { try! ConfigFixtures.decode(ConfigFixtures.valid) }

    func issues(_ text: String) -> [String] {
        (try? ConfigFixtures.decode(text)).map { $0.compatibilityIssues(from: previous, now: now).map(\.description) }
            ?? ["decode failed"]
    }

    @Test func anUnchangedConfigurationHasNoIssues() {
        #expect(issues(ConfigFixtures.valid) == [])
    }

    @Test func removingAVersionBeforeItsSunsetIsRefused() {
        let start = ConfigFixtures.valid.range(of: "{ \"version\": \"v1\"")!.lowerBound
        let end = ConfigFixtures.valid.range(of: "{ \"version\": \"v2\"")!.lowerBound
        var text = ConfigFixtures.valid
        text.removeSubrange(start..<end)
        #expect(issues(text) == ["apis[0].versions: version v1 was removed before its sunset: it may be removed after 2027-03-01"])
        // After the sunset it may go.
        let later = try! ConfigFixtures.decode(text).compatibilityIssues(from: previous, now: HTTPDateSample.day("2027-03-02"))
        #expect(later.isEmpty)
    }

    @Test func removingAnOperationFromALiveVersionIsRefused() {
        let text = ConfigFixtures.valid.replacingOccurrences(
            of: ",\n        { \"method\": \"GET\",  \"path\": \"/ledger/entries/{id}\", \"scopes\": [\"ledger:read\"] }", with: "")
        let found = issues(text)
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.hasPrefix("apis[0].operations: GET /v") && $0.contains("/ledger/entries/{id} was removed") })
        #expect(found.first?.contains("2027-03-03 at the earliest") == true)
    }

    @Test func renamingAParameterIsNotARemoval() {
        let text = ConfigFixtures.valid.replacingOccurrences(of: "/ledger/entries/{id}", with: "/ledger/entries/{entry_id}")
        #expect(issues(text) == [])
    }

    @Test func backDatingADeprecationIsRefused() {
        let text = ConfigFixtures.valid.replacingOccurrences(
            of: "{ \"version\": \"v2\", \"upstream\": \"http://127.0.0.1:9002\" }",
            with: "{ \"version\": \"v2\", \"upstream\": \"http://127.0.0.1:9002\", \"deprecated_at\": \"2026-01-01\", \"sunset\": \"2026-12-31\" }, { \"version\": \"v3\", \"upstream\": \"http://127.0.0.1:9003\" }")
        #expect(issues(text).contains("apis[0].versions[1].deprecated_at: a deprecation announced now cannot be dated in the past (2026-01-01): use 2026-12-03 or later"))
        let honest = text.replacingOccurrences(of: "\"deprecated_at\": \"2026-01-01\", \"sunset\": \"2026-12-31\"",
                                               with: "\"deprecated_at\": \"2026-12-03\", \"sunset\": \"2027-03-03\"")
        #expect(issues(honest) == [])
    }

    @Test func anAnnouncedSunsetCannotMoveEarlier() {
        let text = ConfigFixtures.valid.replacingOccurrences(of: "\"sunset\": \"2027-03-01\"", with: "\"sunset\": \"2027-02-01\"")
        #expect(issues(text) == ["apis[0].versions[0].sunset: the announced sunset 2027-03-01 cannot be moved earlier or withdrawn while integrators rely on it"])
        let later = ConfigFixtures.valid.replacingOccurrences(of: "\"sunset\": \"2027-03-01\"", with: "\"sunset\": \"2027-06-01\"")
        #expect(issues(later) == [])
    }
}
