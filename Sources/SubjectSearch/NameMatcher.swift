/// Finds a person's name in text: case-insensitive, any run of white space between its words,
/// German umlauts equal to their transliteration ("Jürgen Müller" = "Juergen Mueller"), and
/// whole words only ("Anna Berg" is not in "Hanna Bergmann").
public struct NameMatcher: Sendable {
    /// The name as given.
    public let name: String
    private let folded: [UInt8]

    /// The name in the form it is compared in (lower case, umlauts transliterated, single
    /// spaces): what a pseudonym of the name is made from.
    public var canonical: String { String(decoding: folded, as: UTF8.self) }

    /// A matcher; nil for a name without letters.
    public init?(_ name: String) {
        let folded = Self.fold(name)
        guard folded.contains(where: { $0 != UInt8(ascii: " ") }) else { return nil }
        self.name = name
        self.folded = folded
    }

    /// Whether the name occurs in `text`.
    public func occurs(in text: String) -> Bool {
        let haystack = Self.fold(text)
        guard haystack.count >= folded.count else { return false }
        var start = 0
        while start + folded.count <= haystack.count {
            // Find the first byte, then compare the rest.
            guard let i = haystack[start...].firstIndex(of: folded[0]), i + folded.count <= haystack.count else {
                return false
            }
            if haystack[i..<(i + folded.count)].elementsEqual(folded),
                i == 0 || !Self.isWordByte(haystack[i - 1]),
                i + folded.count == haystack.count || !Self.isWordByte(haystack[i + folded.count])
            {
                return true
            }
            start = i + 1
        }
        return false
    }

    /// Lower-cased UTF-8 with umlauts and ß transliterated and white space collapsed to one space.
    static func fold(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var lastWasSpace = true
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                if !lastWasSpace { out.append(UInt8(ascii: " ")) }
                lastWasSpace = true
                continue
            }
            lastWasSpace = false
            switch scalar {
            case "ä", "Ä": out += [UInt8(ascii: "a"), UInt8(ascii: "e")]
            case "ö", "Ö": out += [UInt8(ascii: "o"), UInt8(ascii: "e")]
            case "ü", "Ü": out += [UInt8(ascii: "u"), UInt8(ascii: "e")]
            case "ß", "ẞ": out += [UInt8(ascii: "s"), UInt8(ascii: "s")]
            default:
                for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                    out.append(contentsOf: String(lower).utf8)
                }
            }
        }
        if out.last == UInt8(ascii: " ") { out.removeLast() }
        return out
    }

    /// Letters and digits (and any non-ASCII byte, part of a letter) continue a word.
    static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c >= 0x80
    }
}
