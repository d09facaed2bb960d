import Foundation

extension UUID {
    /// A version 7 UUID (RFC 9562 §5.7): the Unix time of `instant` in milliseconds in its first
    /// 48 bits, then 74 random bits. Rows made at the same time sort together in every index keyed
    /// on their id, so the retention sweep, which removes what was collected long ago, deletes from
    /// a few neighbouring pages instead of one page a row (`pledge-bench`'s retention sweep, against
    /// the same store with random ids: `PLEDGE_BENCH_RETENTION_IDS=random`).
    ///
    /// The id tells its creation time to the millisecond, which the row holds anyway; ids given to
    /// visitors' browsers or used as pseudonyms stay random (`UUID()`).
    public static func timeOrdered(at instant: Date) -> UUID {
        var random = SystemRandomNumberGenerator()
        return timeOrdered(at: instant, using: &random)
    }

    /// `timeOrdered(at:)` with the random bits from `generator`.
    public static func timeOrdered(at instant: Date, using generator: inout some RandomNumberGenerator) -> UUID {
        // From the microseconds the row stores, so that the id and the row's own time agree.
        let milliseconds = UInt64(max(0, instant.microseconds / 1000)) & 0xFFFF_FFFF_FFFF
        let high = milliseconds << 16 | 0x7000 | generator.next() & 0x0FFF
        let low = generator.next() & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { buffer in
            for index in 0..<8 {
                buffer[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * index))
                buffer[8 + index] = UInt8(truncatingIfNeeded: low >> (56 - 8 * index))
            }
        }
        return UUID(uuid: bytes)
    }
}
