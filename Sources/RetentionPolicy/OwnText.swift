/// The text a message's author wrote: its folded body without the message it answers and
/// without the signature.
///
/// A reply keeps its thread's subject and usually quotes the message it answers, so neither
/// says what the reply itself is about: "Re: Auskunftsersuchen nach Art. 15 DSGVO" may ask for
/// a credit note for an outage, above a quote of the request from two years before. And most
/// business signatures cite the GDPR in a privacy notice. Rules on the `own-text` condition
/// judge what the author added, line by line (HTML mail in the lines a reader sees):
///
/// - lines that start with `>` are quoted and left out, and so are the `<blockquote>` elements
///   of HTML mail; text between quoted blocks (an inline answer, a reply below the quote) is
///   kept, and so is the attribution line above them left out;
/// - without `>` quoting, the text ends where the answered message begins: at an attribution
///   line ("Am 10.03.25 um 16:01 schrieb …:", "On Tue, Mar 10, 2025 at 4:01 PM … wrote:",
///   "… schrieb am 12. März 2020 10:00:"; it ends with the colon, holds a date or time and
///   starts the line, so "wie ich Ihnen am 3.2. schrieb: …" is prose, and so is "am 3.2. schrieb
///   ich Ihnen Folgendes:"), at a separator of Outlook
///   ("-----Original Message-----", "-----Ursprüngliche Nachricht-----") or at a header block
///   of the answered message (lines that start "Von:" and "Gesendet:" or "Datum:", "From:" and
///   "Sent:" or "Date:", in either order, and "Betreff:" or "Subject:", within six lines), as
///   long as the author wrote something above it (a letter pasted with its memo header is the
///   author's text);
/// - the signature goes: from the first line that is "--" or a closing ("Mit freundlichen
///   Grüßen", "Viele Grüße", "Best regards", …) after some text, up to a postscript ("PS:"),
///   which is the author's text again;
/// - a forward ("Fwd:", "FW:", "WG:" first in the subject) hands over the forwarded message:
///   its whole text counts as the author's.
///
/// The search works on text folded by ``WordList/fold(_:)`` (lower case).
enum OwnText {
    /// The author's text of `body` (folded), for a message whose folded subject is `subject`.
    static func of(body: [UInt8], subject: [UInt8]) -> [UInt8] {
        if isForward(subject) { return body }
        let lines = Lines(body)
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var written = false  // a letter or digit of the author's so far
        var inSignature = false  // after a closing, until a postscript
        var line = 0
        while line < lines.count {
            let text = lines.trimmed(line)
            if text.first == UInt8(ascii: ">") {
                line += 1
                continue
            }
            if let length = attributionLength(lines, at: line) {
                // Quoted with ">" below: an inline answer or a reply below the quote goes on.
                var next = line + length
                while next < lines.count, lines.trimmed(next).isEmpty { next += 1 }
                if next < lines.count, lines.trimmed(next).first == UInt8(ascii: ">") {
                    line += length
                    continue
                }
                break
            }
            if written && (isSeparator(text) || startsHeaderBlock(lines, at: line)) { break }
            if inSignature && !isPostscript(text) {
                line += 1
                continue
            }
            inSignature = false
            if written && isSignatureStart(text) {
                inSignature = true
                line += 1
                continue
            }
            out += lines.full(line)
            out.append(0x0A)
            if !written { written = text.contains { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 >= 0x80 } }
            line += 1
        }
        return out
    }

    /// The lines of a text, as ranges.
    struct Lines {
        let bytes: [UInt8]
        let ranges: [Range<Int>]
        var count: Int { ranges.count }

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            var ranges: [Range<Int>] = []
            var start = 0
            for (index, byte) in bytes.enumerated() where byte == 0x0A {
                ranges.append(start..<index)
                start = index + 1
            }
            if start < bytes.count { ranges.append(start..<bytes.count) }
            self.ranges = ranges
        }

        func full(_ line: Int) -> ArraySlice<UInt8> { bytes[ranges[line]] }

