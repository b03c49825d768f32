import MailParsing
#if canImport(Glibc)
    import Glibc
#endif

/// Finds every e-mail address in text, for matching people by pseudonym: a request on record
/// names a person only by the HMAC of their address, so each address of a message is hashed and
/// looked up.
///
/// An address is a local part (``AddressGrammar``: letters, digits, non-ASCII and `. _ - + %`,
/// other `atext` between letters, as in `o'brien`), `@`, and a domain of at least two labels;
/// the same boundaries as ``AddressScanner``.
public enum AddressExtractor {
    /// The addresses in `bytes`, lower-cased, each once, in order of first appearance.
    public static func addresses(in bytes: UnsafeRawBufferPointer) -> [String] {
        guard let base = bytes.baseAddress else { return [] }
        var found: [String] = []
        var seen = Set<String>()
        var from = 0
        while from < bytes.count {
            guard let hit = memchr(base + from, Int32(UInt8(ascii: "@")), bytes.count - from) else { break }
            let at = base.distance(to: UnsafeRawPointer(hit))
            from = at + 1
            let start = AddressGrammar.localPartStart(bytes, before: at)
            var end = at + 1
            while end < bytes.count, AddressScanner.isDomainCharacter(bytes[end]) || bytes[end] == UInt8(ascii: ".") {
                end += 1
            }
            while end > at + 1, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
            guard start < at, end > at + 1 else { continue }
            let domain = UnsafeRawBufferPointer(rebasing: bytes[(at + 1)..<end])
            guard domain.contains(UInt8(ascii: ".")) else { continue }
            var address = [UInt8]()
            address.reserveCapacity(end - start)
            for i in start..<end { address.append(AddressScanner.lower(bytes[i])) }
            let text = String(decoding: address, as: UTF8.self)
            if seen.insert(text).inserted { found.append(text) }
        }
        return found
    }

    /// The addresses in a string.
    public static func addresses(in text: String) -> [String] {
        var text = text
        return text.withUTF8 { addresses(in: UnsafeRawBufferPointer($0)) }
    }
}
