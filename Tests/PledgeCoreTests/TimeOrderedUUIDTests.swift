import Foundation
import PledgeCore
import Testing

/// The vault's ids are UUIDv7 (RFC 9562 §5.7) so that rows made together sit together in every index
/// on their id, which is what lets the retention sweep delete old rows from few pages.
@Suite("Time-ordered UUIDs")
struct TimeOrderedUUIDTests {
    /// A generator that always gives the same word, so the layout can be read bit by bit.
    struct Fixed: RandomNumberGenerator {
        let word: UInt64
        mutating func next() -> UInt64 { word }
    }

    @Test("Lays out RFC 9562's version 7: 48 bits of Unix milliseconds, version 7, variant 10, the rest random")
    func layout() {
        // RFC 9562 Appendix A.6's example time: 2022-02-22 19:22:22 UTC is 0x017F22E279B0 ms.
        let instant = Date(timeIntervalSince1970: 1_645_557_742)
        var ones = Fixed(word: .max)
        #expect(UUID.timeOrdered(at: instant, using: &ones).lowercasedString == "017f22e2-79b0-7fff-bfff-ffffffffffff")
        var zeros = Fixed(word: 0)
        #expect(UUID.timeOrdered(at: instant, using: &zeros).lowercasedString == "017f22e2-79b0-7000-8000-000000000000")
    }

    @Test("Ids of later instants sort after earlier ones as stored text; ids of one instant differ")
    func ordersByTime() {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let ids = (0..<500).map { UUID.timeOrdered(at: Date(microseconds: start.microseconds + Int64($0) * 1000)).lowercasedString }
        #expect(ids == ids.sorted())
        let same = Set((0..<1000).map { _ in UUID.timeOrdered(at: start) })
        #expect(same.count == 1000)
        #expect(UUID.timeOrdered(at: Date(timeIntervalSince1970: -5)).lowercasedString.hasPrefix("00000000-0000-7"))
    }
}
