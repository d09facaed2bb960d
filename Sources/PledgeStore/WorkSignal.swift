import Synchronization

/// Tells a background job on this node that there is work for it now, so it starts at once rather
/// than at its next poll: a campaign started or resumed here is sent straight away; other nodes find
/// it when they next look. A ring nobody is listening for is lost, which costs nothing: the poll remains.
public final class WorkSignal: Sendable {
    private struct Listeners {
        var next = 0
        var streams: [Int: AsyncStream<Void>.Continuation] = [:]
    }

    private let listeners = Mutex(Listeners())

    public init() {}

    /// There is work now.
    public func ring() {
        for listener in listeners.withLock({ Array($0.streams.values) }) { listener.yield() }
    }

    /// A tick at once, then every `interval` and whenever rung; ticks that come while the listener is
    /// busy fold into one. Ends when the task iterating it is cancelled, its timer with it.
    public func ticks(every interval: Duration) -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = listeners.withLock { listeners in
            defer { listeners.next += 1 }
            listeners.streams[listeners.next] = continuation
            return listeners.next
        }
        let timer = Task {
            while !Task.isCancelled {
                continuation.yield()
                try? await Task.sleep(for: interval)
            }
        }
        continuation.onTermination = { [weak self] _ in
            timer.cancel()
            _ = self?.listeners.withLock { $0.streams.removeValue(forKey: id) }
        }
        return stream
    }

    /// How many listen now.
    var listening: Int { listeners.withLock { $0.streams.count } }
}
