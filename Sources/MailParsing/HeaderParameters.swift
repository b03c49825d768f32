/// A structured MIME field value: a main token followed by `; name=value` parameters
/// (`Content-Type`, `Content-Disposition`).
///
/// Parameters follow RFC 2045 and RFC 2231 (continuations `name*0=`, charset and language
/// `name*=utf-8'en'%E2%82%AC`, both combined), plus the usual violations: RFC 2047
/// encoded-words in values (`name="=?utf-8?B?...?="`), unquoted values with spaces or
/// tspecials, a missing closing quote (the value runs to the end), stray or doubled `;`.
struct HeaderParameters {
    /// The main value's bytes, lower-cased, comments and white space removed (`text/plain`).
    var valueBytes: ArraySlice<UInt8>
    /// Parameters by lower-cased name, fully decoded; the first occurrence of a name wins.
    var parameters: [String: String]

    /// The main value, lower-cased, comments and white space removed (`text/plain`, `attachment`).
    var value: String { ASCII.text(valueBytes) }

    /// Parses a raw (possibly folded) field value.
    ///
    /// One pass over the bytes (unfolded into a copy only when the field is folded); a
    /// parameter costs its name and value strings and nothing else unless it is quoted with
    /// backslashes, extended (RFC 2231) or encoded.
    static func parse(_ raw: ArraySlice<UInt8>) -> HeaderParameters {
        let folded = ASCII.hasLineBreak(raw)
        let bytes = folded ? ASCII.unfolded(raw)[...] : raw
        var i = bytes.startIndex
        let end = bytes.endIndex

        // Main value: up to the first `;`, comments dropped. It is a slice of the bytes unless
        // white space, a comment or an upper-case letter sits inside it; then it is a copy.
        var mainStart = -1
        var mainEnd = -1
        var mainCopy: [UInt8]? = nil
        var depth = 0
        // Where the last `=` before the first `;` is: white space before it ends the main value.
        let firstSemicolon = bytes.firstIndex(of: ASCII.semicolon) ?? end
        var lastEquals = firstSemicolon - 1
        while lastEquals >= i, bytes[lastEquals] != ASCII.equals { lastEquals -= 1 }
        if lastEquals < i { lastEquals = -1 }
        while i < end, !(depth == 0 && bytes[i] == ASCII.semicolon) {
            let b = bytes[i]
            if depth == 0, ASCII.isWSP(b), mainStart >= 0, lastEquals > i {
                break  // `application/pdf name="x.pdf"`: the `;` is missing
            }
            if b == ASCII.openParen {
                depth += 1
            } else if b == ASCII.closeParen && depth > 0 {
                depth -= 1
            } else if depth == 0 && !ASCII.isWhitespace(b) {
                let lowered = ASCII.lower(b)
                if mainCopy != nil {
                    mainCopy!.append(lowered)
                } else if mainStart < 0, lowered == b {
                    (mainStart, mainEnd) = (i, i + 1)
                } else if i == mainEnd, lowered == b {
                    mainEnd += 1
                } else {
                    mainCopy = mainStart < 0 ? [] : Array(bytes[mainStart..<mainEnd])
                    mainCopy!.append(lowered)
                    if mainStart < 0 { (mainStart, mainEnd) = (i, i + 1) }
                }
            }
            i += 1
        }
        let main = mainCopy.map { $0[...] } ?? (mainStart < 0 ? [] : bytes[mainStart..<mainEnd])

        var plain: [String: String] = [:]
        // name -> section number -> (bytes, percent-encoded?)
        var sections: [String: [Int: (bytes: [UInt8], encoded: Bool)]] = [:]
        var extendedOrder: [String] = []

        while i < end {
            // Skip separators and white space.
            while i < end, bytes[i] == ASCII.semicolon || ASCII.isWhitespace(bytes[i]) { i += 1 }
            guard i < end else { break }
            let nameStart = i
            while i < end, bytes[i] != ASCII.equals, bytes[i] != ASCII.semicolon { i += 1 }
            let nameEnd = i
            guard i < end, bytes[i] == ASCII.equals else { continue }  // a name without value
            i += 1
            while i < end, ASCII.isWSP(bytes[i]) { i += 1 }

            var value: ArraySlice<UInt8>
            if i < end, bytes[i] == ASCII.quote {
                i += 1
                let valueStart = i
                var escaped = false
                while i < end, bytes[i] != ASCII.quote {
                    if bytes[i] == ASCII.backslash, i + 1 < end {
                        escaped = true
                        i += 1
                    }
                    i += 1
                }
                value = bytes[valueStart..<min(i, end)]
                if escaped { value = AddressListParser.unescaped(value)[...] }
                i += 1  // closing quote (or past the end when it is missing)
                // Junk between the closing quote and the next `;` is ignored.
                while i < end, bytes[i] != ASCII.semicolon { i += 1 }
            } else {
                let valueStart = i
                while i < end, bytes[i] != ASCII.semicolon { i += 1 }
                value = ASCII.trimmed(bytes[valueStart..<i])
            }
            let nameBytes = ASCII.trimmed(bytes[nameStart..<nameEnd])
            guard nameBytes.contains(where: { $0 != ASCII.quote }) else { continue }
            let name = parameterName(nameBytes)

            if nameBytes.contains(ASCII.asterisk), let star = name.firstIndex(of: "*") {
                let base = String(name[..<star])
                let suffix = name[name.index(after: star)...]
                var number = 0
                var encoded = false
                if suffix.isEmpty {
                    encoded = true  // name*=charset'lang'value
                } else {
                    let digits = suffix.hasSuffix("*") ? suffix.dropLast() : suffix
                    guard let n = Int(digits), n >= 0, n < 10_000 else { continue }
                    number = n
                    encoded = suffix.hasSuffix("*")
                }
                if sections[base] == nil {
                    sections[base] = [:]
                    extendedOrder.append(base)
                }
                if sections[base]![number] == nil {
                    sections[base]![number] = (Array(value), encoded)
                }
            } else if plain[name] == nil {
                plain[name] = decodePlain(value)
            }
        }

        for base in extendedOrder {
            guard let parts = sections[base] else { continue }
            var charset: String? = nil
            var collected: [UInt8] = []
            for number in parts.keys.sorted() {
                var (segment, encoded) = parts[number]!
                if encoded {
                    if number == 0 || (charset == nil && collected.isEmpty) {
                        // charset'language'text; the quotes may be missing in broken mail.
                        if let q1 = segment.firstIndex(of: ASCII.apostrophe),
                            let q2 = segment[(q1 + 1)...].firstIndex(of: ASCII.apostrophe)
                        {
                            let label = ASCII.text(segment[..<q1])
                            charset = label.isEmpty ? nil : label
                            segment = Array(segment[(q2 + 1)...])
                        }
                    }
                    collected.append(contentsOf: percentDecoded(segment))
                } else {
                    collected.append(contentsOf: segment)
                }
            }
            // An extended value wins over a plain one of the same name (RFC 2231 §4.1 intent).
            plain[base] = Charset.decode(collected, charset: charset)
        }
        return HeaderParameters(valueBytes: main, parameters: plain)
    }

