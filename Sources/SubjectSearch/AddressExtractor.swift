import Foundation
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

extension AddressExtractor {
    /// The addresses in text where the `@` may be written as HTML (`&#64;`, `&#x40;`,
    /// `&commat;`) or percent-encoded (`%40`, `%2540`, as in a `mailto:` link), each address
    /// also without its subaddress tag (`alice+news@…` names `alice@…` too): what a request on
    /// record, which knows a person only by pseudonym, must hash to find her where a search
    /// for her plain address would (``AddressScanner``).
    public static func people(in text: String) -> [String] {
        var found = addresses(in: normalizingAt(text))
        var seen = Set(found)
        for address in found {
            guard let at = address.lastIndex(of: "@"), let plus = address[..<at].firstIndex(of: "+"), plus > address.startIndex
            else { continue }
            let base = String(address[..<plus]) + String(address[at...])
            if seen.insert(base).inserted { found.append(base) }
        }
        return found
    }

    /// The text with the written forms of `@` above turned into `@` (the text is left alone
    /// when it holds none of them).
    static func normalizingAt(_ text: String) -> String {
        guard text.contains("&") || text.contains("%") else { return text }
        var result = text
        for form in ["&#64;", "&#064;", "&#0064;", "&#x40;", "&#x040;", "&#x0040;", "&commat;", "%2540", "%40"] where result.range(of: form, options: .caseInsensitive) != nil {
            result = result.replacingOccurrences(of: form, with: "@", options: .caseInsensitive)
        }
        // Around a percent-encoded address, its neighbours are encoded too ("%3Cbob%40…%3E",
        // "carol%2Cbob%40…", "bob%2Bnews%40…"): the characters that end or tag an address.
        if result.contains("%") {
            for (form, plain) in [("%2B", "+"), ("%2C", ","), ("%3C", "<"), ("%3E", ">"), ("%20", " "), ("%3A", ":"), ("%3B", ";"), ("%22", "\""), ("%2E", ".")]
            where result.range(of: form, options: .caseInsensitive) != nil {
                result = result.replacingOccurrences(of: form, with: plain, options: .caseInsensitive)
            }
        }
        return result
    }
}
