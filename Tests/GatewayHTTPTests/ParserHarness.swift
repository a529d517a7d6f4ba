import GatewayHTTP
import GatewayTestSupport

/// A parser event with its body bytes copied out, so runs can be compared.
enum RecordedEvent: Equatable, CustomStringConvertible {
    case head(HTTPRequestHead)
    case body([UInt8])
    case end

    var description: String {
        switch self {
        case .head(let h): "head(\(h.method) \(h.target) \(h.version) \(h.framing) [\(h.headers.count) fields])"
        case .body(let b): "body(\(String(decoding: b, as: UTF8.self).debugDescription))"
        case .end: "end"
        }
    }
}

/// The result of driving a parser over a byte stream as a connection would.
struct ParseRun {
    var events: [RecordedEvent] = []
    var error: HTTPParseError?
    /// Bytes left in the connection buffer when the input ran out.
    var leftover: [UInt8] = []

    var status: Int? { error?.status }
    var heads: [HTTPRequestHead] {
        events.compactMap { if case .head(let h) = $0 { h } else { nil } }
    }
    /// The body bytes of the `n`th request.
    func body(_ n: Int = 0) -> [UInt8] {
        var index = -1
        var out: [UInt8] = []
        for event in events {
            switch event {
            case .head: index += 1
            case .body(let b) where index == n: out += b
            default: break
            }
        }
        return out
    }
}

/// Drives an `HTTPRequestParser` the way a connection does: bytes arrive in
/// `pieces`, are appended to a buffer, and whatever the parser consumes is
/// removed; unconsumed bytes are offered again with the next piece.
/// Adjacent body events are merged so different splits compare equal.
func drive(_ pieces: [[UInt8]], limits: HTTPParserLimits = .init()) -> ParseRun {
    var parser = HTTPRequestParser(limits: limits)
    var run = ParseRun()
    var buffer: [UInt8] = []
    func record(_ event: HTTPParserEvent) {
        switch event {
        case .head(let head): run.events.append(.head(head))
        case .body(let bytes):
            precondition(!bytes.isEmpty, "the parser reported an empty body slice")
            if case .body(let previous)? = run.events.last {
                run.events[run.events.count - 1] = .body(previous + Array(bytes))
            } else {
                run.events.append(.body(Array(bytes)))
            }
        case .end: run.events.append(.end)
        }
    }
    for piece in pieces {
        buffer += piece
        while !buffer.isEmpty {
            let consumed: Int
            do {
                consumed = try feed(&parser, buffer, record)
            } catch {
                run.error = error
                return run
            }
            precondition(consumed <= buffer.count)
            buffer.removeFirst(consumed)
            if consumed == 0 { break }
        }
    }
    run.leftover = buffer
    return run
}

func drive(_ text: String, limits: HTTPParserLimits = .init()) -> ParseRun {
    drive([Array(text.utf8)], limits: limits)
}

/// Feeds `bytes` one byte at a time.
func driveByteByByte(_ bytes: [UInt8], limits: HTTPParserLimits = .init()) -> ParseRun {
    drive(bytes.map { [$0] }, limits: limits)
}

/// Feeds `bytes` in two pieces split at `position`.
func driveSplit(_ bytes: [UInt8], at position: Int, limits: HTTPParserLimits = .init()) -> ParseRun {
    drive([Array(bytes[..<position]), Array(bytes[position...])], limits: limits)
}

/// Offers `bytes` to `parser` once.
func feed(_ parser: inout HTTPRequestParser, _ bytes: [UInt8],
          _ sink: (HTTPParserEvent) -> Void = { _ in }) throws(HTTPParseError) -> Int {
    let result: Result<Int, HTTPParseError> = bytes.withUnsafeBytes { raw in
        do throws(HTTPParseError) { return .success(try parser.parse(raw, sink)) } catch { return .failure(error) }
    }
    return try result.get()
}

/// One to four random edits of `input`: a byte replaced by one of `interesting`
/// or a random one, inserted, or removed.
func mutateBytes(_ input: [UInt8], _ rng: inout SplitMix, interesting: [UInt8]) -> [UInt8] {
    var bytes = input
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let position = Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: bytes[position] = interesting.randomElement(using: &rng)!
        case 1: bytes.insert(interesting.randomElement(using: &rng)!, at: position)
        case 2: if bytes.count > 1 { bytes.remove(at: position) }
        default: bytes[position] = UInt8.random(in: 0...255, using: &rng)
        }
    }
    return bytes
}
