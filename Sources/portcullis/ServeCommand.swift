import Foundation
import GatewayHTTP
import GatewayPosix
import GatewayProxy
import Glibc

/// `portcullis serve --config FILE [--data DIR]`: the gateway and its token
/// service. SIGHUP reloads the configuration (a bad file is refused and the
/// old one kept); SIGTERM/SIGINT drain in-flight requests and exit 0;
/// SIGUSR1 reopens the log files.
enum ServeCommand {
    static func run(_ args: inout Arguments) throws -> Int32 {
        let configPath = try args.required("--config")
        let dataDir = args.value("--data") ?? "./data"
        try args.finish()

        let config: GatewayConfig
        do {
            config = try GatewayConfig.load(path: configPath)
        } catch {
            for issue in error.issues { print("\(configPath): \(issue)", to: &standardError) }
            return 1
        }
        try DataDirectory.prepare(dataDir)

        SignalWatcher.blockSignals()
        let metrics = GatewayMetrics()
        let composition = try Composition(dataDirectory: dataDir, metrics: metrics, config: config)
        let gateway = try Gateway(pipeline: composition.pipeline(for: config), metrics: metrics)
        composition.markReady()
        Diagnostics.warn("gateway listening on \(SocketAddress(host: config.listen.host, port: gateway.port)) with \(gateway.group.loops.count) event loop(s)")

        let control = try EventLoop(name: "control")
        var running = true
        let watcher = try SignalWatcher(loop: control) { signo in
            switch signo {
            case SIGHUP:
                do {
                    let fresh = try GatewayConfig.load(path: configPath)
                    gateway.reload(composition.pipeline(for: fresh))
                    Diagnostics.warn("configuration reloaded from \(configPath)")
                } catch let error as ConfigError {
                    Diagnostics.warn("reload refused, the previous configuration stays: \(error.issues.map(\.description).joined(separator: "; "))")
                } catch {
                    Diagnostics.warn("reload refused, the previous configuration stays: \(error)")
                }
            case SIGUSR1:
                composition.reopenLogs()
            default:
                running = false
            }
        }
        while running { control.runOnce(timeoutMillis: 1000) }
        _ = watcher
        Diagnostics.warn("draining")
        composition.markDraining()
        gateway.drainAndStop()
        composition.shutdown()
        return 0
    }
}

/// The data directory: created on first use with `logs/` inside.
enum DataDirectory {
    static func prepare(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path + "/logs", withIntermediateDirectories: true)
        } catch {
            throw UsageError("cannot create the data directory \(path): \(error.localizedDescription)")
        }
    }
}
