/// Which bytes make up an e-mail address, for everything in privctl that finds addresses in
/// bytes (``MailAddress`` parsing aside): erasure's search and extraction, and the log
/// anonymizer.
///
/// An address a person gives may hold any RFC 5322 `atext` in its local part (`o'brien`,
/// `anna+news`, `{ops}`). In running text (bodies, logs, URLs) the same characters are far more
/// often the quotes and syntax around an address (`'bob@example.org'`, `?mail=bob@example.org`,
/// `{bob@example.org}`): `' ! # $ * ^ ` { | } ~` count as part of a local part only between two
/// letters or digits, where they cannot be quotes (`o'brien`), and `= ? & /` never (`mail=bob@`
/// is a parameter, not the address `mail=bob`). Letters, digits, non-ASCII (RFC 6531) and
/// `. _ - + %` count wherever they stand.
public enum AddressGrammar {
    /// The value of a hexadecimal digit in either case (percent-encoding around addresses), or nil.
    @inline(__always) public static func hexValue(_ b: UInt8) -> UInt8? { ASCII.hexValue(b) }

    /// RFC 5322 `atext`, the dot, and any non-ASCII byte: what a local part may hold.
    @inline(__always) public static func isLocalPartByte(_ b: UInt8) -> Bool {
        isCoreLocalByte(b) || isInnerOnlyLocalByte(b) || b == UInt8(ascii: "=") || b == UInt8(ascii: "?")
            || b == UInt8(ascii: "&") || b == UInt8(ascii: "/")
    }

    /// Letters, digits, non-ASCII and `. _ - + %`: part of a local part wherever they stand.
    @inline(__always) public static func isCoreLocalByte(_ b: UInt8) -> Bool {
        isAlphanumeric(b) || b >= 0x80 || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
            || b == UInt8(ascii: "+") || b == UInt8(ascii: "%")
    }

    /// `' ! # $ * ^ ` { | } ~`: part of a local part in running text only between two letters
    /// or digits.
    @inline(__always) public static func isInnerOnlyLocalByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "'"), UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "*"), UInt8(ascii: "^"),
            UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Letters, digits, `-` and non-ASCII (internationalised domains): what continues a domain
    /// label.
    @inline(__always) public static func isDomainByte(_ b: UInt8) -> Bool {
        isAlphanumeric(b) || b == UInt8(ascii: "-") || b >= 0x80
    }

    @inline(__always) public static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)
    }

    /// Whether the byte at `index` of running text continues a local part that follows it
    /// (so an address cannot start right after it).
    @inline(__always) public static func continuesLocalPart(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Bool {
        let b = bytes[index]
        if isCoreLocalByte(b) { return true }
        guard isInnerOnlyLocalByte(b), index > 0, index + 1 < bytes.count else { return false }
        let before = bytes[index - 1], after = bytes[index + 1]
        return (isAlphanumeric(before) || before >= 0x80) && (isAlphanumeric(after) || after >= 0x80)
    }

    /// Where the local part of the address whose `@` is at `at` starts in running text, going
    /// back at most `limit` bytes; leading dots are not part of it. Equal to `at` when there is
    /// no local part.
    public static func localPartStart(_ bytes: UnsafeRawBufferPointer, before at: Int, limit: Int = 256) -> Int {
        var start = at
        while start > 0, at - start < limit, continuesLocalPart(bytes, at: start - 1) { start -= 1 }
        while start < at, bytes[start] == UInt8(ascii: ".") { start += 1 }
        return start
    }
}