    /// A parameter name lower-cased with its quotes removed; ASCII names (all real ones) are
    /// written straight into the string.
    private static func parameterName(_ bytes: ArraySlice<UInt8>) -> String {
        let ascii = bytes.withUnsafeBufferPointer { ASCII.isASCII($0) }
        guard ascii else { return ASCII.lowercasedString(bytes.filter { $0 != ASCII.quote }) }
        let count = bytes.reduce(0) { $0 + ($1 == ASCII.quote ? 0 : 1) }
        return String(unsafeUninitializedCapacity: count) { out in
            var n = 0
            for b in bytes where b != ASCII.quote {
                out[n] = ASCII.lower(b)
                n += 1
            }
            return n
        }
    }

    /// A plain value: RFC 2047 encoded-words decoded, raw 8-bit read as UTF-8 or Latin-1.
    private static func decodePlain(_ value: ArraySlice<UInt8>) -> String {
        var hasEncodedWord = false
        var k = value.startIndex
        while k + 1 < value.endIndex {
            if value[k] == ASCII.equals && value[k + 1] == ASCII.question {
                hasEncodedWord = true
                break
            }
            k += 1
        }
        return hasEncodedWord ? EncodedWords.decodeUnstructured(value) : Charset.fallback(value)
    }

    private static func percentDecoded(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == ASCII.percent, i + 2 < bytes.count, let hi = ASCII.hexValue(bytes[i + 1]),
                let lo = ASCII.hexValue(bytes[i + 2])
            {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}
