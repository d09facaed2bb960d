import Testing

@testable import PledgeStore

@Suite("A job told there is work now")
struct WorkSignalTests {
    @Test("issue 28 §2: a listener ticks at once, then on each ring with its hour-long poll still far off; a listener that stops is forgotten")
    func ringWakesTheListener() async throws {
        let signal = WorkSignal()
        var ticks = signal.ticks(every: .seconds(3600)).makeAsyncIterator()
        #expect(await ticks.next() != nil, "the first tick comes at once")
        for _ in 0..<3 {
            signal.ring()
            #expect(await ticks.next() != nil)
        }
        // A second listener hears the same ring; cancelled, it is forgotten, and its timer stops.
        let other = Task {
            var count = 0
            for await _ in signal.ticks(every: .seconds(3600)) { count += 1 }
            return count
        }
        while signal.listening < 2 { await Task.yield() }
        signal.ring()
        #expect(await ticks.next() != nil)
        other.cancel()
        #expect(await other.value >= 1)
        #expect(signal.listening == 1)
    }
}
