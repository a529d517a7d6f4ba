import Foundation
import GatewayAudit
import GatewayHTTP
import GatewayStore
import GatewayTestSupport
import Synchronization
import Testing

/// The per-client token bucket over real sockets (CONTRACT §5, §6): the client's own
/// rate from the store, 429 with `Retry-After`, the rate-limit headers on every
/// proxied answer, one bucket across event loops, rate changes without a restart, and
/// the coalesced `api.rate_limit_exceeded` audit event.
@Suite struct EnforcementRateLimitTests {
    /// `RateLimit: "default";r=R;t=T` → (R, T).
    static func rateLimit(_ response: TestHTTPResponse) -> (remaining: Int, reset: Int)? {
        guard let value = response.header("RateLimit"), value.hasPrefix(#""default";r="#) else { return nil }
        let parts = value.dropFirst(#""default";r="#.count).split(separator: ";")
        guard parts.count == 2, let r = Int(parts[0]), parts[1].hasPrefix("t="), let t = Int(parts[1].dropFirst(2))
        else { return nil }
        return (r, t)
    }

    /// The event loop that answered, from a gateway-made request id (`<random>-<loop>-<counter>`).
    static func loop(_ response: TestHTTPResponse) -> String? {
        let parts = response.header("X-Request-Id")?.split(separator: "-") ?? []
        return parts.count == 3 ? String(parts[1]) : nil
    }

    @Test func aClientGetsItsRateThen429WithHeadersOnEveryAnswer() throws {
        let fixture = try EnforcementFixture()
        let (id, secret) = try fixture.makeClient(rpm: 30)
        let token = try fixture.token(id, secret)
        try fixture.awaitClientDirectory()
        let connection = try fixture.client()
        let start = Date()
        for index in 0..<30 {
            let response = try fixture.call("/v1/ledger/entries?limit=1", token: token, on: connection)
            #expect(response.status == 200)
            #expect(response.headers.values(name: "RateLimit-Policy") == [#""default";q=30;w=60"#])
            let limit = try #require(Self.rateLimit(response), "\(response.header("RateLimit") ?? "none")")
            #expect(limit.remaining <= 29 - index + Int(Date().timeIntervalSince(start) / 2))
            #expect(limit.reset >= 1 && limit.reset <= 60)
        }
        // Over the rate: 429 problem+json with Retry-After in whole seconds (≥ 1) and both headers.
        // 30 RPM refills one request every 2 s, so requests that took longer may earn a few more.
        var refused: TestHTTPResponse?
        var extra = 0
        while refused == nil {
            let response = try fixture.call("/v1/ledger/entries?limit=1", token: token, on: connection)
            if response.status == 429 { refused = response } else { extra += 1 }
            #expect(extra <= Int(Date().timeIntervalSince(start) / 2), "granted more than 30 + refill")
            if extra > 5 { break }
        }
        let answer = try #require(refused)
        let retryAfter = try #require(Int(answer.header("Retry-After") ?? ""), "Retry-After in whole seconds")
        #expect(retryAfter >= 1 && retryAfter <= 2)
        #expect(answer.header("Content-Type")?.hasPrefix("application/problem+json") == true)
        #expect(answer.header("X-Request-Id")?.isEmpty == false)
        #expect(answer.headers.values(name: "RateLimit-Policy") == [#""default";q=30;w=60"#])
        let limit = try #require(Self.rateLimit(answer))
        #expect(limit.remaining == 0 && limit.reset == retryAfter)

        // Another client has its own bucket; a public operation is limited per caller address.
        let (other, otherSecret) = try fixture.makeClient()
        let fresh = try fixture.call("/v1/ledger/entries", token: try fixture.token(other, otherSecret))
        #expect(fresh.status == 200 && fresh.header("RateLimit-Policy") == #""default";q=1000;w=60"#)
        let open = try fixture.call("/v1/ledger/export?rows=1", token: nil, on: connection)
        #expect(open.status == 200 && open.header("RateLimit-Policy") == #""default";q=1000;w=60"#)
        #expect(open.header("RateLimit") == #""default";r=999;t=1"#)
    }

    @Test func publicOperationsAreLimitedPerCallerAddress() throws {
        let fixture = try EnforcementFixture(top: #""public_rpm": 3"#)
        let connection = try fixture.client()
        let statuses = try (0..<5).map { _ in try fixture.call("/v1/ledger/export?rows=1", token: nil, on: connection) }
        #expect(statuses.map(\.status) == [200, 200, 200, 429, 429])
        #expect(statuses[0].header("RateLimit-Policy") == #""default";q=3;w=60"#)
        let refused = statuses[3]
        #expect(refused.header("Retry-After") == "20" || refused.header("Retry-After") == "19")
        #expect(refused.header("Content-Type")?.hasPrefix("application/problem+json") == true)
        // Clients keep their own buckets at their own rates.
        let (id, secret) = try fixture.makeClient()
        #expect(try fixture.call("/v1/ledger/entries", token: try fixture.token(id, secret)).status == 200)
    }

    @Test func connectionsOnDifferentEventLoopsShareOneBucketExactly() throws {
        let fixture = try EnforcementFixture()
        let rpm = 40
        let (id, secret) = try fixture.makeClient(rpm: rpm)
        let token = try fixture.token(id, secret)
        try fixture.awaitClientDirectory()
        // Open connections until two event loops answer (SO_REUSEPORT spreads them by hash);
        // the probe uses another client, so the measured bucket stays full.
        let (probeID, probeSecret) = try fixture.makeClient()
        let probe = try fixture.token(probeID, probeSecret)
        var byLoop: [String: TestHTTPClient] = [:]
        for _ in 0..<32 where byLoop.count < 2 {
            let connection = try fixture.client()
            let response = try fixture.call("/v1/ledger/entries?limit=1", token: probe, on: connection)
            if let loop = Self.loop(response), byLoop[loop] == nil { byLoop[loop] = connection }
        }
        try #require(byLoop.count == 2, "two connections on two event loops")
        nonisolated(unsafe) let connections = Array(byLoop.values)  // one per thread

        // Both connections send at once until each sees a 429.
        let granted = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: connections.count) { index in
            let connection = connections[index]
            do {
                while true {
                    let response = try fixture.call("/v1/ledger/entries?limit=1", token: token, on: connection)
                    if response.status == 429 { return }
                    guard response.status == 200 else { throw HarnessError("status \(response.status)") }
                    granted.add(1, ordering: .relaxed)
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(failures.withLock { $0 }.isEmpty)
        let total = granted.load(ordering: .relaxed)
        let refill = Int(elapsed * Double(rpm) / 60)
        print("[enforcement] two event loops, one bucket of \(rpm): \(total) granted in \(Int(elapsed * 1000)) ms")
        #expect(total >= rpm && total <= rpm + refill, "granted \(total), allowed \(rpm) + \(refill) refill")
    }

    @Test func rateChangesInTheStoreApplyWithoutRestart() throws {
        // Neither the CLI nor the management API can change a client's rate yet; the store's
        // `setRateLimit` (what such a command would call) is the path that exists.
        let fixture = try EnforcementFixture()
        let (id, secret) = try fixture.makeClient(rpm: 30)
        let token = try fixture.token(id, secret)
        try fixture.awaitClientDirectory()
        let connection = try fixture.client()
        var status = 0
        for _ in 0..<40 where status != 429 {
            status = try fixture.call("/v1/ledger/entries?limit=1", token: token, on: connection).status
        }
        #expect(status == 429)

        let store = try SQLiteStore.open(directory: fixture.dataPath)
        _ = try store.clients.setRateLimit(id, rpm: 6000, audit: AuditContext(actor: "test"))
        let raised = Date()
        // Raising grants nothing at once; the bucket fills at 100 requests/s towards 6000.
        var answer: TestHTTPResponse?
        try waitUntil(seconds: 5) {
            let response = try fixture.call("/v1/ledger/entries?limit=1", token: token, on: connection)
            answer = response
            return response.header("RateLimit-Policy") == #""default";q=6000;w=60"#
        }
        print("[enforcement] raised rate visible after \(millisecondsSince(raised)) ms")
        usleep(200_000)
        #expect(try fixture.call("/v1/ledger/entries?limit=1", token: token, on: connection).status == 200)
        #expect(answer != nil)

        // Lowering takes effect at once: never more than the new capacity.
        _ = try store.clients.setRateLimit(id, rpm: 3, audit: AuditContext(actor: "test"))
        try waitUntil(seconds: 5) {
            try fixture.call("/v1/ledger/entries?limit=1", token: token, on: connection).header("RateLimit-Policy")
                == #""default";q=3;w=60"#
        }
        var allowed = 0
        for _ in 0..<6 {
            if try fixture.call("/v1/ledger/entries?limit=1", token: token, on: connection).status == 200 { allowed += 1 }
        }
        #expect(allowed <= 3)
        #expect(try fixture.cli(["audit", "export"]).stdout.contains(#""type":"api.client_updated""#))
    }

    @Test func refusalsAreOneCoalescedAuditEventPerClientAndWindow() throws {
        let fixture = try EnforcementFixture()
        let (id, secret) = try fixture.makeClient(rpm: 5)
        let (other, otherSecret) = try fixture.makeClient(rpm: 5)
        let token = try fixture.token(id, secret)
        let otherToken = try fixture.token(other, otherSecret)
        try fixture.awaitClientDirectory()
        let connection = try fixture.client()
        var firstRefusal: (at: Date, requestID: String)?
        var refusals = 0
        for _ in 0..<5 { #expect(try fixture.call("/v1/ledger/entries", token: token, on: connection).status == 200) }
        let refused = try fixture.call("/v1/ledger/entries", token: token, on: connection)
        #expect(refused.status == 429)
        firstRefusal = (Date(), refused.header("X-Request-Id") ?? "")
        refusals += 1

        // The first refusal of the window is in the audit log within a second.
        let rateEvents = { (client: String) throws -> [[String: Any]] in
            try fixture.cli(["audit", "export"]).stdout.split(separator: "\n").map { try TokenServiceFixture.object(String($0)) }
                .filter { $0["type"] as? String == "api.rate_limit_exceeded" && $0["client_id"] as? String == client }
        }
        try waitUntil(seconds: 3) { try rateEvents(id).count == 1 }
        let recordedAfter = millisecondsSince(firstRefusal!.at)
        print("[enforcement] first refusal in the audit log after ≤ \(recordedAfter) ms (polling with the CLI)")
        #expect(recordedAfter < 1500)

        // Later refusals in the window are counted into that one event, not appended.
        for _ in 0..<24 {
            if try fixture.call("/v1/ledger/entries", token: token, on: connection).status == 429 { refusals += 1 }
        }
        var otherRefusals = 0
        for _ in 0..<8 {
            if try fixture.call("/v1/ledger/entries", token: otherToken, on: connection).status == 429 { otherRefusals += 1 }
        }
        // The running count of the open window reaches the store within about a second.
        let expected = refusals
        try waitUntil(seconds: 3) { try rateEvents(id).first?["count"] as? Int == expected }
        // And the final count when the window ends or at shutdown (SIGTERM flushes it).
        fixture.stopGateway()
        let events = try rateEvents(id)
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(event["count"] as? Int == refusals, "\(event)")
        #expect(event["request_id"] as? String == firstRefusal?.requestID)
        #expect(event["org_id"] as? String == "acme" && event["reason"] as? String == "rate_limited")
        #expect((event["data"] as? [String: Any])?["window_seconds"] as? String == "60")
        let others = try rateEvents(other)
        #expect(others.count == 1 && others.first?["count"] as? Int == otherRefusals)
        let verify = try fixture.cli(["audit", "verify"])
        #expect(verify.code == 0, "\(verify.stdout) \(verify.stderr)")
        #expect(try TokenServiceFixture.object(verify.stdout)["valid"] as? Bool == true)
    }
}
