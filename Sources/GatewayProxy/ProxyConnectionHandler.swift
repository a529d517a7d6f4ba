import GatewayHTTP
import GatewayPosix

/// Connects one client connection to the proxy: each request head starts a
/// `ProxyExchange`; body, end, drain and close events go to the exchange in progress.
final class ProxyConnectionHandler: HTTPServerConnectionDelegate {
    private let proxyLoop: ProxyLoop
    private var exchange: ProxyExchange?

    init(proxyLoop: ProxyLoop) {
        self.proxyLoop = proxyLoop
    }

    func connection(_ connection: HTTPServerConnection, didReceiveHead head: HTTPRequestHead) {
        let exchange = ProxyExchange(head: head, connection: connection, proxyLoop: proxyLoop, owner: self)
        self.exchange = exchange
        exchange.start()
    }

    /// The exchange in progress finished (logged and answered).
    func exchangeDone(_ done: ProxyExchange) {
        if exchange === done { exchange = nil }
    }

    func connection(_ connection: HTTPServerConnection, didReceiveBodyChunk chunk: UnsafeRawBufferPointer) {
        exchange?.requestBody(chunk)
    }

    func connectionDidReceiveEnd(_ connection: HTTPServerConnection) {
        exchange?.requestEnd()
    }

    func connection(_ connection: HTTPServerConnection, didFailToParse error: HTTPParseError) {
        if let exchange {
            exchange.parseFailed(error)
        } else {
            ProxyExchange.answerUnparsable(error, connection: connection, proxyLoop: proxyLoop)
        }
    }

    func connectionDidDrain(_ connection: HTTPServerConnection) {
        exchange?.downstreamDrained()
    }

    func connectionDidClose(_ connection: HTTPServerConnection) {
        exchange?.downstreamClosed()
        exchange = nil
    }
}
