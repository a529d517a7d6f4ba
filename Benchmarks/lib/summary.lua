-- wrk script that only adds a machine-readable summary line at the end.
-- It defines no request() or response() hook, so wrk keeps sending its
-- pre-built static request and the per-request cost of the load generator
-- is the same as without a script. Latencies are in microseconds.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d status_errors=%d socket_errors=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
