import GatewayPosix
import GatewayUpstream

/// The proxy's state on one event loop: its upstream transport, the pipeline
/// it currently serves with, its request-id generator and metrics shard.
/// Confined to its loop (hence `@unchecked Sendable`; it is only handed to
/// other threads to be captured by tasks that run back on the loop).
final class ProxyLoop: @unchecked Sendable {
    let loop: EventLoop
    let index: Int
    let transport: UpstreamTransport
    let metrics: GatewayMetrics.Shard
    /// Replaced on reload (on this loop); requests in flight keep the one they started with.
    var pipeline: ProxyPipeline
    var requestIDs: RequestIDGenerator

    init(loop: EventLoop, index: Int, transport: UpstreamTransport, pipeline: ProxyPipeline,
         metrics: GatewayMetrics.Shard) {
        self.loop = loop
        self.index = index
        self.transport = transport
        self.pipeline = pipeline
        self.metrics = metrics
        self.requestIDs = RequestIDGenerator(loopIndex: index)
    }
}

/// A value that may cross threads only to be used back on the event loop it
/// belongs to. The wrapper asserts nothing; callers hop with `EventLoop.execute`.
struct LoopBound<Value>: @unchecked Sendable {
    let value: Value
}
