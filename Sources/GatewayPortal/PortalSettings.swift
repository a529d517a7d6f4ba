/// What the portal shows about the gateway it belongs to, taken from `routes.json` by the
/// composition (a reload builds a new portal with new settings).
///
/// `versions` are the API versions (`v1`, `v2`), each with its OpenAPI document at
/// `/{version}/openapi.json`; `sampleCall` is one proxied `GET` operation (full path with
/// version, e.g. `/v2/ledger/entries`) and the scope it needs, for the copy-paste
/// quickstart; nil leaves the last step of the quickstart generic.
public struct PortalSettings: Sendable, Equatable {
    public struct SampleCall: Sendable, Equatable {
        public var path: String
        public var scope: String

        public init(path: String, scope: String) {
            self.path = path
            self.scope = scope
        }
    }

    public var versions: [String]
    public var sampleCall: SampleCall?

    public init(versions: [String] = [], sampleCall: SampleCall? = nil) {
        self.versions = versions
        self.sampleCall = sampleCall
    }
}
