import GatewayHTTP

/// One ledger entry of the sample service, with its `v1` and `v2` renderings.
struct LedgerEntry {
    var id: Int
    var date: String
    var account: String
    var accountName: String
    var description: String
    var amount: String
    var currency: String

    static let accounts = [("4000", "Revenue"), ("1200", "Accounts receivable"), ("2100", "Accounts payable"),
                           ("6100", "Office supplies"), ("1000", "Cash")]

    /// A deterministic entry for `id`.
    static func sample(_ id: Int) -> LedgerEntry {
        let (code, name) = accounts[id % accounts.count]
        let cents = (id * 7919) % 500_000 + 100
        let day = id % 28 + 1
        return LedgerEntry(id: id, date: "2026-11-\(day < 10 ? "0" : "")\(day)", account: code, accountName: name,
                           description: "Invoice INV-2026-\(String(id).leftPadded(6))",
                           amount: "\(cents / 100).\(String(cents % 100).leftPadded(2))", currency: "EUR")
    }

    /// `v1`: flat fields, amount as a decimal string.
    var v1: String {
        "\"id\":\"\(id)\",\"date\":\"\(date)\",\"account\":\"\(account)\",\"description\":\(JSONText.quoted(description)),"
            + "\"amount\":\"\(amount)\",\"currency\":\"\(currency)\""
    }

    /// `v2`: nested account and money objects, renamed fields.
    var v2: String {
        "\"id\":\"\(id)\",\"booked_on\":\"\(date)\",\"account\":{\"code\":\"\(account)\",\"name\":\(JSONText.quoted(accountName))},"
            + "\"memo\":\(JSONText.quoted(description)),\"amount\":{\"value\":\"\(amount)\",\"currency\":\"\(currency)\"}"
    }

    static func v1List(_ entries: [LedgerEntry]) -> String {
        "\"entries\":[" + entries.map { "{" + $0.v1 + "}" }.joined(separator: ",") + "],\"count\":\(entries.count)"
    }

    static func v2List(_ entries: [LedgerEntry]) -> String {
        "\"data\":[" + entries.map { "{" + $0.v2 + "}" }.joined(separator: ",")
            + "],\"page\":{\"size\":\(entries.count),\"next_cursor\":null}"
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
