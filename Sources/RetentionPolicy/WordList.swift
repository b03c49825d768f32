import Foundation

/// Words and phrases searched case-insensitively at word boundaries in a subject, a file name or
/// a body: `rechnung` matches the word "Rechnung" but not "Berechnung"; `rechnung*` also matches
/// "Rechnungsnr" and "Rechnungen"; `*rechnung` matches "Stromrechnung"; `*rechnung*` matches
/// anywhere in a word.
///
/// Letters are what words are made of (umlauts and ß included; digits, `_`, `-` and `.` separate
/// words, so "Rechnung_2021-0042.pdf" contains the word "rechnung"). A space in a phrase matches
/// any run of spaces, line breaks, `-` and `_`. A pattern with ä, ö, ü or ß also matches the
/// transliteration (ae, oe, ue, ss) that mail written on foreign keyboards uses.
///
/// The needles are lower-cased and indexed by first byte once, when the policy is loaded; a search
/// is one pass over the text's UTF-8 bytes.
public struct WordList: Hashable, Sendable {
    /// The patterns as written in the policy.
    public var patterns: [String] { table.patterns }
    private let table: NeedleTable

    /// One needle: a pattern or its transliteration, as a range of ``NeedleTable/bytes``.
    private struct Needle: Sendable {
        var start: Int
        var end: Int
        /// `*` before: the match may begin inside a word.
        var openStart: Bool
        /// `*` after: the match may end inside a word.
        var openEnd: Bool
        /// Whether the first and last characters are letters (only then is a boundary required).
        var startsWithLetter: Bool
        var endsWithLetter: Bool
        var pattern: Int
    }

    /// The compiled needles, flat and shared, so that searching touches no reference counts.
    private final class NeedleTable: Sendable {
        let patterns: [String]
        let needles: [Needle]
        /// All needle bytes, one after the other.
        let bytes: [UInt8]
        /// Needle indices grouped by first byte: those starting with byte b are
        /// `order[firstOffset[b]..<firstOffset[b + 1]]`.
        let order: [Int]
        let firstOffset: [Int]

        init(patterns: [String], needles: [Needle], bytes: [UInt8]) {
            self.patterns = patterns
            self.needles = needles
            self.bytes = bytes
            var offsets = [Int](repeating: 0, count: 257)
            for needle in needles { offsets[Int(bytes[needle.start]) + 1] += 1 }
            for b in 0..<256 { offsets[b + 1] += offsets[b] }
            var fill = offsets
            var order = [Int](repeating: 0, count: needles.count)
            for (index, needle) in needles.enumerated() {
                let b = Int(bytes[needle.start])
                order[fill[b]] = index
                fill[b] += 1
            }
            self.order = order
            self.firstOffset = offsets
        }
    }

    /// A match: the pattern that matched and the byte range of the whole words it touched.
    public struct Match: Hashable, Sendable {
        /// The pattern as written in the policy.
        public var pattern: String
        /// The matched range, widened to whole words, in the searched (folded) bytes.
        public var range: Range<Int>
    }

    /// Compiles patterns; throws the reason when one is not a usable pattern.
    public init(_ patterns: [String]) throws(WordPatternError) {
        var needles: [Needle] = []
        var bytes: [UInt8] = []
        for (index, pattern) in patterns.enumerated() {
            var text = Substring(pattern.trimmingCharacters(in: .whitespaces))
            let openStart = text.hasPrefix("*")
            if openStart { text = text.dropFirst() }
            let openEnd = text.hasSuffix("*")
            if openEnd { text = text.dropLast() }
            guard !text.isEmpty else { throw WordPatternError(pattern: pattern, reason: "has no letters") }
            guard !text.contains("*") else {
                throw WordPatternError(pattern: pattern, reason: "may have `*` only at its start or end")
            }
            let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            var variants = [WordList.fold(collapsed)]
            let transliterated = WordList.transliterate(collapsed.lowercased())
            if transliterated != collapsed.lowercased() { variants.append(WordList.fold(transliterated)) }
            for variant in variants {
                let scalars = String(decoding: variant, as: UTF8.self).unicodeScalars
                needles.append(
                    Needle(
                        start: bytes.count, end: bytes.count + variant.count, openStart: openStart, openEnd: openEnd,
                        startsWithLetter: scalars.first.map(WordList.isLetter) ?? false,
                        endsWithLetter: scalars.last.map(WordList.isLetter) ?? false,
                        pattern: index))
                bytes += variant
            }
        }
        table = NeedleTable(patterns: patterns, needles: needles, bytes: bytes)
    }

    public static func == (a: WordList, b: WordList) -> Bool { a.patterns == b.patterns }
    public func hash(into hasher: inout Hasher) { hasher.combine(patterns) }

    /// The first match in `text`, which must already be folded with ``fold(_:)``.
    public func firstMatch(inFolded text: [UInt8]) -> Match? {
        text.withUnsafeBufferPointer { firstMatch(in: $0) }
    }

    /// The first match in a string (folded here; for repeated searches fold once and use
    /// ``firstMatch(inFolded:)``).
    public func firstMatch(in text: String) -> Match? { firstMatch(inFolded: WordList.fold(text)) }

