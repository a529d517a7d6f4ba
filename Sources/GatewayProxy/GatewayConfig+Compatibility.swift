extension GatewayConfig {
    /// The rules that protect integrators from a configuration change: a
    /// version or an operation that integrators may rely on cannot disappear
    /// without the announced notice, and notice, once given, cannot be shortened.
    ///
    /// - A version may be removed only after its sunset.
    /// - An operation may be removed from a version only after that version's sunset
    ///   (a breaking change goes into a new version; the old one is deprecated).
    /// - A newly announced `deprecated_at` may not lie in the past (no back-dating
    ///   to shorten the 90 days), and an announced sunset may not move earlier.
    ///
    /// `previous` is the configuration the gateway served last; `now` is seconds since the epoch.
    public func compatibilityIssues(from previous: GatewayConfig, now: Int64) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        let today = now - now % 86_400
        let earliestSunset = HTTPDate.isoDate(today + GatewayConfig.minimumNoticeSeconds)
        for old in previous.apis {
            guard let a = apis.firstIndex(where: { $0.name == old.name }) else {
                for version in old.versions where !Self.isPastSunset(version, now: now) {
                    issues.append(ConfigIssue(path: "apis",
                        message: "API \"\(old.name)\" was removed but its version \(version.version) has not reached a sunset: "
                            + "deprecate it first (deprecated_at: \(HTTPDate.isoDate(today)), sunset: \(earliestSunset) at the earliest) "
                            + "and remove it after the sunset"))
                }
                continue
            }
            let api = apis[a]
            for oldVersion in old.versions {
                let pastSunset = Self.isPastSunset(oldVersion, now: now)
                guard let v = api.versions.firstIndex(where: { $0.version == oldVersion.version }) else {
                    if !pastSunset {
                        issues.append(ConfigIssue(path: "apis[\(a)].versions",
                            message: "version \(oldVersion.version) was removed before its sunset: "
                                + (oldVersion.sunset.map { "it may be removed after \(HTTPDate.isoDate($0))" }
                                   ?? "announce it first (deprecated_at: \(HTTPDate.isoDate(today)), sunset: \(earliestSunset) at the earliest)")))
                    }
                    continue
                }
                let version = api.versions[v]
                let vp = "apis[\(a)].versions[\(v)]"
                if oldVersion.deprecatedAt == nil, let announced = version.deprecatedAt, announced < today {
                    issues.append(ConfigIssue(path: "\(vp).deprecated_at",
                        message: "a deprecation announced now cannot be dated in the past (\(HTTPDate.isoDate(announced))): use \(HTTPDate.isoDate(today)) or later"))
                }
                if let oldSunset = oldVersion.sunset, !pastSunset, version.sunset.map({ $0 < oldSunset }) ?? true {
                    issues.append(ConfigIssue(path: "\(vp).sunset",
                        message: "the announced sunset \(HTTPDate.isoDate(oldSunset)) cannot be moved earlier or withdrawn while integrators rely on it"))
                }
                if pastSunset { continue }
                for op in old.operations where op.versions?.contains(oldVersion.version) ?? true {
                    let kept = api.operations.contains { new in
                        new.method == op.method && PathTemplate.shape(new.path) == PathTemplate.shape(op.path)
                            && (new.versions?.contains(oldVersion.version) ?? true)
                    }
                    if !kept {
                        issues.append(ConfigIssue(path: "apis[\(a)].operations",
                            message: "\(op.method) /\(oldVersion.version)\(op.path) was removed from \(oldVersion.version), which has no past sunset: "
                                + "removing an operation is a breaking change; keep it, or add the change in a new version and deprecate "
                                + "\(oldVersion.version) with a sunset at least 90 days ahead (\(earliestSunset) at the earliest)"))
                    }
                }
            }
        }
        return issues
    }

    private static func isPastSunset(_ version: VersionConfig, now: Int64) -> Bool {
        guard let sunset = version.sunset else { return false }
        return now >= sunset
    }
}
