#!/usr/bin/env python3
"""Groups a `perf script` call-graph dump (Swift names demangled) into the parts of a
proxied request, for Benchmarks/profile.sh.

    perf script -i perf.data | swift demangle --simplified | profile_groups.py [THREAD_PREFIX]

Prints, over the samples of the gateway's threads (all when no prefix is given):
- per group, the share of samples whose stack holds a frame of that group
  (inclusive; groups overlap: a libcurl call made from the pipeline counts for both);
- per group, the share whose innermost frame is in it (self; adds up to 100 %);
- the 25 functions with the largest inclusive share.
"""
import collections
import re
import sys

# First match wins, in this order (for self time and for classifying a frame).
GROUPS = [
    ("kernel/syscalls", lambda s, d: d.startswith("[kernel") or d == "[vdso]"),
    ("libcurl", lambda s, d: "libcurl" in d),
    ("OpenSSL", lambda s, d: "libcrypto" in d or "libssl" in d),
    ("malloc/free", lambda s, d: "libc.so" in d and re.search(r"malloc|free|realloc|calloc|memalign|tcache|arena", s)),
    ("Swift runtime (ARC, allocation, generics)", lambda s, d: "libswiftCore" in d or s.startswith("swift_")),
    ("our HTTP parser/serializer", lambda s, d: re.search(r"GatewayHTTP\.|HTTPRequestParser|HTTPHeaders|HTTPResponseHead|HTTPRequestHead|HTTPWireWriter", s)),
    ("logging (access log)", lambda s, d: re.search(r"GatewayLogging\.|AccessLog|LogWriter|LogMasker|PIIMasker|JSONStringCodec|LineBuffer", s)),
    ("filters (auth, rate limit)", lambda s, d: re.search(r"GatewayAuth\.|GatewayRateLimit\.|BearerAuthFilter|AccessTokenVerifier|VerifiedTokenCache|RevocationSet|RateLimit|TokenBucket|ClientRateTable", s)),
    ("pipeline (proxy exchange, routing, upstream glue)", lambda s, d: re.search(r"GatewayProxy\.|GatewayUpstream\.|ProxyExchange|ProxyPipeline|ProxyContext|RouteTable|CurlMultiTransport|CurlTransfer", s)),
    ("server (event loop, connections)", lambda s, d: re.search(r"GatewayPosix\.|EventLoop|HTTPServerConnection|Selector", s)),
    ("libc (other)", lambda s, d: "libc.so" in d),
    ("Foundation/dispatch", lambda s, d: "Foundation" in d or "libdispatch" in d),
]


def group_of(sym, dso):
    for name, test in GROUPS:
        if test(sym, dso):
            return name
    return "other (" + (dso.rsplit("/", 1)[-1] or "?") + ")"


FRAME = re.compile(r"^\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$")


def samples(stream, prefix):
    head, frames = None, []
    for line in stream:
        if not line.strip():
            if head is not None and frames:
                yield head, frames
            head, frames = None, []
            continue
        if head is None:
            head = line
            continue
        m = FRAME.match(line)
        if m:
            sym = re.sub(r"\+0x[0-9a-f]+$", "", m.group(1))
            frames.append((sym, m.group(2)))
    if head is not None and frames:
        yield head, frames


def main():
    prefix = sys.argv[1] if len(sys.argv) > 1 else ""
    total = 0
    inclusive, self_time, functions = collections.Counter(), collections.Counter(), collections.Counter()
    for head, frames in samples(sys.stdin, prefix):
        if prefix and not head.lstrip().startswith(prefix):
            continue
        total += 1
        self_time[group_of(*frames[0])] += 1
        for name in {group_of(s, d) for s, d in frames}:
            inclusive[name] += 1
        for sym in {s for s, _ in frames}:
            functions[sym] += 1
    if not total:
        sys.exit("no samples")
    print(f"samples: {total}")
    print("\n| group | inclusive | self |\n|---|---:|---:|")
    for name, _ in sorted(self_time.items(), key=lambda kv: -inclusive[kv[0]]):
        print(f"| {name} | {100 * inclusive[name] / total:.1f} % | {100 * self_time[name] / total:.1f} % |")
    print("\n| function (inclusive) | share |\n|---|---:|")
    for sym, count in functions.most_common(25):
        short = sym if len(sym) <= 110 else sym[:107] + "..."
        print(f"| `{short.replace('|', '/')}` | {100 * count / total:.1f} % |")


if __name__ == "__main__":
    main()
