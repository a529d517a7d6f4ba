import Foundation
import CGatewayLinux

/// Runs `body` `iterations` times and prints nanoseconds per iteration.
func measure(_ name: String, iterations: Int, _ body: () -> Void) {
    for _ in 0..<min(iterations / 10, 10_000) { body() }  // warm up
    let start = cgl_monotonic_ns()
    for _ in 0..<iterations { body() }
    let ns = Double(cgl_monotonic_ns() - start) / Double(iterations)
    print("\(name)\t\((ns * 10).rounded() / 10) ns/op")
}

/// `portcullis-microbench [group...]`: runs the named groups, or all of them.
let groups: [(String, () -> Void)] = [
    ("auth", benchAuth),
    ("ratelimit", benchRateLimit),
    ("logging", benchLogging),
]
let wanted = Set(CommandLine.arguments.dropFirst())
for (name, run) in groups where wanted.isEmpty || wanted.contains(name) {
    print("# \(name)")
    run()
}
