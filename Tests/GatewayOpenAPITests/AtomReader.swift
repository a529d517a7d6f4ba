import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the parts of an Atom feed the tests check, with Foundation's XMLParser.
final class AtomReader: NSObject, XMLParserDelegate {
    struct Entry { var id = "", title = "", updated = "", summary = "", link: String? }
    var id = "", updated = "", selfLink: String?, hasAuthor = false
    var entries: [Entry] = []
    private var text = ""
    private var entry: Entry?
    private var sawNamespace = false

    static func read(_ xml: String) throws -> AtomReader {
        let reader = AtomReader()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        guard parser.parse() else {
            throw PortcullisTestError("invalid XML: \(parser.parserError.map { "\($0)" } ?? "unknown")")
        }
        guard reader.sawNamespace else { throw PortcullisTestError("the feed is not in the Atom namespace") }
        return reader
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        text = ""
        if name == "feed", namespaceURI == "http://www.w3.org/2005/Atom" { sawNamespace = true }
        if name == "entry" { entry = Entry() }
        if name == "author" { hasAuthor = true }
        if name == "link" {
            if entry != nil, attributes["rel"] == "alternate" { entry?.link = attributes["href"] }
            if entry == nil, attributes["rel"] == "self" { selfLink = attributes["href"] }
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch (name, entry != nil) {
        case ("entry", true): entries.append(entry!); entry = nil
        case ("id", true): entry?.id = text
        case ("title", true): entry?.title = text
        case ("updated", true): entry?.updated = text
        case ("summary", true): entry?.summary = text
        case ("id", false): id = text
        case ("updated", false): updated = text
        default: break
        }
    }
}

struct PortcullisTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
