/// Byte constants and small byte-level helpers shared by the parsers.
///
/// Mail syntax is ASCII; everything here works on `UInt8` so that no parser has to build a
/// `String` before it knows which bytes it needs.
enum ASCII {
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let apostrophe: UInt8 = 0x27
    static let openParen: UInt8 = 0x28
    static let closeParen: UInt8 = 0x29
    static let asterisk: UInt8 = 0x2A
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let lessThan: UInt8 = 0x3C
    static let equals: UInt8 = 0x3D
    static let greaterThan: UInt8 = 0x3E
    static let question: UInt8 = 0x3F
    static let at: UInt8 = 0x40
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let underscore: UInt8 = 0x5F
    static let percent: UInt8 = 0x25

    @inline(__always) static func isWSP(_ b: UInt8) -> Bool { b == space || b == tab }
    /// Whitespace in the wide sense used when trimming values: WSP, CR and LF.
    @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool {
        b == space || b == tab || b == cr || b == lf
    }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool {
        (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A
    }
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
        b >= 0x41 && b <= 0x5A ? b | 0x20 : b
    }
    /// The value of a hexadecimal digit in either case, or nil.
    @inline(__always) static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    /// Compares bytes with an ASCII string, ignoring case; `lowercased` must be lower case.
    static func equalsIgnoringCase<C: Collection<UInt8>>(_ bytes: C, _ lowercased: String) -> Bool {
        var it = lowercased.utf8.makeIterator()
        for b in bytes {
            guard let c = it.next(), lower(b) == c else { return false }
        }
        return it.next() == nil
    }

    /// Whether every byte is below 0x80 (eight bytes at a time).
    static func isASCII(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let count = buffer.count
        var i = 0
        while i + 8 <= count {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < count {
            if base[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    /// Compares two byte strings, ASCII letters in either case.
    static func equalsIgnoringCase(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var i = 0
        while i < a.count {
            if a[i] != b[i], lower(a[i]) != lower(b[i]) { return false }
            i += 1
        }
        return true
    }

    /// The bytes with leading and trailing whitespace (WSP, CR, LF) removed.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lo = bytes.startIndex
        var hi = bytes.endIndex
        while lo < hi, isWhitespace(bytes[lo]) { lo += 1 }
        while hi > lo, isWhitespace(bytes[hi - 1]) { hi -= 1 }
        return bytes[lo..<hi]
    }

    /// Whether the bytes hold a CR or LF (a folded field value), found with `memchr`.
    static func hasLineBreak(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { buf in
            ByteSearch.first(lf, in: buf, from: 0, to: buf.count) != nil
                || ByteSearch.first(cr, in: buf, from: 0, to: buf.count) != nil
        }
    }

    /// Header bytes with line breaks removed (RFC 5322 unfolding keeps the folding whitespace).
    ///
    /// Every CR and LF goes, as Python's email package does: a CR or LF that survives in a
    /// field value is a defect, never meaningful text.
    static func unfolded(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        for b in bytes where b != cr && b != lf { out.append(b) }
        return out
    }

    /// Bytes as text: UTF-8 when they are UTF-8, otherwise Latin-1 (see `Charset.fallback`).
    static func text<C: Collection<UInt8>>(_ bytes: C) -> String {
        Charset.fallback(bytes)
    }

    /// The lower-cased ASCII string for bytes that are known to be (mostly) ASCII.
    static func lowercasedString<C: Collection<UInt8>>(_ bytes: C) -> String {
        text(bytes.map(lower))
    }
}

extension String {
    /// The string without leading and trailing white space and newlines.
    ///
    /// Only `Character.isWhitespace` decides, as always; the common case (an ASCII byte at each end
    /// that is not white space) is answered from the two end bytes without walking characters.
    func trimmingWhitespace() -> String {
        if let first = utf8.first, let last = utf8.last, Self.isPlainASCIIEnd(first), Self.isPlainASCIIEnd(last) {
            // A character that starts or ends with such a byte starts with a scalar that is not
            // white space (only Prepend scalars, none of them white space, join a following one).
            return self
        }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }

    /// An ASCII byte that is not white space in Unicode's sense (HT, LF, VT, FF, CR, space).
    private static func isPlainASCIIEnd(_ b: UInt8) -> Bool {
        b < 0x80 && b != 0x20 && !(b >= 0x09 && b <= 0x0D)
    }
}
