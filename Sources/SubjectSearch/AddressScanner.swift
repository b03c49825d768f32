import MailParsing
#if canImport(Glibc)
    import Glibc
#endif

/// Finds one e-mail address in bytes, case-insensitively, as a whole address only.
///
/// `bob@example.org` is found in "mail bob@example.org." and "<BOB@Example.ORG>", but not in
/// "jimbob@example.org", "bob@example.org.evil" or "bob@example.organic". The scan jumps from
/// `@` to `@` with `memchr`: base64 bodies and binary attachments contain no `@`, so most of a
/// message's bytes are skipped at memory speed.
public struct AddressScanner: Sendable {
    /// The local part, lower-cased ASCII.
    private let local: [UInt8]
    /// The domain, lower-cased ASCII.
    private let domain: [UInt8]
    /// The address as given, lower-cased.
    public let address: String

    /// A scanner for one address (`local@domain`); nil when it is not exactly one address: one
    /// `@`, a local part of RFC 5322 `atext` and dots (`o'brien`, `anna+news`), a domain of
    /// letters, digits, hyphens and dots with at least one dot (non-ASCII allowed in both).
    public init?(_ address: String) {
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
    }

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

    /// The offset of the first whole occurrence's `@`, or nil.
    public func firstOccurrence(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, bytes.count >= local.count + 1 + domain.count else { return nil }
        var from = local.count
        let end = bytes.count - domain.count
        while from < end {
            guard let hit = memchr(base + from, Int32(UInt8(ascii: "@")), end - from) else { return nil }
            let at = base.distance(to: UnsafeRawPointer(hit))
            if matches(bytes, at: at) { return at }
            from = at + 1
        }
        return nil
    }

    private func matches(_ b: UnsafeRawBufferPointer, at: Int) -> Bool {
        // Domain after the @, then a character that cannot continue a domain.
        for (i, c) in domain.enumerated() where Self.lower(b[at + 1 + i]) != c { return false }
        let after = at + 1 + domain.count
        if after < b.count {
            let c = b[after]
            if Self.isDomainCharacter(c) { return false }
            // "bob@example.org.evil": a dot or hyphen that continues the domain.
            if (c == UInt8(ascii: ".") || c == UInt8(ascii: "-")), after + 1 < b.count,
                Self.isDomainCharacter(b[after + 1])
            {
                return false
            }
        }
        // Local part before the @, then a character that cannot continue a local part.
        let start = at - local.count
        for (i, c) in local.enumerated() where Self.lower(b[start + i]) != c { return false }
        // "x.bob@…", "jim-bob@…" and "o'bob@…" continue the local part (a sentence's "end.bob@"
        // is too rare to matter); "'bob@…" and "=bob@…" are quotes and URL syntax around it.
        if start > 0, AddressGrammar.continuesLocalPart(b, at: start - 1) { return false }
        return true
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 {
        c >= 0x41 && c <= 0x5a ? c | 0x20 : c
    }

    /// Letters, digits and `-` continue a domain label (and non-ASCII, for IDNs).
    @inline(__always) static func isDomainCharacter(_ c: UInt8) -> Bool { AddressGrammar.isDomainByte(c) }
}
