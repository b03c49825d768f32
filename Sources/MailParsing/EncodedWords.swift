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

    /// Whether the bytes hold `=?`, the start of every encoded-word.
    static func mayContainWord(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var from = 0
        while let equals = ByteSearch.first(ASCII.equals, in: bytes, from: from, to: bytes.count) {
            if equals + 1 < bytes.count, bytes[equals + 1] == ASCII.question { return true }
            from = equals + 1
        }
        return false
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
