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

        try DataDirectory.prepare(dataDir)
        var config: GatewayConfig
        do {
            let loaded = try GatewayConfig.loadChecked(path: configPath, dataDirectory: dataDir)
            config = loaded.config
            ServedConfiguration.record(loaded.bytes, sourcePath: configPath, in: dataDir)
        } catch {
            for issue in error.issues { print("\(configPath): \(issue)", to: &standardError) }
            return 1
        }

        SignalWatcher.blockSignals()
        let metrics = GatewayMetrics()
        let composition = try Composition(config: config, dataDirectory: dataDir, metrics: metrics)
        let control = try EventLoop(name: "control")
        composition.startBackgroundWork(on: control)
        let gateway = try Gateway(pipeline: composition.pipeline(for: config), metrics: metrics)
        composition.markReady()
        Diagnostics.warn("gateway listening on \(SocketAddress(host: config.listen.host, port: gateway.port)) with \(gateway.group.loops.count) event loop(s)")

        var running = true
        let watcher = try SignalWatcher(loop: control) { signo in
            switch signo {
            case SIGHUP:
                do {
                    let fresh = try GatewayConfig.loadChecked(path: configPath, dataDirectory: nil, previous: config)
                    gateway.reload(composition.pipeline(for: fresh.config))
                    config = fresh.config
                    ServedConfiguration.record(fresh.bytes, sourcePath: configPath, in: dataDir)
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