        /// The line without spaces, tabs, CRs and no-break spaces at either end.
        func trimmed(_ line: Int) -> ArraySlice<UInt8> {
            var range = ranges[line]
            func space(_ at: Int) -> Bool {
                let byte = bytes[at]
                return byte == 0x20 || byte == 0x09 || byte == 0x0D
                    || (byte == 0xC2 && at + 1 < bytes.count && bytes[at + 1] == 0xA0)
                    || (byte == 0xA0 && at > 0 && bytes[at - 1] == 0xC2)
            }
            while !range.isEmpty, space(range.lowerBound) { range = (range.lowerBound + 1)..<range.upperBound }
            while !range.isEmpty, space(range.upperBound - 1) { range = range.lowerBound..<(range.upperBound - 1) }
            return bytes[range]
        }
    }

    /// The number of lines (1 or 2) of an attribution that starts at `line`, or nil.
    static func attributionLength(_ lines: Lines, at line: Int) -> Int? {
        let first = lines.trimmed(line)
        // An attribution ends with its colon, on this line or the next: most lines end here.
        guard first.count <= 300,
            first.last == UInt8(ascii: ":") || (line + 1 < lines.count && lines.trimmed(line + 1).last == UInt8(ascii: ":"))
        else { return nil }
        let startsWithDay = starts(first, "am ") || starts(first, "on ") || starts(first, "le ")
        let firstHasVerb = contains(Array(first), "schrieb") || contains(Array(first), "wrote")
        // A wrapped attribution starts like one: with its day or its verb.
        for length in 1...((startsWithDay || firstHasVerb) ? 2 : 1) where line + length <= lines.count {
            var text = Array(first)
            if length == 2 {
                let second = lines.trimmed(line + 1)
                guard second.count <= 200 else { return nil }
                text += [0x20] + second
            }
            guard text.last == UInt8(ascii: ":"), text.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { continue }
            let verb = contains(text, "schrieb") || contains(text, "wrote") || contains(text, "a écrit")
            // "… schrieb ich Ihnen:", "… you wrote:": the author speaking, not an attribution.
            let prose = proseVerbs.contains { contains(text, $0) }
            if verb && !prose && (startsWithDay || contains(text, "schrieb am ") || contains(text, "wrote on ")) { return length }
        }
        return nil
    }

    /// Whether a line is one of Outlook's separators above the answered message.
    static func isSeparator(_ text: ArraySlice<UInt8>) -> Bool {
        guard text.count >= 8, text.first == UInt8(ascii: "-") else { return false }
        var rest = text.drop { $0 == UInt8(ascii: "-") || $0 == 0x20 }
        rest = rest.prefix { $0 != UInt8(ascii: "-") }
        let name = Array(rest.reversed().drop { $0 == 0x20 }.reversed())
        return separatorNames.contains(name)
    }

    /// Whether a header block of the answered message starts at `line`: "von:" / "from:" or
    /// "gesendet:" / "sent:" / "datum:" / "date:" there, and within the next five lines the
    /// other of the two and "betreff:" / "subject:" (a list of calls with "Datum:" and "Von:"
    /// in the author's text has no subject).
    static func startsHeaderBlock(_ lines: Lines, at line: Int) -> Bool {
        func label(_ line: Int, _ labels: [[UInt8]]) -> Bool {
            var text = lines.trimmed(line)
            text = text.drop { $0 == UInt8(ascii: "*") }
            return labels.contains { starts(text, $0) }
        }
        let following = (line + 1)..<min(lines.count, line + 6)
        for (mine, partners) in [(fromLabels, dateLabels), (dateLabels, fromLabels)] where label(line, mine) {
            if following.contains(where: { label($0, partners) }) && following.contains(where: { label($0, subjectLabels) }) {
                return true
            }
        }
        return false
    }

    /// Whether a line starts the signature: "--", or a closing alone on its line (one of two
    /// with " / " between, as bilingual closings have them).
    static func isSignatureStart(_ text: ArraySlice<UInt8>) -> Bool {
        if text.elementsEqual([0x2D, 0x2D]) { return true }
        guard text.count <= 64 else { return false }
        return split(text, " / ").contains { part in
            let words = Array(part.reversed().drop { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "!") || $0 == 0x20 }.reversed().drop { $0 == 0x20 })
            return closings.contains(words)
        }
    }

    /// Whether a line starts a postscript ("PS:", "P.S.", "PPS"), which is the author's text
    /// again after the signature.
    static func isPostscript(_ text: ArraySlice<UInt8>) -> Bool {
        ["ps:", "ps ", "p.s.", "p. s.", "pps", "p.p.s."].contains { starts(text, $0) }
    }

    private static func split(_ text: ArraySlice<UInt8>, _ separator: String) -> [ArraySlice<UInt8>] {
        let separator = Array(separator.utf8)
        var parts: [ArraySlice<UInt8>] = []
        var start = text.startIndex
        var index = text.startIndex
        while index + separator.count <= text.endIndex {
            if text[index..<(index + separator.count)].elementsEqual(separator) {
                parts.append(text[start..<index])
                index += separator.count
                start = index
            } else {
                index += 1
            }
        }
        parts.append(text[start...])
        return parts
    }

    private static func starts(_ text: some Collection<UInt8>, _ prefix: String) -> Bool {
        text.starts(with: prefix.utf8)
    }

    private static func starts(_ text: ArraySlice<UInt8>, _ prefix: [UInt8]) -> Bool { text.starts(with: prefix) }

    private static func contains(_ text: [UInt8], _ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard needle.count <= text.count else { return false }
        for start in 0...(text.count - needle.count) where text[start] == needle[0] {
            if text[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    private static let proseVerbs = [
        "schrieb ich", "schrieben wir", "schrieb er", "schrieb sie ihnen", "schrieben sie", "i wrote", "we wrote",
        "you wrote", "he wrote", "she wrote", "they wrote", "folgendes:",
    ]
    private static let separatorNames: Set<[UInt8]> = Set(
        ["original message", "ursprüngliche nachricht", "original-nachricht", "originalnachricht"].map { Array($0.utf8) })
    private static let fromLabels: [[UInt8]] = ["von:", "from:"].map { Array($0.utf8) }
    private static let dateLabels: [[UInt8]] = ["gesendet:", "sent:", "datum:", "date:"].map { Array($0.utf8) }
    private static let subjectLabels: [[UInt8]] = ["betreff:", "subject:"].map { Array($0.utf8) }
    private static let closings: Set<[UInt8]> = Set(
        [
            "mit freundlichen grüßen", "mit freundlichen grüssen", "mit freundlichem gruß", "mit freundlichem gruss",
            "freundliche grüße", "freundliche grüsse", "freundlichen gruß", "viele grüße", "viele grüsse", "beste grüße",
            "beste grüsse", "herzliche grüße", "herzliche grüsse", "liebe grüße", "liebe grüsse", "schöne grüße",
            "mit besten grüßen", "mit besten grüssen", "besten gruß", "herzlichen gruß", "mit herzlichen grüßen",
            "gruß", "grüße", "gruss", "grüsse", "mfg", "lg", "vg", "best regards", "kind regards", "regards",
            "warm regards", "thanks and regards", "thanks & regards", "many thanks and best regards", "best wishes",
            "sincerely", "yours sincerely", "yours faithfully", "cheers", "best",
        ].map { Array($0.utf8) })

    /// `html` without its `<blockquote>` elements (nested ones included): where HTML mail
    /// puts the message it answers. Each leaves ``quoteMarker``; an element left open runs to
    /// the end.
    static func removingBlockquotes(html: [UInt8]) -> [UInt8] {
        let open = Array("<blockquote".utf8), close = Array("</blockquote".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(html.count)
        var depth = 0
        var index = 0
        func startsTag(_ tag: [UInt8], at index: Int) -> Bool {
            guard index + tag.count < html.count else { return false }
            for offset in 0..<tag.count {
                let byte = html[index + offset]
                if (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != tag[offset] { return false }
            }
            let after = html[index + tag.count]
            return after == 0x3E || after == 0x20 || after == 0x09 || after == 0x0A || after == 0x0D || after == 0x2F
        }
        while index < html.count {
            if html[index] == 0x3C {
                if startsTag(open, at: index) {
                    if depth == 0 { out += quoteMarker }
                    depth += 1
                } else if depth > 0, startsTag(close, at: index) {
                    depth -= 1
                    while index < html.count, html[index] != 0x3E { index += 1 }
                    index += 1
                    continue
                }
            }
            if depth == 0 { out.append(html[index]) }
            index += 1
        }
        return out
    }

    /// What a removed `<blockquote>` leaves: a line that reads as quoted, so that the text
    /// after an attribution above it is kept as an answer below the quote.
    static let quoteMarker = Array("<br>&gt;<br>".utf8)

    /// Whether a folded subject starts with a forward's prefix.
    static func isForward(_ subject: [UInt8]) -> Bool {
        var index = 0
        while index < subject.count, subject[index] == 0x20 || subject[index] == 0x09 { index += 1 }
        for prefix in forwardPrefixes where subject.count - index >= prefix.count {
            if subject[index..<(index + prefix.count)].elementsEqual(prefix) { return true }
        }
        return false
    }

    private static let forwardPrefixes: [[UInt8]] = ["fwd:", "fw:", "wg:", "wtr:", "tr:", "weitergeleitet:"].map {
        Array($0.utf8)
    }

}
