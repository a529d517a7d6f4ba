import Synchronization

/// Counters for `/metrics` (Prometheus text format 0.0.4). Each event loop
/// writes its own shard with relaxed atomics, so counting costs no
/// cross-core traffic; `render()` sums the shards.
public final class GatewayMetrics: Sendable {
    /// Upper bounds (ms) of the request-duration histogram buckets.
    public static let latencyBucketsMillis: [Int] = [1, 2, 5, 10, 25, 50, 100, 200, 500, 1000, 5000]

    /// One loop's counters.
    public final class Shard: Sendable {
        fileprivate let statusClasses = (0..<6).map { _ in Counter() }
        fileprivate let buckets = GatewayMetrics.latencyBucketsMillis.map { _ in Counter() }
        fileprivate let durationMicros = Counter()
        fileprivate let upstreamUnavailable = Counter()
        fileprivate let upstreamTimeout = Counter()
        fileprivate let upstreamProtocol = Counter()
        fileprivate let rateLimited = Counter()
        fileprivate let unauthorized = Counter()

        /// Records one finished request.
        public func record(status: Int, totalNanos: Int64) {
            statusClasses[min(5, max(0, status / 100))].add(1)
            let micros = Int(totalNanos / 1000)
            durationMicros.add(micros)
            let ms = micros / 1000
            for (i, bound) in GatewayMetrics.latencyBucketsMillis.enumerated() where ms < bound {
                buckets[i].add(1)
                break
            }
            if status == 429 { rateLimited.add(1) }
            if status == 401 { unauthorized.add(1) }
        }

        public func recordUpstreamFailure(_ kind: ProxyError.Kind) {
            switch kind {
            case .upstreamTimeout: upstreamTimeout.add(1)
            case .upstreamUnavailable: upstreamUnavailable.add(1)
            default: upstreamProtocol.add(1)
            }
        }
    }

    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func add(_ n: Int) { value.add(n, ordering: .relaxed) }
        var current: Int { value.load(ordering: .relaxed) }
    }

    private let shards: Mutex<[Shard]> = Mutex([])
    private let collectors: Mutex<[@Sendable () -> String]> = Mutex([])

    public init() {}

    /// A new shard for one event loop.
    public func makeShard() -> Shard {
        let shard = Shard()
        shards.withLock { $0.append(shard) }
        return shard
    }

    /// Adds text (complete Prometheus lines with HELP/TYPE) produced by another
    /// module: log drops, revocation feed age, token issuance, ...
    public func addCollector(_ collector: @escaping @Sendable () -> String) {
        collectors.withLock { $0.append(collector) }
    }

    /// The exposition text.
    public func render() -> String {
        let all = shards.withLock { $0 }
        func sum(_ pick: (Shard) -> Counter) -> Int { all.reduce(0) { $0 + pick($1).current } }
        var out = "# HELP portcullis_requests_total Requests answered, by status class.\n"
        out += "# TYPE portcullis_requests_total counter\n"
        for c in 1...5 {
            out += "portcullis_requests_total{code=\"\(c)xx\"} \(sum { $0.statusClasses[c] })\n"
        }
        out += "# HELP portcullis_request_duration_seconds Time from request head to last response byte.\n"
        out += "# TYPE portcullis_request_duration_seconds histogram\n"
        var cumulative = 0
        for (i, bound) in Self.latencyBucketsMillis.enumerated() {
            cumulative += sum { $0.buckets[i] }
            out += "portcullis_request_duration_seconds_bucket{le=\"\(Double(bound) / 1000)\"} \(cumulative)\n"
        }
        let count = (1...5).reduce(0) { acc, c in acc + sum { $0.statusClasses[c] } } + sum { $0.statusClasses[0] }
        out += "portcullis_request_duration_seconds_bucket{le=\"+Inf\"} \(count)\n"
        out += "portcullis_request_duration_seconds_sum \(Double(sum { $0.durationMicros }) / 1_000_000)\n"
        out += "portcullis_request_duration_seconds_count \(count)\n"
        out += "# HELP portcullis_upstream_failures_total Upstream calls that failed, by reason.\n"
        out += "# TYPE portcullis_upstream_failures_total counter\n"
        out += "portcullis_upstream_failures_total{reason=\"unavailable\"} \(sum { $0.upstreamUnavailable })\n"
        out += "portcullis_upstream_failures_total{reason=\"timeout\"} \(sum { $0.upstreamTimeout })\n"
        out += "portcullis_upstream_failures_total{reason=\"protocol\"} \(sum { $0.upstreamProtocol })\n"
        out += "# HELP portcullis_rate_limited_total Requests refused with 429.\n"
        out += "# TYPE portcullis_rate_limited_total counter\n"
        out += "portcullis_rate_limited_total \(sum { $0.rateLimited })\n"
        out += "# HELP portcullis_unauthorized_total Requests refused with 401.\n"
        out += "# TYPE portcullis_unauthorized_total counter\n"
        out += "portcullis_unauthorized_total \(sum { $0.unauthorized })\n"
        for collector in collectors.withLock({ $0 }) { out += collector() }
        return out
    }
}
