import MailParsing
#if canImport(Glibc)
    import Glibc
#endif

/// Finds one e-mail address in bytes, case-insensitively, as a whole address only.
///
/// `bob@example.org` is found in "mail bob@example.org." and "<BOB@Example.ORG>", as the
/// subaddress "bob+news@example.org", and with the `@` encoded ("bob&#64;example.org" in HTML,
/// "mailto:bob%40example.org" in a link; subaddresses unless made with `subaddresses: false`),
/// but not in "jimbob@example.org",
/// "bob@example.org.evil" or "bob@example.organic". The scan jumps from `@` to `@` (then from
/// `&` and `%` to the next) with `memchr`: base64 bodies and binary attachments contain none of
/// them, so most of a message's bytes are skipped at memory speed.
public struct AddressScanner: Sendable {
    /// The local part, lower-cased ASCII.
    private let local: [UInt8]
    /// The domain, lower-cased ASCII.
    private let domain: [UInt8]
    /// The address as given, lower-cased.
    public let address: String
    /// Whether subaddresses (`bob+news@example.org` for `bob@example.org`) count as the address.
    public let findsSubaddresses: Bool

    /// A scanner for one address (`local@domain`); nil when it is not exactly one address: one
    /// `@`, a local part of RFC 5322 `atext` and dots (`o'brien`, `anna+news`), a domain of
    /// letters, digits, hyphens and dots with at least one dot (non-ASCII allowed in both).
    /// - Parameter subaddresses: whether `LOCAL+TAG@domain` counts as the address (the default;
    ///   `--exact-address` turns it off).
    public init?(_ address: String, subaddresses: Bool = true) {
        let lowered = address.lowercased()
        let bytes = Array(lowered.utf8)
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1,
            bytes.lastIndex(of: UInt8(ascii: "@")) == at,
            bytes[..<at].allSatisfy(AddressGrammar.isLocalPartByte), bytes[(at + 1)...].allSatisfy(Self.isDomainByte),
            bytes[(at + 1)...].contains(UInt8(ascii: ".")), bytes.last != UInt8(ascii: "."),
            bytes[at + 1] != UInt8(ascii: "."),
            // Every label non-empty, none starting or ending with `-` (RFC 1035 §2.3.1).
            bytes[(at + 1)...].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy({ label in
                !label.isEmpty && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
            })
        else { return nil }
        local = Array(bytes[..<at])
        domain = Array(bytes[(at + 1)...])
        self.address = lowered
        self.findsSubaddresses = subaddresses
    }

    private init(copying other: AddressScanner, subaddresses: Bool) {
        local = other.local
        domain = other.domain
        address = other.address
        findsSubaddresses = subaddresses
    }

    /// The same address without its subaddresses: whether a match was the address itself.
    public var exactly: AddressScanner { AddressScanner(copying: self, subaddresses: false) }

    /// A domain label's bytes, or the dot between labels.
    static func isDomainByte(_ b: UInt8) -> Bool { AddressGrammar.isDomainByte(b) || b == UInt8(ascii: ".") }

    /// Whether the address occurs in `bytes`.
    public func occurs(in bytes: UnsafeRawBufferPointer) -> Bool {
        firstOccurrence(in: bytes) != nil
    }

    /// Whether the address occurs in `bytes`.
    public func occurs(in bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { occurs(in: $0) }
    }

    /// Whether the address occurs split in two, as IMAP writes it in an ENVELOPE (RFC 3501:
    /// `("Alice" NIL "alice" "example.org")`) and Dovecot keeps it in `dovecot.index.cache`:
    /// `"alice" "example.org"`, case-insensitively.
    public func occursInEnvelope(_ bytes: [UInt8]) -> Bool {
        let needle = [UInt8(ascii: "\"")] + local + Array("\" \"".utf8) + domain + [UInt8(ascii: "\"")]
        guard bytes.count >= needle.count else { return false }
        var i = 0
        while i + needle.count <= bytes.count {
            guard let quote = bytes[i...].firstIndex(of: UInt8(ascii: "\"")), quote + needle.count <= bytes.count else { return false }
            var matched = true
            for (k, c) in needle.enumerated() where Self.lower(bytes[quote + k]) != c {
                matched = false
                break
            }
            if matched { return true }
            i = quote + 1
        }
        return false
    }

    /// Whether the address occurs in a string.
    public func occurs(in text: String) -> Bool {
        var text = text
        return text.withUTF8 { occurs(in: UnsafeRawBufferPointer($0)) }
    }

