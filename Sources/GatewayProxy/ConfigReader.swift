import GatewayHTTP

/// Reads one JSON object of a configuration file, collecting problems with
/// their JSON paths instead of stopping at the first, and refusing keys it
/// was not asked about (`finish()`).
final class ConfigReader {
    let path: String
    private let members: [(String, JSONValue)]
    private var seen: Set<String> = []
    private let sink: IssueSink

    /// Collects the issues of a whole document.
    final class IssueSink {
        var issues: [ConfigIssue] = []
        func add(_ path: String, _ message: String) { issues.append(ConfigIssue(path: path, message: message)) }
    }

    init?(_ value: JSONValue, path: String, sink: IssueSink) {
        guard case .object(let members) = value else {
            sink.add(path, "must be an object, found \(value.typeName)")
            return nil
        }
        self.path = path
        self.members = members
        self.sink = sink
        var keys: Set<String> = []
        for (key, _) in members where !keys.insert(key).inserted {
            sink.add(child(key), "appears more than once")
        }
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func issue(_ key: String, _ message: String) { sink.add(child(key), message) }

    func value(_ key: String) -> JSONValue? {
        seen.insert(key)
        return members.last { $0.0 == key }?.1
    }

    func string(_ key: String, required: Bool = false) -> String? {
        guard let v = value(key) else {
            if required { issue(key, "is required") }
            return nil
        }
        guard case .string(let s) = v else {
            issue(key, "must be a string, found \(v.typeName)")
            return nil
        }
        if required && s.isEmpty { issue(key, "must not be empty") }
        return s
    }

    func int(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let v = value(key) else {
            if required { issue(key, "is required") }
            return nil
        }
        guard let i = v.intValue else {
            issue(key, "must be an integer, found \(v.typeName)")
            return nil
        }
        guard let n = Int(exactly: i), range.contains(n) else {
            issue(key, "must be between \(range.lowerBound) and \(range.upperBound), found \(i)")
            return nil
        }
        return n
    }

    func bool(_ key: String) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v else {
            issue(key, "must be true or false, found \(v.typeName)")
            return nil
        }
        return b
    }

    func strings(_ key: String, required: Bool = false) -> [String]? {
        guard let v = value(key) else {
            if required { issue(key, "is required") }
            return nil
        }
        guard case .array(let items) = v else {
            issue(key, "must be an array of strings, found \(v.typeName)")
            return nil
        }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else {
                sink.add("\(child(key))[\(i)]", "must be a string, found \(item.typeName)")
                continue
            }
            out.append(s)
        }
        return out
    }

    /// Each element of an array of objects, with its path.
    func objects(_ key: String, required: Bool = false) -> [ConfigReader]? {
        guard let v = value(key) else {
            if required { issue(key, "is required") }
            return nil
        }
        guard case .array(let items) = v else {
            issue(key, "must be an array, found \(v.typeName)")
            return nil
        }
        return items.enumerated().compactMap { i, item in
            ConfigReader(item, path: "\(child(key))[\(i)]", sink: sink)
        }
    }

    func object(_ key: String) -> ConfigReader? {
        guard let v = value(key) else { return nil }
        return ConfigReader(v, path: child(key), sink: sink)
    }

    /// Reports every key that no accessor asked for.
    func finish() {
        for (key, _) in members where !seen.contains(key) {
            issue(key, "unknown key")
        }
    }
}
