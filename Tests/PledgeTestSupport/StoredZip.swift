import Foundation

/// Reads the entries of a ZIP of stored (uncompressed) entries, as Pledge writes them, walking the
/// local headers; fails on anything else so a test cannot pass on a malformed archive.
public enum StoredZip {
    public enum Failure: Error { case malformed(Int), compressed(String), crc(String) }

    public static func entries(_ data: Data) throws -> [String: Data] {
        let bytes = [UInt8](data)
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        var entries: [String: Data] = [:]
        var offset = 0
        while offset + 30 <= bytes.count, u32(offset) == 0x0403_4B50 {
            let method = u16(offset + 8), size = u32(offset + 18), nameLength = u16(offset + 26), extra = u16(offset + 28)
            let name = String(decoding: bytes[(offset + 30)..<(offset + 30 + nameLength)], as: UTF8.self)
            guard method == 0 else { throw Failure.compressed(name) }
            let start = offset + 30 + nameLength + extra
            guard start + size <= bytes.count else { throw Failure.malformed(offset) }
            entries[name] = Data(bytes[start..<(start + size)])
            offset = start + size
        }
        guard offset + 4 <= bytes.count, u32(offset) == 0x0201_4B50 else { throw Failure.malformed(offset) }
        return entries
    }
}