    /// The offset of the first whole occurrence's `@` (or of the encoded `@`: see
    /// ``encodedAtSigns``), or nil. A subaddress counts as the address: `alice+news@example.org`
    /// is delivered to `alice@example.org` (unless the address searched for has a `+` itself).
    public func firstOccurrence(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, bytes.count >= local.count + 1 + domain.count else { return nil }
        var from = local.count
        let end = bytes.count - domain.count
        while from < end {
            guard let hit = memchr(base + from, Int32(UInt8(ascii: "@")), end - from) else { break }
            let at = base.distance(to: UnsafeRawPointer(hit))
            if matches(bytes, localEnd: at, domainStart: at + 1) { return at }
            from = at + 1
        }
        // The `@` written as an HTML character reference or percent-encoded (`alice&#64;…` in
        // an HTML part, `mailto:alice%40…` in a link): `&` and `%` start every such form.
        for mark in [UInt8(ascii: "&"), UInt8(ascii: "%")] {
            from = local.count
            while from < end {
                guard let hit = memchr(base + from, Int32(mark), end - from) else { break }
                let at = base.distance(to: UnsafeRawPointer(hit))
                if let length = Self.encodedAtSign(bytes, at: at), at + length + domain.count <= bytes.count,
                    matches(bytes, localEnd: at, domainStart: at + length)
                {
                    return at
                }
                from = at + 1
            }
        }
        return nil
    }

    /// The ways an `@` is written in HTML and URLs, lower-cased.
    static let encodedAtSigns: [[UInt8]] = ["&#64;", "&#064;", "&#0064;", "&#x40;", "&#x040;", "&#x0040;", "&commat;", "%40", "%2540"].map { Array($0.utf8) }

    /// The length of the encoded `@` at `at`, or nil.
    static func encodedAtSign(_ b: UnsafeRawBufferPointer, at: Int) -> Int? { encoded(encodedAtSigns, in: b, at: at) }

    /// Whether the address's domain starts at `domainStart` and its local part (or a subaddress
    /// of it) ends at `localEnd`, each as a whole.
    private func matches(_ b: UnsafeRawBufferPointer, localEnd at: Int, domainStart: Int) -> Bool {
        // Domain after the @, then a character that cannot continue a domain.
        for (i, c) in domain.enumerated() where Self.lower(b[domainStart + i]) != c { return false }
        let after = domainStart + domain.count
        if after < b.count {
            let c = b[after]
            if c >= 0x80 {
                // Non-ASCII: a letter continues the domain (an IDN), punctuation ends it
                // ("bob@example.org”", "…org。", a no-break space).
                if Self.continuesWord(b, scalarAt: after) { return false }
            } else if Self.isDomainCharacter(c) {
                return false
            }
            // "bob@example.org.evil": a dot or hyphen that continues the domain, also encoded
            // ("bob%40example.org%2Eevil.com", "bob&#64;example.org&#46;evil.com").
            if (c == UInt8(ascii: ".") || c == UInt8(ascii: "-")), after + 1 < b.count,
                Self.isDomainCharacter(b[after + 1])
            {
                return false
            }
            if let length = Self.encoded(Self.encodedDomainJoiners, in: b, at: after), after + length < b.count,
                Self.isDomainCharacter(b[after + length])
            {
                return false
            }
        }
        // Local part before the @, then a character that cannot continue a local part.
        if at >= local.count, localEquals(b, from: at - local.count), Self.startsWord(b, at: at - local.count) {
            return true
        }
        // A subaddress: LOCAL+TAG@domain (or LOCAL%2BTAG%40domain), LOCAL a whole word before the `+`.
        guard findsSubaddresses, !local.contains(UInt8(ascii: "+")) else { return false }
        var k = at - 1
        while k > local.count {
            if b[k] == UInt8(ascii: "+") { break }
            if b[k] == UInt8(ascii: "%"), Self.encoded(Self.encodedPlusSigns, in: b, at: k) != nil { break }
            guard AddressGrammar.isCoreLocalByte(b[k]) else { return false }
            k -= 1
        }
        let isPlus = b[k] == UInt8(ascii: "+") || Self.encoded(Self.encodedPlusSigns, in: b, at: k) != nil
        guard k >= local.count, k < at - 1, isPlus else { return false }
        return localEquals(b, from: k - local.count) && Self.startsWord(b, at: k - local.count)
    }

    /// Whether a local part starting at `start` is a whole word: "x.bob@…", "jim-bob@…" and
    /// "o'bob@…" continue the local part (a sentence's "end.bob@" is too rare to matter);
    /// "'bob@…", "=bob@…" and URL syntax encoded before it ("u%3Dbob%40…") stand around it.
    static func startsWord(_ b: UnsafeRawBufferPointer, at start: Int) -> Bool {
        // Non-ASCII before it: a letter continues the local part ("jürgen@…" is not "rgen@…"),
        // punctuation and space do not ("“bob@…", "«bob@…", a no-break space).
        if start > 0, b[start - 1] >= 0x80 { return !continuesWord(b, scalarEndingAt: start) }
        guard start > 0, AddressGrammar.continuesLocalPart(b, at: start - 1) else { return true }
        // "%3D" (or "%253D") just before: an encoded byte that cannot be part of a local part.
        for width in [3, 5] where start >= width && b[start - width] == UInt8(ascii: "%") {
            if width == 5 && !(b[start - 4] == UInt8(ascii: "2") && b[start - 3] == UInt8(ascii: "5")) { continue }
            guard let high = AddressGrammar.hexValue(b[start - 2]), let low = AddressGrammar.hexValue(b[start - 1]) else { continue }
            let decoded = high << 4 | low
            if !AddressGrammar.isCoreLocalByte(decoded) { return true }
        }
        return false
    }

