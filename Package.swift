// swift-tools-version:6.0
import PackageDescription

let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]
// The request path's modules: release builds skip the run-time exclusivity checks (debug builds,
// which the tests run, keep them). See docs/architecture.md, "Build settings".
let hotPath: [SwiftSetting] = swift6 + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Portcullis",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "portcullis", targets: ["portcullis"]),
    ],
    targets: [
        // C shims: Linux syscalls Glibc does not export, and the system libraries.
        .target(name: "CGatewayLinux", cSettings: [.define("_GNU_SOURCE")]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypt", pkgConfig: "libxcrypt",
                       providers: [.apt(["libcrypt-dev"])]),

        // Engine.
        .target(name: "GatewayHTTP", swiftSettings: hotPath),
        .target(name: "GatewayPosix", dependencies: ["CGatewayLinux", "GatewayHTTP"], swiftSettings: hotPath),
        .target(name: "GatewayUpstream", dependencies: ["CCurl", "GatewayPosix", "GatewayHTTP"], swiftSettings: hotPath),
        .target(name: "GatewayProxy", dependencies: ["GatewayHTTP", "GatewayPosix", "GatewayUpstream"],
                swiftSettings: hotPath),
        // Filters: each module holds its pure core and the pipeline filter built on it.
        .target(name: "GatewayAuth", dependencies: ["COpenSSL", "GatewayProxy"], swiftSettings: hotPath),
        .target(name: "GatewayRateLimit", dependencies: ["GatewayProxy"], swiftSettings: hotPath),
        .target(name: "GatewayLogging", dependencies: ["GatewayProxy"], swiftSettings: hotPath),

        // Store, evidence, token service.
        .target(name: "GatewayStore", dependencies: ["CSQLite"], swiftSettings: swift6),
        .target(name: "GatewayAudit", dependencies: ["GatewayStore", "COpenSSL"], swiftSettings: swift6),
        .target(name: "TokenService",
                dependencies: ["CCrypt", "COpenSSL", "GatewayHTTP", "GatewayPosix", "GatewayAuth", "GatewayStore",
                               "GatewayAudit"],
                swiftSettings: swift6),
        .target(name: "GatewayOpenAPI", dependencies: ["GatewayProxy"], swiftSettings: swift6),
        .target(name: "GatewayPortal", dependencies: ["GatewayHTTP", "GatewayPosix", "GatewayStore", "TokenService"],
                swiftSettings: swift6),

        // The sample ERP ledger service used by `make run`, the tests and the benchmarks.
        .target(name: "SampleUpstream", dependencies: ["GatewayHTTP", "GatewayPosix"], swiftSettings: swift6),

        .executableTarget(name: "portcullis",
                          dependencies: ["GatewayProxy", "GatewayPosix", "GatewayAuth", "GatewayRateLimit",
                                         "GatewayLogging", "GatewayStore", "GatewayAudit",
                                         "TokenService", "GatewayOpenAPI", "GatewayPortal", "SampleUpstream"],
                          swiftSettings: swift6),

        // Microbenchmarks of hot-path pieces (token check, bucket decision, log encoding).
        .executableTarget(name: "portcullis-microbench",
                          dependencies: ["GatewayHTTP", "GatewayProxy", "GatewayAuth", "GatewayRateLimit",
                                         "GatewayLogging", "CGatewayLinux"],
                          path: "Benchmarks/Micro", swiftSettings: swift6),

        // Tests.
        .target(name: "GatewayTestSupport", dependencies: ["GatewayHTTP"], path: "Tests/GatewayTestSupport",
                exclude: ["tls_upstream.py"], swiftSettings: swift6),
        .testTarget(name: "GatewayHTTPTests", dependencies: ["GatewayHTTP", "GatewayTestSupport"], swiftSettings: swift6),
        .testTarget(name: "GatewayPosixTests", dependencies: ["GatewayPosix", "GatewayTestSupport"], swiftSettings: swift6),
        .testTarget(name: "GatewayUpstreamTests", dependencies: ["GatewayUpstream", "GatewayPosix", "GatewayHTTP", "GatewayTestSupport"],
                    swiftSettings: swift6),
        .testTarget(name: "GatewayProxyTests", dependencies: ["GatewayProxy", "GatewayUpstream", "GatewayTestSupport"], swiftSettings: swift6),
        .testTarget(name: "GatewayAuthTests", dependencies: ["GatewayAuth", "GatewayTestSupport"], swiftSettings: swift6),
        .testTarget(name: "GatewayRateLimitTests", dependencies: ["GatewayRateLimit", "GatewayTestSupport"], swiftSettings: swift6),
        .testTarget(name: "GatewayLoggingTests", dependencies: ["GatewayLogging", "GatewayTestSupport"], swiftSettings: swift6),
        .testTarget(name: "GatewayStoreTests", dependencies: ["GatewayStore", "GatewayAudit", "GatewayTestSupport"], swiftSettings: swift6),
        .testTarget(name: "TokenServiceTests", dependencies: ["TokenService", "GatewayAuth", "GatewayStore", "GatewayAudit",
                                                            "GatewayPosix", "GatewayTestSupport"], swiftSettings: swift6),
        .testTarget(name: "GatewayOpenAPITests", dependencies: ["GatewayOpenAPI", "GatewayTestSupport"],
                    exclude: ["Golden", "Fixtures"], swiftSettings: swift6),
        .testTarget(name: "IntegrationTests", dependencies: ["GatewayTestSupport", "GatewayHTTP", "SampleUpstream", "GatewayAuth",
                                                           "GatewayStore", "GatewayAudit"], swiftSettings: swift6),
    ]
)
