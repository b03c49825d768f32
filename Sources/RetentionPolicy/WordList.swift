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
    let table: NeedleTable

    /// The compiled needles, flat and shared, so that searching touches no reference counts.
    final class NeedleTable: Sendable {
        let patterns: [String]
        /// One needle per pattern and transliteration; `owner` is the pattern's index.
        let needles: [WordNeedle]
        /// All needle bytes, one after the other.
        let bytes: [UInt8]
        /// Needle indices grouped by first byte: those starting with byte b are
        /// `order[firstOffset[b]..<firstOffset[b + 1]]`.
        let order: [Int]
        let firstOffset: [Int]

        init(patterns: [String], needles: [WordNeedle], bytes: [UInt8]) {
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
        var needles: [WordNeedle] = []
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
                // A boundary is required only at a letter that no `*` opens.
                needles.append(
                    WordNeedle(
                        start: bytes.count, end: bytes.count + variant.count,
                        boundedStart: !openStart && (scalars.first.map(WordList.isLetter) ?? false),
                        boundedEnd: !openEnd && (scalars.last.map(WordList.isLetter) ?? false), third: 256,
                        owner: index))
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
                                guard let end = needle.matchEnd(in: text, at: index, needleBytes: needleBytes) else {
                                    continue
                                }
                                return Match(
                                    pattern: table.patterns[needle.owner],
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
    static func matchEnd(
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
        var string = String(text)
        var out: [UInt8] = []
        string.withUTF8 { fold(utf8: $0, appendingTo: &out) }
        return out
    }

    /// ``fold(_:)`` of valid UTF-8 bytes, appended to `out`: the bytes that folding the string
    /// they spell gives, without making the string.
    static func fold(utf8 text: UnsafeBufferPointer<UInt8>, appendingTo out: inout [UInt8]) {
        let start = out.count
        let count = text.count
        // ASCII and U+0080-U+00FF, the text of most mail, keep their length: written directly.
        let quick = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var index = 0
            while index < count {
                let byte = text[index]
                if byte < 0x80 {
                    buffer[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                    index += 1
                } else if byte == 0xC3, index + 1 < count {
                    let next = text[index + 1]
                    buffer[index] = 0xC3
                    buffer[index + 1] = next <= 0x9E && next != 0x97 ? next + 0x20 : next
                    index += 2
                } else if byte == 0xC2, index + 1 < count {
                    buffer[index] = 0xC2
                    buffer[index + 1] = text[index + 1]
                    index += 2
                } else {
                    break
                }
            }
            initialized = index
        }
        if start == 0 { out = quick } else { out += quick }
        guard quick.count < count else { return }
        out.reserveCapacity(start + count + 16)
        var needsComposition = false
        var index = quick.count
        while index < count {
            let byte = text[index]
            if byte < 0x80 {
                out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                index += 1
                continue
            }
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            guard index + length <= count else {
                // Not valid UTF-8 (the callers never pass such bytes): kept as they are.
                out.append(byte)
                index += 1
                continue
            }
            if byte == 0xC3 {
                // U+00C0-U+00FF. Latin-1 capitals (Ä, Ö, Ü, É, … but not ×): the small letter is
                // 0x20 further.
                let next = text[index + 1]
                out.append(0xC3)
                out.append(next <= 0x9E && next != 0x97 ? next + 0x20 : next)
            } else if byte == 0xC2 {
                out.append(0xC2)
                out.append(text[index + 1])
            } else {
                var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for offset in 1..<length { value = value << 6 | UInt32(text[index + offset] & 0x3F) }
                guard let scalar = Unicode.Scalar(value) else {
                    out.append(byte)
                    index += 1
                    continue
                }
                if value >= 0x300 && value <= 0x36F { needsComposition = true }
                let mapping = scalar.properties.lowercaseMapping
                if mapping.unicodeScalars.count == 1, mapping.unicodeScalars.first == scalar {
                    for offset in 0..<length { out.append(text[index + offset]) }
                } else {
                    out += mapping.utf8
                }
            }
            index += length
        }
        guard needsComposition else { return }
        let composed = String(decoding: out[start...], as: UTF8.self).precomposedStringWithCanonicalMapping
        out.replaceSubrange(start..., with: composed.utf8)
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

    static func letterAt(_ index: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        scalar(at: index, in: text).map(isLetter) ?? false
    }

    static func letterBefore(_ index: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
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

/// Several word lists searched in one pass over a text, for the rules of a policy: which of
/// the lists have a match. A list matches here exactly when ``WordList/firstMatch(inFolded:)``
/// finds something; where and which pattern is left to that, for explanations.
///
/// The needles are indexed by the pair of bytes they start with (a space in a needle stands
/// for any separator a text may have there), so most positions of a text cost one look-up and
/// the others try only the needles that begin with the bytes found there.
struct WordListSet: Sendable {
    /// The number of lists.
    let count: Int
    private let table: Table

    private final class Table: Sendable {
        let bytes: [UInt8]
        /// For each byte pair (first << 8 | second), 0 when no needle starts with it, else
        /// the number of its group.
        let pairGroup: [UInt16]
        /// The needles of group g are `groupNeedles[groupOffset[g]..<groupOffset[g + 1]]`.
        let groupOffset: [Int]
        let groupNeedles: [WordNeedle]
        /// Needles of one byte, which any second byte (or the end of the text) may follow.
        let single: [WordNeedle]

        init(bytes: [UInt8], pairGroup: [UInt16], groupOffset: [Int], groupNeedles: [WordNeedle], single: [WordNeedle]) {
            self.bytes = bytes
            self.pairGroup = pairGroup
            self.groupOffset = groupOffset
            self.groupNeedles = groupNeedles
            self.single = single
        }
    }

    /// Bytes that a space in a needle can begin with (see `WordList.matchEnd`).
    private static let separatorStarts: [UInt8] = [0x20, 0x09, 0x0A, 0x0D, 0x2D, 0x5F, 0xC2]

    init(_ lists: [WordList]) {
        count = lists.count
        var bytes: [UInt8] = []
        var needles: [WordNeedle] = []
        for (index, list) in lists.enumerated() {
            let table = list.table
            for var needle in table.needles {
                let start = bytes.count
                bytes += table.bytes[needle.start..<needle.end]
                let length = bytes.count - start
                needle.third =
                    length >= 3 && bytes[start + 1] != 0x20 && bytes[start + 2] != 0x20 ? UInt16(bytes[start + 2]) : 256
                (needle.start, needle.end, needle.owner) = (start, bytes.count, index)
                needles.append(needle)
            }
        }
        var members: [Int: [Int]] = [:]
        var single: [WordNeedle] = []
        for (index, needle) in needles.enumerated() {
            let first = Int(bytes[needle.start])
            if needle.end - needle.start == 1 {
                single.append(needle)
                // It matches wherever its byte is, whatever follows.
                for second in 0..<256 { members[first << 8 | second, default: []].append(index) }
            } else if bytes[needle.start + 1] == 0x20 {
                for second in WordListSet.separatorStarts { members[first << 8 | Int(second), default: []].append(index) }
            } else {
                members[first << 8 | Int(bytes[needle.start + 1]), default: []].append(index)
            }
        }
        precondition(members.count < Int(UInt16.max), "too many distinct starts of words in one policy")
        var pairGroup = [UInt16](repeating: 0, count: 65_536)
        var groupOffset = [0, 0]
        var groupNeedles: [WordNeedle] = []
        for key in members.keys.sorted() {
            // Policy order within a group, so that earlier lists are tried first.
            groupNeedles += members[key]!.sorted().map { needles[$0] }
            pairGroup[key] = UInt16(groupOffset.count - 1)
            groupOffset.append(groupNeedles.count)
        }
        table = Table(
            bytes: bytes, pairGroup: pairGroup, groupOffset: groupOffset, groupNeedles: groupNeedles, single: single)
    }

    /// The lists that have a match in `text`, which must be folded with ``WordList/fold(_:)``.
    func matches(inFolded text: [UInt8]) -> Matches {
        var found = Matches(count: count)
        guard count > 0, !text.isEmpty else { return found }
        let table = self.table
        text.withUnsafeBufferPointer { text in
            table.bytes.withUnsafeBufferPointer { needleBytes in
                table.pairGroup.withUnsafeBufferPointer { pairGroup in
                    table.groupOffset.withUnsafeBufferPointer { groupOffset in
                        table.groupNeedles.withUnsafeBufferPointer { groupNeedles in
                            WordListSet.scan(
                                text, needleBytes: needleBytes, pairGroup: pairGroup, groupOffset: groupOffset,
                                groupNeedles: groupNeedles, single: table.single, count: count, into: &found)
                        }
                    }
                }
            }
        }
        return found
    }

    private static func scan(
        _ text: UnsafeBufferPointer<UInt8>, needleBytes: UnsafeBufferPointer<UInt8>,
        pairGroup: UnsafeBufferPointer<UInt16>, groupOffset: UnsafeBufferPointer<Int>,
        groupNeedles: UnsafeBufferPointer<WordNeedle>, single: [WordNeedle], count: Int, into found: inout Matches
    ) {
        var remaining = count
        @inline(__always) func matches(_ needle: WordNeedle, at index: Int) -> Bool {
            needle.matchEnd(in: text, at: index, needleBytes: needleBytes) != nil
        }
        let last = text.count - 1
        var index = 0
        while index < last {
            let group = Int(pairGroup[Int(text[index]) << 8 | Int(text[index + 1])])
            if group != 0 {
                let third: UInt16 = index + 2 <= last ? UInt16(text[index + 2]) : 512
                for slot in groupOffset[group]..<groupOffset[group + 1] {
                    let needle = groupNeedles[slot]
                    if needle.third != 256 && needle.third != third { continue }
                    if found.contains(needle.owner) || !matches(needle, at: index) { continue }
                    found.insert(needle.owner)
                    remaining -= 1
                    if remaining == 0 { return }
                }
            }
            index += 1
        }
        // The last byte: only needles of one byte fit.
        for needle in single where text[last] == needleBytes[needle.start] {
            if found.contains(needle.owner) || !matches(needle, at: last) { continue }
            found.insert(needle.owner)
        }
    }

    /// Which lists of a ``WordListSet`` matched, by index.
    struct Matches: Sendable {
        /// Lists 0 to 63, then the rest (nil while there are no more).
        private var first: UInt64 = 0
        private var rest: [UInt64]?

        init(count: Int) { rest = count > 64 ? [UInt64](repeating: 0, count: (count - 1) / 64) : nil }

        func contains(_ list: Int) -> Bool {
            if list < 64 { return first & (1 << UInt64(list)) != 0 }
            return rest![(list - 64) >> 6] & (1 << UInt64(list & 63)) != 0
        }

        mutating func insert(_ list: Int) {
            if list < 64 { first |= 1 << UInt64(list) } else { rest![(list - 64) >> 6] |= 1 << UInt64(list & 63) }
        }
    }
}

/// A word pattern that cannot be used, with the reason.
public struct WordPatternError: Error, Hashable, Sendable {
    /// The pattern as written.
    public var pattern: String
    /// Why it cannot be used, completing "pattern "…" …".
    public var reason: String
}
