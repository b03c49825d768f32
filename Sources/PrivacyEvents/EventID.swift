import Foundation

/// A writer-made event identifier: a UUIDv7 (RFC 9562), time-ordered and unique without asking
/// the database, so a retried append after a lost connection never records an event twice.
public struct EventID: StringIdentifier {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// A new UUIDv7 for an event at `time`: 48 bits of Unix milliseconds, the version, 12
    /// random bits, the variant, 62 random bits; lower-case, in the 8-4-4-4-12 form.
    public init(time: Date = Date()) {
        let millis = UInt64(max(0, time.timeIntervalSince1970 * 1000)) & 0xffff_ffff_ffff
        // Two draws of the system generator, not one per byte: each is a system call.
        var rng = SystemRandomNumberGenerator()
        let high = millis << 16 | 0x7000 | (rng.next() as UInt64) & 0x0fff
        let low = 0x8000_0000_0000_0000 | (rng.next() as UInt64) & 0x3fff_ffff_ffff_ffff
        let digits: StaticString = "0123456789abcdef"
        rawValue = digits.withUTF8Buffer { table in
            String(unsafeUninitializedCapacity: 36) { out in
                var n = 0
                for digit in 0..<32 {
                    if digit == 8 || digit == 12 || digit == 16 || digit == 20 {
                        out[n] = UInt8(ascii: "-")
                        n += 1
                    }
                    let word = digit < 16 ? high : low
                    out[n] = table[Int(word >> UInt64(60 - 4 * (digit % 16)) & 0xf)]
                    n += 1
                }
                return n
            }
        }
    }
}
