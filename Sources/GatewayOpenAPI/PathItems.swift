import GatewayHTTP

/// The `paths` object under construction: path items in first-seen order,
/// each path item's operations in the fixed method order of
/// `OperationPlan.methods`.
struct PathItems {
    private var order: [String] = []
    private var items: [String: [(String, JSONValue)]] = [:]

    mutating func add(path: String, method: String, operation: JSONValue) {
        if items[path] == nil {
            order.append(path)
            items[path] = []
        }
        items[path]?.append((method, operation))
    }

    var value: JSONValue {
        .object(order.map { path in
            let operations = (items[path] ?? []).sorted { a, b in
                (OperationPlan.methods.firstIndex(of: a.0) ?? 99) < (OperationPlan.methods.firstIndex(of: b.0) ?? 99)
            }
            return (path, .object(operations))
        })
    }
}
