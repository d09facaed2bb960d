import Foundation

/// A ZIP file (PKWARE APPNOTE 6.3.10) of stored entries: small, readable everywhere, and enough for
/// an export of text files. Entries are not compressed; the link that delivers it may gzip.
public struct ZipArchive: Sendable {
    private var body = Data()
    private var directory = Data()
    private var count: UInt16 = 0

    public init() {}

    /// Adds a file; `modified` sets its DOS timestamp (UTC).
    public mutating func add(_ name: String, _ contents: Data, modified: Date) {
        let nameBytes = Data(name.utf8)
        let crc = CRC32.checksum(contents)
        let (time, date) = Self.dosTimestamp(modified)
        let offset = UInt32(body.count)
        // Local file header: version 2.0, flag bit 11 (UTF-8 names), method 0 (stored).
        body.append(le32: 0x0403_4B50)
        body.append(le16: 20); body.append(le16: 0x0800); body.append(le16: 0)
        body.append(le16: time); body.append(le16: date)
        body.append(le32: crc); body.append(le32: UInt32(contents.count)); body.append(le32: UInt32(contents.count))
        body.append(le16: UInt16(nameBytes.count)); body.append(le16: 0)
        body.append(nameBytes)
        body.append(contents)
        // Central directory entry.
        directory.append(le32: 0x0201_4B50)
        directory.append(le16: 20); directory.append(le16: 20); directory.append(le16: 0x0800); directory.append(le16: 0)
        directory.append(le16: time); directory.append(le16: date)
        directory.append(le32: crc); directory.append(le32: UInt32(contents.count)); directory.append(le32: UInt32(contents.count))
        directory.append(le16: UInt16(nameBytes.count)); directory.append(le16: 0); directory.append(le16: 0)
        directory.append(le16: 0); directory.append(le16: 0); directory.append(le32: 0o100644 << 16)
        directory.append(le32: offset)
        directory.append(nameBytes)
        count += 1
    }

    /// The finished archive.
    public var data: Data {
        var out = body
        out.append(directory)
        out.append(le32: 0x0605_4B50)
        out.append(le16: 0); out.append(le16: 0)
        out.append(le16: count); out.append(le16: count)
        out.append(le32: UInt32(directory.count)); out.append(le32: UInt32(body.count))
        out.append(le16: 0)
        return out
    }

    static func dosTimestamp(_ instant: Date) -> (time: UInt16, date: UInt16) {
        let day = CalendarDate(utc: instant)
        let seconds = Int(instant.timeIntervalSince1970) - day.daysSinceEpoch * 86_400
        let time = UInt16((seconds / 3600) << 11 | (seconds % 3600 / 60) << 5 | (seconds % 60) / 2)
        let date = UInt16(max(0, day.year - 1980) << 9 | day.month << 5 | day.day)
        return (time, date)
    }
}

/// CRC-32 (ISO 3309, the polynomial ZIP and gzip use).
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { table in
            for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }
}

extension Data {
    mutating func append(le16 value: UInt16) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func append(le32 value: UInt32) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
