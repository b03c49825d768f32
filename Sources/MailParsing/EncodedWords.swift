/// RFC 2047 encoded-words (`=?charset?Q|B?text?=`) in header text.
///
/// Decoding follows what mail readers accept rather than the letter of RFC 2047: an encoded-word
/// may touch other text, may contain white space, may have a lower-case `q`/`b`, and may carry an
/// RFC 2231 language (`=?utf-8*en?q?...?=`). White space between two encoded-words is dropped,
/// and adjacent encoded-words in the same charset are joined *before* charset decoding, so a
/// UTF-8 or Shift_JIS character split across two words comes out whole.
enum EncodedWords {
    /// One encoded-word found in header bytes.
    struct Word {
        /// The charset label as written (language suffix included).
        var charset: String
        /// The bytes after undoing Q or B.
        var bytes: [UInt8]
        /// The index just after the closing `?=`.
        var end: Int
    }

    /// Remembers where the last search for `?=` ended, so scanning a header with thousands of
    /// `=?` that never close stays linear.
    struct TerminatorCache {
        var searchedFrom = Int.max
        var foundAt: Int? = nil
    }

    /// Parses the encoded-word that starts at `start` (which must hold `=?`), or returns nil.
    static func parse(_ bytes: ArraySlice<UInt8>, at start: Int, cache: inout TerminatorCache) -> Word? {
        let end = bytes.endIndex
        guard start + 1 < end, bytes[start] == ASCII.equals, bytes[start + 1] == ASCII.question else {
            return nil
        }
        var i = start + 2
        let charsetStart = i
        while i < end, bytes[i] != ASCII.question {
            let b = bytes[i]
            if b <= ASCII.space || b >= 0x7F || b == ASCII.equals || i - charsetStart > 40 { return nil }
            i += 1
        }
        guard i > charsetStart, i + 2 < end, bytes[i + 2] == ASCII.question else { return nil }
        let charsetEnd = i
        let encoding = ASCII.lower(bytes[i + 1])
        guard encoding == 0x71 || encoding == 0x62 else { return nil }  // q or b
        let textStart = i + 3
        guard let close = terminator(bytes, from: textStart, cache: &cache) else { return nil }
        let text = bytes[textStart..<close]
        let decoded = encoding == 0x62 ? TransferDecoding.base64(text) : TransferDecoding.qEncoded(text)
        return Word(charset: ASCII.text(bytes[charsetStart..<charsetEnd]), bytes: decoded, end: close + 2)
    }

    private static func terminator(_ bytes: ArraySlice<UInt8>, from: Int, cache: inout TerminatorCache) -> Int? {
        if from >= cache.searchedFrom {
            if let found = cache.foundAt {
                if found >= from { return found }
            } else {
                return nil
            }
        }
        var i = from
        let end = bytes.endIndex
        var found: Int? = nil
        while i + 1 < end {
            if bytes[i] == ASCII.question, bytes[i + 1] == ASCII.equals {
                found = i
                break
            }
            i += 1
        }
        cache = TerminatorCache(searchedFrom: from, foundAt: found)
        return found
    }

    /// Decodes unstructured header text (Subject, Comments, ...): encoded-words anywhere, raw
    /// 8-bit bytes as UTF-8 (RFC 6532) or else Latin-1, white space kept as written except
    /// between encoded-words.
    static func decodeUnstructured(_ bytes: ArraySlice<UInt8>) -> String {
        var text = DecodedText()
        var cache = TerminatorCache()
        var i = bytes.startIndex
        var wordStart = i
        let end = bytes.endIndex
        while i < end {
            let b = bytes[i]
            if ASCII.isWSP(b) {
                if wordStart < i { text.appendRaw(bytes[wordStart..<i]) }
                var j = i + 1
                while j < end, ASCII.isWSP(bytes[j]) { j += 1 }
                text.appendSpace(bytes[i..<j])
                i = j
                wordStart = i
                continue
            }
            if b == ASCII.equals, i + 1 < end, bytes[i + 1] == ASCII.question,
                let word = parse(bytes, at: i, cache: &cache)
            {
                if wordStart < i { text.appendRaw(bytes[wordStart..<i]) }
                text.appendEncoded(word)
                i = word.end
                wordStart = i
                continue
            }
            i += 1
        }
        if wordStart < end { text.appendRaw(bytes[wordStart..<end]) }
        return text.finish()
    }
}

/// Assembles header text from raw pieces, white space and encoded-words.
///
/// It owns the two RFC 2047 joining rules: white space between encoded-words disappears, and
/// consecutive encoded-words in one charset are decoded as one byte string.
struct DecodedText {
    private var output = ""
    private var raw: [UInt8] = []
    private var encodedCharset: String?
    /// The decoded bytes of each encoded-word in the current same-charset run.
    private var encodedWords: [[UInt8]] = []
    private var spaceAfterEncoded: [UInt8] = []
    private var lastWasEncoded = false

    init() {}

    /// Whether nothing has been appended yet.
    var isEmpty: Bool { output.isEmpty && raw.isEmpty && encodedCharset == nil && spaceAfterEncoded.isEmpty }

    mutating func appendRaw<C: Collection<UInt8>>(_ bytes: C) {
        flushEncoded()
        if !spaceAfterEncoded.isEmpty {
            raw.append(contentsOf: spaceAfterEncoded)
            spaceAfterEncoded.removeAll()
        }
        raw.append(contentsOf: bytes)
        lastWasEncoded = false
    }

    /// Already decoded text (for example the inside of a quoted string that held encoded-words).
    mutating func appendString(_ string: String) {
        appendRaw(Array(string.utf8))
    }

    mutating func appendSpace<C: Collection<UInt8>>(_ bytes: C) {
        if lastWasEncoded {
            spaceAfterEncoded.append(contentsOf: bytes)
        } else {
            raw.append(contentsOf: bytes)
        }
    }

    mutating func appendEncoded(_ word: EncodedWords.Word) {
        if lastWasEncoded {
            spaceAfterEncoded.removeAll()
            if let current = encodedCharset, current.lowercased() == word.charset.lowercased() {
                encodedWords.append(word.bytes)
                return
            }
            flushEncoded()
        } else {
            flushRaw()
        }
        encodedCharset = word.charset
        encodedWords = [word.bytes]
        lastWasEncoded = true
    }

    private mutating func flushRaw() {
        guard !raw.isEmpty else { return }
        output += Charset.fallback(raw)
        raw.removeAll()
    }

    /// Decodes the run joined (a character may be split between two words); when the charset
    /// rejects the joined bytes but takes each word alone (ISO-2022-JP words each end with an
    /// escape back to ASCII, and some decoders refuse the redundant escapes), word by word.
    private mutating func flushEncoded() {
        guard let charset = encodedCharset else { return }
        let joined = encodedWords.count == 1 ? encodedWords[0] : Array(encodedWords.joined())
        if let text = Charset.strictDecode(joined, charset: charset) {
            output += text
        } else if encodedWords.count > 1,
            case let pieces = encodedWords.compactMap({ Charset.strictDecode($0, charset: charset) }),
            pieces.count == encodedWords.count
        {
            output += pieces.joined()
        } else {
            output += Charset.fallback(joined)
        }
        encodedCharset = nil
        encodedWords.removeAll()
    }

    mutating func finish() -> String {
        flushEncoded()
        raw.append(contentsOf: spaceAfterEncoded)
        spaceAfterEncoded.removeAll()
        flushRaw()
        lastWasEncoded = false
        return output
    }
}
