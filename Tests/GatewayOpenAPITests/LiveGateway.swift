import Foundation
import GatewayTestSupport

/// The fixture configuration served for real: one sample ledger upstream and
/// a gateway in front of it, both `portcullis` processes on loopback port 0,
/// with a fresh data directory. Stopped (and cleaned up) by `stop()` or deinit.
final class LiveGateway: @unchecked Sendable {
    // Created and stopped by one test; the processes guard their own state.
    let upstream: PortcullisProcess
    let gateway: PortcullisProcess
    let directory: URL
    var baseURL: String { "http://127.0.0.1:\(gateway.port)" }

    init() throws {
        directory = try OpenAPIFixtures.temporaryDirectory("sdk-gateway")
        upstream = try PortcullisProcess(["sample-upstream", "--listen", "127.0.0.1:0"])
        let upstreamURL = "http://127.0.0.1:\(upstream.port)"
        let routes = directory.appendingPathComponent("routes.json").path
        try OpenAPIFixtures.routesText(v1: upstreamURL, v2: upstreamURL).write(toFile: routes, atomically: true, encoding: .utf8)
        gateway = try PortcullisProcess(["serve", "--config", routes, "--data", directory.appendingPathComponent("data").path])
    }

    func stop() {
        gateway.stop()
        upstream.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
