import Foundation
import GatewayHTTP
import GatewayPosix
import GatewayTestSupport
import GatewayUpstream
import Synchronization

/// An `UpstreamHTTPClient` on an event loop of its own, and a way to run one
/// call on it from a test and wait for its end.
final class UpstreamHarness: Sendable {
    let group: EventLoopGroup
    var loop: EventLoop { group.loops[0] }
    private let box: ClientBox

    private final class ClientBox: @unchecked Sendable {
        // Created here, used only on the loop.
        let client: UpstreamHTTPClient
        init(_ client: UpstreamHTTPClient) { self.client = client }
    }

    init(options: UpstreamHTTPClient.Options = .init()) throws {
        group = try EventLoopGroup(count: 1, namePrefix: "upstream-test")
        box = ClientBox(UpstreamHTTPClient(loop: group.loops[0], options: options))
    }

    deinit { group.shutdown() }

    /// The client's connection counters.
    var counters: UpstreamCounters { box.client.counters }

    /// Starts `request` on the loop; `body` pieces are sent one per loop turn,
    /// then the body is finished (for requests declaring one).
    func start(_ request: UpstreamRequest, body: [[UInt8]] = [], recorder: Recorder) {
        let box = self.box, loop = self.loop
        let bound = UncheckedBox((request, body, recorder))
        loop.execute {
            let (request, body, recorder) = bound.value
            let call = box.client.start(request, handler: recorder)
            recorder.call = call
            guard request.body != .none else { return }
            BodyFeeder(call: call, pieces: body, loop: loop).next()
        }
    }

    /// Sends one body piece per loop turn, then finishes the body.
    private final class BodyFeeder: @unchecked Sendable {
        // Used only on the loop.
        let call: UpstreamCall
        var pieces: ArraySlice<[UInt8]>
        let loop: EventLoop
        init(call: UpstreamCall, pieces: [[UInt8]], loop: EventLoop) {
            self.call = call
            self.pieces = pieces[...]
            self.loop = loop
        }
        func next() {
            guard let piece = pieces.popFirst() else { return call.finishBody() }
            piece.withUnsafeBytes { call.sendBody($0) }
            loop.execute { self.next() }
        }
    }

    /// Runs one call and waits for it to finish or fail.
    func call(_ request: UpstreamRequest, body: [[UInt8]] = [], recorder: Recorder = Recorder(),
              timeout: Duration = .seconds(10)) -> Recorder {
        start(request, body: body, recorder: recorder)
        recorder.wait(timeout)
        return recorder
    }

    /// Runs `body` on the loop and waits for it.
    func onLoop(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        loop.execute {
            body()
            done.signal()
        }
        done.wait()
    }
}

struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Records what a call hands its handler. Touched on the loop until `done`
/// is signalled, read by the test after.
final class Recorder: UpstreamResponseHandler, @unchecked Sendable {
    var head: UpstreamResponseHead?
    var body: [UInt8] = []
    var finished = false
    var failure: UpstreamFailure?
    var drains = 0
    var call: UpstreamCall?
    /// Body pieces to refuse (each then resumed after `resumeAfter`).
    var refusals: Int
    let resumeAfter: Duration
    private let loop: EventLoop?
    private let done = DispatchSemaphore(value: 0)
    private var signalled = false

    init(refusals: Int = 0, resumeAfter: Duration = .milliseconds(20), loop: EventLoop? = nil) {
        self.refusals = refusals
        self.resumeAfter = resumeAfter
        self.loop = loop
    }

    var status: Int? { head?.status }
    var text: String { String(decoding: body, as: UTF8.self) }
    func field(_ name: String) -> String? { head?.headers.first(name: name) }

    func wait(_ timeout: Duration) {
        let nanos = Int(timeout.components.seconds) * 1_000_000_000 + Int(timeout.components.attoseconds / 1_000_000_000)
        _ = done.wait(timeout: .now() + .nanoseconds(nanos))
    }

    private func end() {
        guard !signalled else { return }
        signalled = true
        call = nil
        done.signal()
    }

    /// Cancels the call as soon as the head arrives (as a proxy whose client went away would).
    var cancelOnHead = false

    func upstreamDidReceiveHead(_ head: UpstreamResponseHead) {
        self.head = head
        if cancelOnHead {
            call?.cancel()
            end()
        }
    }

    func upstreamDidReceiveBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        if refusals > 0, let loop {
            refusals -= 1
            let nanos = Int64(resumeAfter.components.attoseconds / 1_000_000_000)
                + resumeAfter.components.seconds * 1_000_000_000
            loop.schedule(afterNanos: nanos) { [self] in call?.resumeResponse() }
            return false
        }
        body.append(contentsOf: chunk)
        return true
    }

    func upstreamDidDrainRequestBody() { drains += 1 }
    func upstreamDidFinish() { finished = true; end() }
    func upstreamDidFail(_ failure: UpstreamFailure) { self.failure = failure; end() }
}

/// A scripted upstream that counts its connections and keeps what it was sent.
final class ScriptedUpstream: Sendable {
    let server: TestTCPServer
    private let state = Mutex<(connections: Int, requests: [TestServerConnection.Request])>((0, []))
    var port: Int { server.port }
    var connections: Int { state.withLock { $0.connections } }
    var requests: [TestServerConnection.Request] { state.withLock { $0.requests } }

    /// `serve` gets the connection's number (from 1) and the connection.
    init(_ serve: @escaping @Sendable (_ number: Int, _ connection: TestServerConnection, _ upstream: ScriptedUpstream) throws -> Void) throws {
        let holder = Holder()
        server = try TestTCPServer { connection in
            guard let upstream = holder.upstream else { return }
            let number = upstream.state.withLock { state -> Int in
                state.connections += 1
                return state.connections
            }
            try serve(number, connection, upstream)
        }
        holder.upstream = self
    }

    /// Reads one request and keeps it.
    func read(_ connection: TestServerConnection) throws -> TestServerConnection.Request? {
        guard let request = try connection.readRequest() else { return nil }
        state.withLock { $0.requests.append(request) }
        return request
    }

    private final class Holder: @unchecked Sendable {
        // Set once, right after the server starts, before any connection can arrive.
        weak var upstream: ScriptedUpstream?
    }

    func request(url path: String = "", _ target: String = "/v1/x", method: String = "GET",
                 headers: HTTPHeaders = HTTPHeaders(), body: UpstreamRequest.Body = .none,
                 timeoutMillis: Int = 5_000) -> UpstreamRequest {
        UpstreamRequest(method: method, origin: UpstreamOrigin("http://127.0.0.1:\(port)\(path)"), target: target,
                        headers: headers, body: body, totalTimeoutMillis: timeoutMillis)
    }
}
