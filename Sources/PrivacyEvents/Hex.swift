/// Lower-case hexadecimal, the form every hash in the ledger is written in.
public enum Hex {
    /// Encodes bytes as lower-case hex.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits: StaticString = "0123456789abcdef"
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        digits.withUTF8Buffer { table in
            for b in bytes {
                out.append(table[Int(b >> 4)])
                out.append(table[Int(b & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Encodes raw bytes as lower-case hex: ``encode(_:)`` without a generic sequence's
    /// iteration (for hashes made by the thousand).
    public static func encode(raw bytes: UnsafeRawBufferPointer) -> String {
        encode(raw: bytes, separators: 0) { _ in nil }
    }

    /// ``encode(raw:)`` with the `separators` characters `separator` gives (for the index of
    /// the byte they precede) in between: a UUID's dashes, a list's spaces.
    public static func encode(raw bytes: UnsafeRawBufferPointer, separators: Int, separator: (Int) -> UInt8?) -> String {
        let digits: StaticString = "0123456789abcdef"
        return digits.withUTF8Buffer { table in
            String(unsafeUninitializedCapacity: bytes.count * 2 + separators) { out in
                var n = 0
                for index in 0..<bytes.count {
                    if separators > 0, let character = separator(index) {
                        out[n] = character
                        n += 1
                    }
                    out[n] = table[Int(bytes[index] >> 4)]
                    out[n + 1] = table[Int(bytes[index] & 0x0f)]
                    n += 2
                }
                return n
            }
        }
    }

    /// Decodes non-empty, even-length lower-case hex (the form privctl writes hashes and
    /// pseudonyms in) into `out`, which holds at least half as many bytes; the number of bytes,
    /// or nil for any other text (upper case, odd length, other characters, empty).
    public static func decodeLowercase(_ text: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        guard !text.isEmpty, text.count % 2 == 0, out.count >= text.count / 2 else { return nil }
        var i = 0
        while i < text.count {
            guard let hi = lowerNibble(text[i]), let lo = lowerNibble(text[i + 1]) else { return nil }
            out[i / 2] = hi << 4 | lo
            i += 2
        }
        return text.count / 2
    }

    @inline(__always)
    private static func lowerNibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    /// Decodes hex (either case); nil when the text is not an even number of hex digits.
    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
