import CGatewayLinux
import GatewayPosix

/// The total timeouts of a loop's upstream exchanges: an intrusive list in
/// deadline order and one loop timer for its head.
///
/// Most routes share one timeout, so a new exchange's deadline is almost always
/// the latest and joins at the tail: adding and removing cost a few pointer
/// writes, and the timer is armed only when the earliest deadline moves earlier
/// (not per request). A timer that fires early (its exchange finished) re-arms
/// for the current head.
final class UpstreamDeadlines {
    private let loop: EventLoop
    private var first: UpstreamExchange?
    private unowned(unsafe) var last: UpstreamExchange?
    private var timer: EventLoop.TimerID?
    private var timerDeadline: Int64 = .max

    init(loop: EventLoop) {
        self.loop = loop
    }

    /// Adds `exchange`, whose `deadline` is set.
    func insert(_ exchange: UpstreamExchange) {
        precondition(!exchange.hasDeadline, "UpstreamDeadlines: an exchange is listed once")
        exchange.hasDeadline = true
        var after = last
        while let candidate = after, candidate.deadline > exchange.deadline { after = candidate.previousByDeadline }
        if let after {
            exchange.nextByDeadline = after.nextByDeadline
            exchange.previousByDeadline = after
            after.nextByDeadline = exchange
        } else {
            exchange.nextByDeadline = first
            exchange.previousByDeadline = nil
            first = exchange
        }
        if let next = exchange.nextByDeadline { next.previousByDeadline = exchange } else { last = exchange }
        if exchange.deadline < timerDeadline { arm(exchange.deadline) }
    }

    func remove(_ exchange: UpstreamExchange) {
        guard exchange.hasDeadline else { return }
        exchange.hasDeadline = false
        let next = exchange.nextByDeadline
        if let previous = exchange.previousByDeadline { previous.nextByDeadline = next } else { first = next }
        if let next { next.previousByDeadline = exchange.previousByDeadline } else { last = exchange.previousByDeadline }
        exchange.nextByDeadline = nil
        exchange.previousByDeadline = nil
    }

    private func arm(_ deadline: Int64) {
        if let timer { loop.cancel(timer) }
        timerDeadline = deadline
        timer = loop.schedule(afterNanos: deadline - cgl_monotonic_ns()) { [weak self] in self?.fire() }
    }

    private func fire() {
        timer = nil
        timerDeadline = .max
        let now = cgl_monotonic_ns()
        while let head = first, head.deadline <= now {
            remove(head)
            head.timedOut()
        }
        if let head = first { arm(head.deadline) }
    }
}
