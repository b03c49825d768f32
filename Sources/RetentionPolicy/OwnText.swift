/// The text a message's author wrote: its folded body without the message it answers.
///
/// A reply keeps its thread's subject and usually quotes the message it answers, so neither
/// says what the reply itself is about: "Re: Auskunftsersuchen nach Art. 15 DSGVO" may ask for
/// a credit note for an outage, below a quote of the request from two years before. Rules on
/// the `own-text` condition judge what the author added:
///
/// - lines that start with `>` are quoted and left out, and so are the `<blockquote>` elements
///   of HTML mail (inline answers keep the text between
///   them);
/// - the text ends where the answered message begins: at an attribution ("Am 10.03.25 um 16:01
///   schrieb …:", "On Tue, Mar 10, 2025 at 4:01 PM … wrote:", "… schrieb am 12. März 2020:";
///   a date or time must be in it, so "wie ich Ihnen am Montag schrieb:" is no attribution), at
///   a separator of Outlook ("-----Original Message-----", "-----Ursprüngliche Nachricht-----")
///   or at a header block of the answered message ("Von: … Gesendet: …", "From: … Sent: …",
///   "From: … Date: …", "Gesendet: … Von: …") — wherever it stands, because HTML mail reduced to text may have no
///   line breaks;
/// - a forward ("Fwd:", "FW:", "WG:" first in the subject) hands over the forwarded message:
///   its whole text counts as the author's.
///
/// The search works on text folded by ``WordList/fold(_:)`` (lower case), byte by byte.
enum OwnText {
    /// The author's text of `body` (folded), for a message whose folded subject is `subject`.
    static func of(body: [UInt8], subject: [UInt8]) -> [UInt8] {
        if isForward(subject) { return body }
        return body.withUnsafeBufferPointer { text in
            let end = quoteStart(text)
            var out: [UInt8] = []
            out.reserveCapacity(end)
            var lineStart = 0
            while lineStart < end {
                var lineEnd = lineStart
                while lineEnd < end, text[lineEnd] != 0x0A { lineEnd += 1 }
                var first = lineStart
                while first < lineEnd, text[first] == 0x20 || text[first] == 0x09 { first += 1 }
                if first == lineEnd || text[first] != 0x3E {  // not ">"
                    out.append(contentsOf: text[lineStart..<lineEnd])
                    out.append(0x0A)
                }
                lineStart = lineEnd + 1
            }
            return out
        }
    }

    /// `html` without its `<blockquote>` elements (nested ones included): where HTML mail
    /// puts the message it answers. An element left open runs to the end.
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

    /// Where the answered message begins in `text`, or its end.
    static func quoteStart(_ text: UnsafeBufferPointer<UInt8>) -> Int {
        var best = text.count
        // Outlook's separators.
        for marker in separators {
            if let found = find(marker, in: text, from: 0, before: best) { best = min(best, found) }
        }
        // A header block of the answered message: "von:" / "from:" at the start of a word, and
        // "gesendet:" / "sent:" / "datum:" / "date:" within a few lines after it, or the other
        // way round (web.de writes "Gesendet:" first).
        for (labels, partners) in [(fromLabels, dateLabels), (dateLabels, fromLabels)] {
            for label in labels {
                var from = 0
                while let found = find(label, in: text, from: from, before: best) {
                    from = found + 1
                    guard found == 0 || isSpace(text[found - 1]) || text[found - 1] == 0x2A else { continue }
                    let limit = min(text.count, found + 400)
                    if partners.contains(where: { find($0, in: text, from: found + label.count, before: limit) != nil }) {
                        best = found
                        break
                    }
                }
            }
        }
        // Attributions.
        for verb in attributionVerbs {
            var from = 0
            while let found = find(verb, in: text, from: from, before: best) {
                from = found + 1
                if let start = attributionStart(text, verb: found, length: verb.count) {
                    best = min(best, start)
                    break
                }
            }
        }
        return best
    }

    /// The start of the attribution whose verb ("schrieb", "wrote") is at `verb`, or nil when
    /// the verb is not in one: an attribution ends with `:` at most 160 bytes after the verb,
    /// begins with the nearest "am " / "on " at most 200 bytes before it (or the verb is followed by "am",
    /// as in "… schrieb am 12. März 2020:"), and holds a digit.
    private static func attributionStart(_ text: UnsafeBufferPointer<UInt8>, verb: Int, length: Int) -> Int? {
        guard verb == 0 || !isLetter(text[verb - 1]) else { return nil }
        let afterVerb = verb + length
        guard afterVerb == text.count || !isLetter(text[afterVerb]) else { return nil }
        var colon = afterVerb
        var breaks = 0
        while colon < min(text.count, afterVerb + 160), text[colon] != 0x3A {
            if text[colon] == 0x0A { breaks += 1 }
            colon += 1
        }
        guard colon < text.count, text[colon] == 0x3A, breaks <= 1 else { return nil }
        // Where the attribution begins: "am " / "on " at a word start before the verb, not
        // across more than one line break; else, for "… schrieb am …:", the line's start.
        var start: Int? = nil
        var index = verb
        breaks = 0
        while index > max(0, verb - 200) {
            index -= 1
            if text[index] == 0x0A {
                breaks += 1
                if breaks > 1 { break }
            }
            if index + 3 <= verb, (index == 0 || isSpace(text[index - 1])),
                text[index + 2] == 0x20,
                (text[index] == 0x61 && text[index + 1] == 0x6D) || (text[index] == 0x6F && text[index + 1] == 0x6E)
            {
                start = index
                break
            }
        }
        if start == nil {
            let after = afterVerb + 1
            guard after + 3 <= text.count, text[after] == 0x61, text[after + 1] == 0x6D, text[after + 2] == 0x20 else {
                return nil
            }
            var lineStart = verb
            while lineStart > 0, text[lineStart - 1] != 0x0A { lineStart -= 1 }
            start = max(lineStart, verb - 200)
        }
        guard let begin = start, text[begin..<colon].contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return begin
    }

    private static let separators: [[UInt8]] = [
        "-----original message", "----- original message", "-----ursprüngliche nachricht",
        "----- ursprüngliche nachricht", "-----original-nachricht", "----- original-nachricht",
    ].map { Array($0.utf8) }
    private static let fromLabels: [[UInt8]] = ["von:", "from:"].map { Array($0.utf8) }
    private static let dateLabels: [[UInt8]] = ["gesendet:", "sent:", "datum:", "date:"].map { Array($0.utf8) }
    private static let attributionVerbs: [[UInt8]] = ["schrieb", "wrote"].map { Array($0.utf8) }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }
    private static func isLetter(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || byte >= 0x80 }

    /// The first position of `needle` in `text` at or after `from` that starts before `before`.
    private static func find(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, from: Int, before: Int) -> Int? {
        guard let first = needle.first else { return nil }
        var index = from
        let last = min(before, text.count - needle.count + 1)
        while index < last {
            if text[index] == first {
                var matched = 1
                while matched < needle.count, text[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return index }
            }
            index += 1
        }
        return nil
    }
}