    /// Whether the non-ASCII character that starts at `start` continues an address.
    static func continuesWord(_ b: UnsafeRawBufferPointer, scalarAt start: Int) -> Bool {
        continuesWord(scalar: utf8Scalar(b, from: start, limit: b.count).map(\.scalar), byte: b[start])
    }

    /// Whether the non-ASCII character that ends just before `end` continues an address.
    static func continuesWord(_ b: UnsafeRawBufferPointer, scalarEndingAt end: Int) -> Bool {
        var start = end - 1
        while start > 0, end - start < 4, b[start] & 0xC0 == 0x80 { start -= 1 }
        let decoded = utf8Scalar(b, from: start, limit: end)
        return continuesWord(scalar: decoded?.length == end - start ? decoded?.scalar : nil, byte: b[end - 1])
    }

    /// A letter or digit continues an address; punctuation, symbols and spaces end it. Scripts
    /// written without spaces between words (CJK, kana, Hangul, from U+2E80) end it too: text
    /// runs into an address there ("連絡先bob@example.org"). A byte that is not UTF-8 is read
    /// as Latin-1 or Windows-1252, the charsets whose bytes the search sees undecoded.
    static func continuesWord(scalar: Unicode.Scalar?, byte: UInt8) -> Bool {
        if let scalar {
            let properties = scalar.properties
            return scalar.value < 0x2E80 && (properties.isAlphabetic || properties.numericType != nil)
        }
        switch byte {
        case 0xC0...0xFF: return byte != 0xD7 && byte != 0xF7  // Latin-1 letters, not × and ÷
        case 0xAA, 0xB5, 0xBA, 0x83, 0x8A, 0x8C, 0x8E, 0x9A, 0x9C, 0x9E, 0x9F: return true  // ª µ º ƒ Š Œ Ž š œ ž Ÿ
        default: return false
        }
    }

    /// The UTF-8 scalar starting at `start` (ending before `limit`) and its length, or nil.
    static func utf8Scalar(_ b: UnsafeRawBufferPointer, from start: Int, limit: Int) -> (scalar: Unicode.Scalar, length: Int)? {
        let lead = b[start]
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: (length, value) = (2, UInt32(lead & 0x1F))
        case 0xE0...0xEF: (length, value) = (3, UInt32(lead & 0x0F))
        case 0xF0...0xF4: (length, value) = (4, UInt32(lead & 0x07))
        default: return nil
        }
        guard start + length <= limit else { return nil }
        for k in 1..<length {
            let c = b[start + k]
            guard c & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(c & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value), value >= [0, 0, 0x80, 0x800, 0x10000][length] else { return nil }
        return (scalar, length)
    }

    /// A `.` or `-` written as HTML or in a URL, lower-cased.
    static let encodedDomainJoiners: [[UInt8]] = ["%2e", "%2d", "%252e", "%252d", "&#46;", "&#x2e;", "&period;", "&#45;", "&#x2d;"]
        .map { Array($0.utf8) }
    /// A `+` in a URL, lower-cased.
    static let encodedPlusSigns: [[UInt8]] = ["%2b", "%252b"].map { Array($0.utf8) }

    /// The length of the form among `forms` at `at`, case-insensitively, or nil.
    static func encoded(_ forms: [[UInt8]], in b: UnsafeRawBufferPointer, at: Int) -> Int? {
        for form in forms where at + form.count <= b.count {
            var same = true
            for (i, c) in form.enumerated() where lower(b[at + i]) != c {
                same = false
                break
            }
            if same { return form.count }
        }
        return nil
    }

    /// Whether the local part stands at `start`, case-insensitively.
    private func localEquals(_ b: UnsafeRawBufferPointer, from start: Int) -> Bool {
        for (i, c) in local.enumerated() where Self.lower(b[start + i]) != c { return false }
        return true
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 {
        c >= 0x41 && c <= 0x5a ? c | 0x20 : c
    }

    /// Letters, digits and `-` continue a domain label (and non-ASCII, for IDNs).
    @inline(__always) static func isDomainCharacter(_ c: UInt8) -> Bool { AddressGrammar.isDomainByte(c) }
}
