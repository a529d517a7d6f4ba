import Foundation
import GatewayAudit
import GatewayStore
import Testing

@Suite("Coalesced rate-limit events")
struct RateLimitEventTests {
    @Test("the first refusal of a window appends one event; later ones only count")
    func coalescing() throws {
        let fixture = try StoreFixture()
        let window = Timestamp(seconds: 1_767_225_600)
        let first = try fixture.audit.recordRateLimitRefusals(clientID: "cl_a", orgID: "acme", windowStart: window,
                                                              windowSeconds: 60, requestID: "req-1")
        #expect(first.appendedEvent)
        #expect(first.count == 1)
        let later = try fixture.audit.recordRateLimitRefusals(clientID: "cl_a", orgID: "acme", windowStart: window,
                                                              windowSeconds: 60, count: 41, requestID: "req-2")
        #expect(!later.appendedEvent)
        #expect(later.eventSeq == first.eventSeq)
        #expect(later.count == 42)
        #expect(try fixture.auditTypes() == ["api.rate_limit_exceeded"])

        let nextWindow = try fixture.audit.recordRateLimitRefusals(clientID: "cl_a", orgID: "acme",
                                                                   windowStart: window.adding(seconds: 60),
                                                                   windowSeconds: 60, requestID: "req-3")
        let otherClient = try fixture.audit.recordRateLimitRefusals(clientID: "cl_b", orgID: "acme", windowStart: window,
                                                                    windowSeconds: 60, requestID: "req-4")
        #expect(nextWindow.appendedEvent)
        #expect(otherClient.appendedEvent)
        #expect(try fixture.auditTypes().count == 3)
    }

    @Test("the count stays outside the hash: the chain verifies and the export merges it")
    func exportMergesCount() throws {
        let fixture = try StoreFixture()
        let window = Timestamp(seconds: 1_767_225_600)
        for _ in 0..<5 {
            try fixture.audit.recordRateLimitRefusals(clientID: "cl_a", orgID: "acme", windowStart: window,
                                                      windowSeconds: 60, requestID: "req-first")
        }
        try fixture.audit.append(AuditEvent(type: .tokenIssued, actor: "client:cl_a", clientID: "cl_a"))
        #expect(try fixture.audit.verify().isValid)
        let lines = try fixture.audit.exportLines()
        let event = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(event["type"] as? String == "api.rate_limit_exceeded")
        #expect(event["count"] as? Int == 5)
        #expect(event["request_id"] as? String == "req-first")
        #expect(event["reason"] as? String == "rate_limited")
        #expect((event["data"] as? [String: String])?["window_seconds"] == "60")
        let other = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(other["count"] == nil)
    }

    @Test("a non-positive count is refused")
    func invalidCount() throws {
        let fixture = try StoreFixture()
        #expect(throws: StoreError.self) {
            try fixture.audit.recordRateLimitRefusals(clientID: "cl_a", orgID: nil, windowStart: Timestamp(seconds: 0),
                                                      windowSeconds: 60, count: 0)
        }
    }
}
