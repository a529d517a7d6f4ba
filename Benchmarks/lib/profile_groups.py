#!/usr/bin/env python3
"""Groups a `perf script` call-graph dump (Swift names demangled) into the parts of a
proxied request, for Benchmarks/lib/profile.sh.

    perf script -i perf.data | swift demangle --simplified | profile_groups.py

Each sample is charged to one *owner*: the innermost frame on its stack that belongs
to a component (libcurl, our HTTP parser, the pipeline, the filters, the access log,
the upstream client, the server loop, …), looking past the kernel, malloc, the Swift
runtime and libc, which are reported as the *kind* of work the owner caused. So
"libcurl — kernel 40 %" means: samples under a libcurl call, 40 % of them in the kernel
(its socket calls). Also printed: the kind of work over all samples (by innermost
frame), each component's inclusive share (any frame on the stack; nested components
count for each), the threads, and the top functions by inclusive share.
"""
import collections
import re
import sys

OWNERS = [
    ("libcurl", lambda s, d: "libcurl" in d),
    ("OpenSSL (token signatures)", lambda s, d: "libcrypto" in d or "libssl" in d),
    ("SQLite (store pollers)", lambda s, d: "sqlite" in d),
    ("HTTP parser/serializer (ours)", r"HTTPRequestParser|HTTPResponseParser|HTTPByteClass|HTTPResponseHead|HTTPRequestHead|HTTPWireWriter|HTTPChunked|HTTPFraming"),
    ("access log", r"AccessLog|LogWriter|LogMasker|PIIMasker|TextMasker|JSONStringCodec|LineBuffer|LogFile|UTF8Sanitizer|SecretKeys"),
    ("filters: auth", r"BearerAuthFilter|BearerCredentials|AccessTokenVerifier|VerifiedTokenCache|VerifiedToken|RevocationSet|RevocationSnapshot|KeyRing|EVP|Base64URL|JSONParser|JOSEHeader|AccessTokenClaimSet"),
    ("filters: rate limit", r"RateLimit|TokenBucket|ClientRateTable|StringKeyTable|ShardedMutex|RefusalCoalescer|KeyHash"),
    ("filters: debug log switch", r"DebugLog"),
    ("upstream client (exchange, connections)", r"UpstreamHTTPClient|UpstreamExchange|UpstreamConnection|UpstreamDeadlines|CurlConnector|CurlSocket|UpstreamRequest|UpstreamResponse"),
    ("pipeline (exchange, routing, headers)", r"ProxyExchange|ProxyPipeline|ProxyContext|ProxyConnectionHandler|ProxyLoop|RouteTable|PathTemplate|RequestID|HTTPHeaders|ServedConfiguration|GatewayMetrics|HTTPDate|ProblemDetails|ProxyError|LocalRoute"),
    ("server (event loop, connections)", r"HTTPServerConnection|HTTPServer|EventLoop|Selector|Listener|TimerHeap|ConnectionTimeouts|SocketAddress|IOError"),
    ("token service and store pollers", r"TokenService|BackgroundRefresher|ClientDirectoryFollower|RevocationFeedFollower|SigningKeyManager|SQLite|WorkerPool"),
]
OWNERS = [(n, t if callable(t) else (lambda rx: (lambda s, d: re.search(rx, s) is not None))(t)) for n, t in OWNERS]


def kind_of(sym, dso):
    if dso.startswith("[kernel") or dso == "[vdso]":
        return "kernel"
    if "libcurl" in dso:
        return "libcurl"
    if "libcrypto" in dso or "libssl" in dso:
        return "OpenSSL"
    if "libc.so" in dso and re.search(r"malloc|free|realloc|calloc|memalign|tcache|arena|_int_", sym):
        return "malloc/free"
    if "libswift" in dso or sym.startswith("swift_") or "libFoundation" in dso or "libdispatch" in dso:
        return "Swift runtime/Foundation"
    if "libc.so" in dso or "ld-linux" in dso:
        return "libc (other)"
    if "sqlite" in dso:
        return "SQLite"
    return "our code"


def owner_of(frames):
    for sym, dso in frames:
        if dso.startswith("[kernel") or dso in ("[vdso]", "[unknown]"):
            continue
        for name, test in OWNERS:
            if test(sym, dso):
                return name
    return "other"


FRAME = re.compile(r"^\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$")


def samples(stream):
    head, frames = None, []
    for line in stream:
        if not line.strip():
            if head is not None and frames:
                yield head, frames
            head, frames = None, []
        elif head is None:
            head = line
        else:
            m = FRAME.match(line)
            if m:
                frames.append((re.sub(r"\+0x[0-9a-f]+$", "", m.group(1)), m.group(2)))
    if head is not None and frames:
        yield head, frames


def pct(n, total):
    return f"{100 * n / total:.1f} %"


def main():
    total = 0
    owners, kinds, inclusive, functions, threads = (collections.Counter() for _ in range(5))
    owner_kinds = collections.defaultdict(collections.Counter)
    for head, frames in samples(sys.stdin):
        total += 1
        threads[head.split()[1]] += 1
        kind, owner = kind_of(*frames[0]), owner_of(frames)
        owners[owner] += 1
        kinds[kind] += 1
        owner_kinds[owner][kind] += 1
        for name, test in OWNERS:
            if any(test(s, d) for s, d in frames):
                inclusive[name] += 1
        for sym in {s for s, _ in frames}:
            functions[sym] += 1
    if not total:
        sys.exit("no samples")
    print(f"samples: {total}; threads (tid: share): "
          + ", ".join(f"{tid}: {pct(n, total)}" for tid, n in threads.most_common(4)))
    kind_names = [k for k, _ in kinds.most_common()]
    print("\n| owner (innermost component on the stack) | share | " + " | ".join(kind_names) + " |")
    print("|---|---:|" + "---:|" * len(kind_names))
    for owner, n in owners.most_common():
        print(f"| {owner} | {pct(n, total)} | "
              + " | ".join(pct(owner_kinds[owner][k], total) if owner_kinds[owner][k] else "" for k in kind_names) + " |")
    print("| **all** | 100 % | " + " | ".join(f"**{pct(kinds[k], total)}**" for k in kind_names) + " |")
    print("\n| component | inclusive (any frame on the stack) |\n|---|---:|")
    for name, n in inclusive.most_common():
        print(f"| {name} | {pct(n, total)} |")
    print("\n| function (inclusive) | share |\n|---|---:|")
    shown = 0
    for sym, count in functions.most_common():
        if sym in ("[unknown]", "start_thread", "clone3") or sym.startswith("thunk for") or "Thread" in sym:
            continue
        short = sym if len(sym) <= 100 else sym[:97] + "..."
        print(f"| `{short.replace('|', '/')}` | {pct(count, total)} |")
        shown += 1
        if shown == 30:
            break


if __name__ == "__main__":
    main()
