/// Operation path templates: `/ledger/entries/{id}` — literal segments and
/// whole-segment parameters.
public enum PathTemplate {
    public enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    public static func segments(_ template: String) -> [Segment] {
        template.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { part in
            if part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
    }

    /// The template with parameter names erased, to find duplicates: `/a/{}`.
    static func shape(_ template: String) -> String {
        "/" + segments(template).map { if case .literal(let l) = $0 { l } else { "{}" } }.joined(separator: "/")
    }

    /// What is wrong with a template, or nil.
    static func problem(_ template: String) -> String? {
        guard template.hasPrefix("/") else { return "must start with '/'" }
        if template.count > 1 && template.hasSuffix("/") { return "must not end with '/'" }
        if template.contains("?") || template.contains("#") { return "must not contain a query or fragment" }
        var names: Set<String> = []
        for (i, part) in template.split(separator: "/", omittingEmptySubsequences: false).dropFirst().enumerated() {
            if part.isEmpty && template != "/" { return "segment \(i + 1) is empty" }
            if part == "." || part == ".." { return "must not contain dot segments" }
            if part.contains("{") || part.contains("}") {
                guard part.hasPrefix("{"), part.hasSuffix("}"), part.count > 2,
                      !part.dropFirst().dropLast().contains(where: { $0 == "{" || $0 == "}" }) else {
                    return "parameters must be whole segments such as {id}"
                }
                if !names.insert(String(part.dropFirst().dropLast())).inserted {
                    return "parameter \(part) appears twice"
                }
            }
            if part.contains(where: { $0 == " " || $0 == "%" || !$0.isASCII }) {
                return "must use plain ASCII segments without spaces or percent-escapes"
            }
        }
        return nil
    }
}