    private func firstMatch(in text: UnsafeBufferPointer<UInt8>) -> Match? {
        let table = self.table
        return table.bytes.withUnsafeBufferPointer { needleBytes in
            table.order.withUnsafeBufferPointer { order in
                table.firstOffset.withUnsafeBufferPointer { firstOffset in
                    table.needles.withUnsafeBufferPointer { needles in
                        let count = text.count
                        var index = 0
                        while index < count {
                            let b = Int(text[index])
                            var slot = firstOffset[b]
                            let slotEnd = firstOffset[b + 1]
                            while slot < slotEnd {
                                let needle = needles[order[slot]]
                                slot += 1
                                let bytes = UnsafeBufferPointer(rebasing: needleBytes[needle.start..<needle.end])
                                guard let end = WordList.matchEnd(of: bytes, in: text, at: index) else { continue }
                                if needle.startsWithLetter, !needle.openStart, WordList.letterBefore(index, in: text) {
                                    continue
                                }
                                if needle.endsWithLetter, !needle.openEnd, WordList.letterAt(end, in: text) { continue }
                                return Match(
                                    pattern: table.patterns[needle.pattern],
                                    range: WordList.wordStart(index, in: text)..<WordList.wordEnd(end, in: text))
                            }
                            index += 1
                        }
                        return nil
                    }
                }
            }
        }
    }

    /// Where `needle` ends when it matches at `start`; a space in the needle takes a run of
    /// separators.
    private static func matchEnd(
        of needle: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>, at start: Int
    ) -> Int? {
        var position = start
        for byte in needle {
            if byte == 0x20 {
                var taken = 0
                while position < text.count {
                    let b = text[position]
                    if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x2D || b == 0x5F {
                        position += 1
                    } else if b == 0xC2, position + 1 < text.count, text[position + 1] == 0xA0 {
                        position += 2
                    } else {
                        break
                    }
                    taken += 1
                }
                if taken == 0 { return nil }
            } else {
                guard position < text.count, text[position] == byte else { return nil }
                position += 1
            }
        }
        return position
    }

    /// Lower-cases and composes (NFC) text so that patterns and text compare byte for byte.
    ///
    /// ASCII and Latin-1 letters are lower-cased byte by byte; other scalars through Unicode's
    /// lower-case mapping; only text with combining marks is composed.
    public static func fold(_ text: some StringProtocol) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var needsComposition = false
        var slow = false
        for byte in text.utf8 {
            if byte < 0x80 {
                out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            } else {
                slow = true
                break
            }
        }
        guard slow else { return out }
        out.removeAll(keepingCapacity: true)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                let byte = UInt8(v)
                out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            } else if v >= 0xC0 && v <= 0xDE && v != 0xD7 {
                // Latin-1 capitals (Ä, Ö, Ü, É, …): the small letter is 0x20 further.
                appendUTF8(v + 0x20, to: &out)
            } else if v < 0x100 {
                appendUTF8(v, to: &out)
            } else {
                if v >= 0x300 && v <= 0x36F { needsComposition = true }
                let mapping = scalar.properties.lowercaseMapping
                if mapping.unicodeScalars.count == 1, mapping.unicodeScalars.first == scalar {
                    appendUTF8(v, to: &out)
                } else {
                    out += mapping.utf8
                }
            }
        }
        guard needsComposition else { return out }
        return Array(String(decoding: out, as: UTF8.self).precomposedStringWithCanonicalMapping.utf8)
    }

    private static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        if v < 0x80 {
            out.append(UInt8(v))
        } else if v < 0x800 {
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// ä→ae, ö→oe, ü→ue, ß→ss.
    static func transliterate(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "ä": out += "ae"
            case "ö": out += "oe"
            case "ü": out += "ue"
            case "ß": out += "ss"
            default: out.append(character)
            }
        }
        return out
    }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A)
        }
        return scalar.properties.isAlphabetic
    }

    /// The scalar that starts at `index` (nil at the end or inside a scalar).
    private static func scalar(at index: Int, in text: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        guard index < text.count else { return nil }
        let lead = text[index]
        if lead < 0x80 { return Unicode.Scalar(lead) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
        guard length > 0, index + length <= text.count else { return nil }
        var decoder = UTF8()
        var iterator = text[index..<(index + length)].makeIterator()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return nil
    }

    /// The start of the scalar that ends just before `index`.
    private static func previousScalarStart(_ index: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        var start = index - 1
        while start > 0, start > index - 4, text[start] & 0xC0 == 0x80 { start -= 1 }
        return start
    }

    private static func letterAt(_ index: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        scalar(at: index, in: text).map(isLetter) ?? false
    }

    private static func letterBefore(_ index: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard index > 0 else { return false }
        return letterAt(previousScalarStart(index, in: text), in: text)
    }

    private static func wordStart(_ index: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        var start = index
        while start > 0, letterBefore(start, in: text) { start = previousScalarStart(start, in: text) }
        return start
    }

    private static func wordEnd(_ index: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        var end = index
        while end < text.count, letterAt(end, in: text) {
            let lead = text[end]
            end += lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        }
        return min(end, text.count)
    }
}

/// A word pattern that cannot be used, with the reason.
public struct WordPatternError: Error, Hashable, Sendable {
    /// The pattern as written.
    public var pattern: String
    /// Why it cannot be used, completing "pattern "…" …".
    public var reason: String
}
