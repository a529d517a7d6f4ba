import GatewayProxy
import Testing

@Suite struct HTTPDateTests {
    @Test func parsesDatesAndTimestamps() {
        #expect(HTTPDate.parse("1970-01-01") == 0)
        #expect(HTTPDate.parse("2026-09-01") == 1_788_220_800)
        #expect(HTTPDate.parse("2024-02-29T12:30:15Z") == 1_709_209_815)
        #expect(HTTPDate.parse("2023-02-29") == nil)
        #expect(HTTPDate.parse("2026-13-01") == nil)
        #expect(HTTPDate.parse("2026-9-1") == nil)
        #expect(HTTPDate.parse("2026-09-01T25:00:00Z") == nil)
    }

    @Test func formatsIMFFixdate() {
        #expect(HTTPDate.imfFixdate(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.imfFixdate(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.rfc3339(1_709_209_815) == "2024-02-29T12:30:15Z")
    }

    @Test func roundTripsEveryDayForFourHundredYears() {
        var t: Int64 = HTTPDate.parse("1900-01-01")!
        let end = HTTPDate.parse("2300-01-01")!
        while t < end {
            #expect(HTTPDate.parse(HTTPDate.isoDate(t)) == t)
            t += 86_400 * 7
        }
    }
}

@Suite struct RequestIDTests {
    @Test func idsAreUniqueHexCountersBehindAPerProcessPrefix() {
        var generator = RequestIDGenerator(loopIndex: 3)
        let first = generator.next(), second = generator.next()
        #expect(first != second)
        #expect(first.hasSuffix("-3-1") && second.hasSuffix("-3-2"))
        for _ in 0..<253 { _ = generator.next() }
        #expect(generator.next().hasSuffix("-3-100"))
        #expect(RequestIDGenerator.isSane(first))
        #expect(!RequestIDGenerator.isSane("bad id") && !RequestIDGenerator.isSane(String(repeating: "a", count: 129)))
    }
}
