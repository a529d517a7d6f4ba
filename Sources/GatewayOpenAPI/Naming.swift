import GatewayProxy

/// Deterministic names derived from the configuration: operation ids,
/// summaries, schema names and scope descriptions. The same configuration
/// always yields the same names, so generated SDKs keep their method and
/// type names from one release to the next.
enum Naming {
    /// Words of a name: split on anything not a letter or digit, and before
    /// an upper-case letter that follows a lower-case one (`rotateSecret`).
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousLower = false
        for ch in text {
            if ch.isASCII && (ch.isLetter || ch.isNumber) {
                if ch.isUppercase && previousLower && !current.isEmpty {
                    words.append(current)
                    current = ""
                }
                current.append(ch)
                previousLower = ch.isLowercase || ch.isNumber
            } else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousLower = false
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// `api-clients` → `ApiClients`, `v1` → `V1`.
    static func pascal(_ text: String) -> String {
        words(text).map(capitalized).joined()
    }

    /// `list ledger entries` → `listLedgerEntries`.
    static func camel(_ words: [String]) -> String {
        guard let first = words.first else { return "" }
        return first.lowercased() + words.dropFirst().map(capitalized).joined()
    }

    static func capitalized(_ word: String) -> String {
        guard let first = word.first else { return word }
        return first.uppercased() + word.dropFirst()
    }

    /// A plural English noun made singular, for the common cases only
    /// (`entries` → `entry`, `boxes` → `box`, `accounts` → `account`).
    static func singular(_ word: String) -> String {
        let lower = word.lowercased()
        if lower.count > 3 && lower.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
        for suffix in ["sses", "xes", "ches", "shes", "zzes"] where lower.hasSuffix(suffix) {
            return String(word.dropLast(2))
        }
        if lower.hasSuffix("s") && !lower.hasSuffix("ss") && !lower.hasSuffix("us") && lower.count > 1 {
            return String(word.dropLast())
        }
        return word
    }

    /// The verb and noun words an operation's id and summary are made from:
    /// `GET /ledger/entries` → list ledger entries; `GET /ledger/entries/{id}`
    /// → get ledger entry; `POST /ledger/entries` → create ledger entry.
    static func operationWords(method: String, path: String) -> [String] {
        let segments = PathTemplate.segments(path)
        var nouns: [String] = []
        for (i, segment) in segments.enumerated() {
            guard case .literal(let text) = segment else { continue }
            var parts = words(text)
            let nextIsParameter = i + 1 < segments.count && { if case .parameter = segments[i + 1] { true } else { false } }()
            let isLast = i == segments.count - 1
            if let last = parts.last, nextIsParameter || (isLast && method != "GET" && method != "DELETE") {
                parts[parts.count - 1] = singular(last)
            }
            nouns += parts.map { $0.lowercased() }
        }
        if nouns.isEmpty { nouns = ["root"] }
        let endsWithParameter: Bool = { if case .parameter = segments.last { true } else { false } }()
        let verb: String
        switch method {
        case "GET": verb = endsWithParameter ? "get" : "list"
        case "POST": verb = endsWithParameter ? "post" : "create"
        case "PUT": verb = "replace"
        case "PATCH": verb = "update"
        case "DELETE": verb = "delete"
        default: verb = method.lowercased()
        }
        return [verb] + nouns
    }

    /// `Read ledger` for `ledger:read`, `Export ledger reports` for `ledger-reports:export`.
    static func scopeDescription(_ scope: String) -> String {
        let parts = scope.split(separator: ":").map(String.init)
        let resource = parts.dropLast().flatMap { words($0) }.map { $0.lowercased() }
        guard parts.count >= 2, let action = parts.last, !resource.isEmpty else {
            return "Access \(words(scope).map { $0.lowercased() }.joined(separator: " "))"
        }
        let verbs = ["read": "Read", "write": "Write", "admin": "Administer", "manage": "Manage",
                     "delete": "Delete", "create": "Create", "export": "Export", "import": "Import"]
        let verb = verbs[action.lowercased()] ?? capitalized(words(action).joined(separator: " "))
        return "\(verb) \(resource.joined(separator: " "))"
    }
}
