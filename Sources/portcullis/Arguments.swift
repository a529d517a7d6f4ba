/// The command line after the subcommand words: `--flag value` pairs,
/// repeatable flags, and bare positional words. Unknown flags are errors.
struct Arguments {
    private(set) var values: [String: [String]] = [:]
    private(set) var positional: [String] = []
    private var used: Set<String> = []

    /// Parses `words`; `switches` are flags that take no value.
    init(_ words: [String], switches: Set<String> = ["--help", "--public"]) throws(UsageError) {
        var i = 0
        while i < words.count {
            let word = words[i]
            if word.hasPrefix("--") {
                var name = word, inline: String?
                if let eq = word.firstIndex(of: "=") {
                    name = String(word[..<eq])
                    inline = String(word[word.index(after: eq)...])
                }
                if switches.contains(name) {
                    values[name, default: []].append("true")
                } else if let inline {
                    values[name, default: []].append(inline)
                } else {
                    guard i + 1 < words.count else { throw UsageError("\(name) needs a value") }
                    values[name, default: []].append(words[i + 1])
                    i += 1
                }
            } else {
                positional.append(word)
            }
            i += 1
        }
    }

    mutating func flag(_ name: String) -> Bool {
        used.insert(name)
        return values[name] != nil
    }

    mutating func value(_ name: String) -> String? {
        used.insert(name)
        return values[name]?.last
    }

    mutating func all(_ name: String) -> [String] {
        used.insert(name)
        return values[name] ?? []
    }

    mutating func required(_ name: String) throws(UsageError) -> String {
        guard let v = value(name), !v.isEmpty else { throw UsageError("\(name) is required") }
        return v
    }

    mutating func int(_ name: String, in range: ClosedRange<Int>) throws(UsageError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let n = Int(text), range.contains(n) else {
            throw UsageError("\(name) must be a whole number between \(range.lowerBound) and \(range.upperBound)")
        }
        return n
    }

    /// Fails on flags nobody asked for, so typos do not pass silently.
    func finish() throws(UsageError) {
        let unknown = values.keys.filter { !used.contains($0) && $0 != "--help" }.sorted()
        if let first = unknown.first { throw UsageError("unknown option \(first)") }
    }
}

/// A command-line mistake: printed with the command's usage, exit code 2.
struct UsageError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
