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
