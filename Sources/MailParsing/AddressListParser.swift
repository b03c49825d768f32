/// Reads RFC 5322 address lists (`From`, `To`, `Cc`, ...) into mailboxes, groups flattened.
///
/// The input is whatever mail programs write, so the parser is lenient first and strict never:
/// display names may be quoted, encoded-words (also inside quotes, a common violation) or bare
/// 8-bit UTF-8; comments are dropped (they carry no meaning in RFC 5322); obsolete routes
/// (`<@a,@b:user@host>`) lose the route; `;` separates like `,` does (Outlook habit); a
/// missing comma between two addr-specs splits them; an unclosed `<`, `"` or `(` ends at the end
/// of the list. Addr-specs come out in canonical form: comments and white space removed, the
/// local part quoted only when it must be (`"john"@x` is `john@x`), the null address as `<>`.
struct AddressListParser {
    /// The mailboxes of one address-list field value (raw or unfolded bytes).
    static func parse(_ value: ArraySlice<UInt8>) -> [MailAddress] {
        let folded = ASCII.hasLineBreak(value)
        var parser = AddressListParser(bytes: folded ? ArraySlice(ASCII.unfolded(value)) : value)
        let tokens = parser.tokenize()
        return parser.assemble(tokens)
    }

    /// The unfolded field value; tokens are ranges into it.
    private let bytes: ArraySlice<UInt8>
    /// The encoded-words found, referred to by index from `.encoded` tokens.
    private var words: [EncodedWords.Word] = []

    private init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    /// A lexical token. Tokens hold positions, not bytes, so that a list of a hundred thousand
    /// of them is plain memory without reference counting.
    enum Token {
        /// A run of atom text; dots and 8-bit bytes included.
        case word(Range<Int>)
        /// An RFC 2047 encoded-word: its index in `words` and the bytes it was written as.
        case encoded(Int, raw: Range<Int>)
        /// The inside of a quoted string, backslash escapes still in place.
        case quoted(Range<Int>)
        /// A domain literal, brackets included.
        case literal(Range<Int>)
        /// One of `< > @ , ; :`.
        case special(UInt8)
        /// White space and/or comments.
        case space

        var isSpace: Bool { if case .space = self { return true } else { return false } }
        func isSpecial(_ c: UInt8) -> Bool {
            if case .special(let s) = self { return s == c } else { return false }
        }
    }

    /// Splits the value into tokens in one pass; runs of white space and comments become one
    /// `.space`.
    mutating func tokenize() -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(16)
        var cache = EncodedWords.TerminatorCache()
        var i = bytes.startIndex
        let end = bytes.endIndex
        func addSpace() {
            if let last = tokens.last, last.isSpace { return }
            tokens.append(.space)
        }
        while i < end {
            let b = bytes[i]
            switch b {
            case ASCII.space, ASCII.tab, ASCII.cr, ASCII.lf:
                addSpace()
                i += 1
            case ASCII.openParen:
                var depth = 0
                while i < end {
                    let c = bytes[i]
                    if c == ASCII.backslash {
                        i += 2
                        continue
                    }
                    if c == ASCII.openParen { depth += 1 }
                    if c == ASCII.closeParen {
                        depth -= 1
                        if depth == 0 {
                            i += 1
                            break
                        }
                    }
                    i += 1
                }
                i = min(i, end)
                addSpace()
            case ASCII.closeParen:
                addSpace()
                i += 1
            case ASCII.quote:
                var j = i + 1
                while j < end, bytes[j] != ASCII.quote {
                    j += bytes[j] == ASCII.backslash ? 2 : 1
                }
                j = min(j, end)
                tokens.append(.quoted((i + 1)..<j))
                i = min(j + 1, end)
            case ASCII.openBracket:
                var j = i + 1
                while j < end, bytes[j] != ASCII.closeBracket {
                    j += bytes[j] == ASCII.backslash ? 2 : 1
                }
                j = min(j + 1, end)
                tokens.append(.literal(i..<j))
                i = j
            case ASCII.lessThan, ASCII.greaterThan, ASCII.at, ASCII.comma, ASCII.semicolon, ASCII.colon:
                tokens.append(.special(b))
                i += 1
            default:
                if b == ASCII.equals, i + 1 < end, bytes[i + 1] == ASCII.question,
                    let word = EncodedWords.parse(bytes, at: i, cache: &cache)
                {
                    tokens.append(.encoded(words.count, raw: i..<word.end))
                    words.append(word)
                    i = word.end
                    continue
                }
                var j = i + 1
                while j < end, !Self.isWordEnd(bytes[j]) { j += 1 }
                tokens.append(.word(i..<j))
                i = j
            }
        }
        return tokens
    }

    @inline(__always)
    private static func isWordEnd(_ b: UInt8) -> Bool {
        switch b {
        case ASCII.space, ASCII.tab, ASCII.cr, ASCII.lf, ASCII.openParen, ASCII.closeParen, ASCII.quote,
            ASCII.openBracket, ASCII.lessThan, ASCII.greaterThan, ASCII.at, ASCII.comma, ASCII.semicolon,
            ASCII.colon:
            return true
        default:
            return false
        }
    }

    /// Walks the tokens item by item (items end at `,` or `;` outside angle brackets).
    func assemble(_ tokens: [Token]) -> [MailAddress] {
        var result: [MailAddress] = []
        var i = 0
        let n = tokens.count
        // Reused from item to item.
        var item: [Token] = []  // tokens outside angle brackets
        var angle: [Token] = []  // tokens inside, once a `<` was seen (hasAngle)
        item.reserveCapacity(16)
        angle.reserveCapacity(16)
        while i < n {
            item.removeAll(keepingCapacity: true)
            angle.removeAll(keepingCapacity: true)
            var hasAngle = false
            var angleOpen = false
            var angleStartsWithAt: Bool? = nil  // whether the first token inside `<` is `@` (a route)
            var sawAt = false
            collecting: while i < n {
                let t = tokens[i]
                i += 1
                guard case .special(let c) = t else {
                    if angleOpen {
                        if angleStartsWithAt == nil, !t.isSpace { angleStartsWithAt = false }
                        angle.append(t)
                    } else if !hasAngle {
                        item.append(t)
                    }
                    continue
                }
                switch c {
                case ASCII.comma where angleOpen && Self.nextSignificant(tokens, after: i - 1)?.isSpecial(ASCII.at) == true:
                    angle.append(t)  // a comma inside an obsolete route
                case ASCII.comma, ASCII.semicolon:
                    break collecting
                case ASCII.colon where angleOpen:
                    if angleStartsWithAt == true {
                        angle.append(t)  // the end of an obsolete route
                    } else {
                        // `<Undisclosed-Recipient:;>`: a group wrapped in brackets.
                        hasAngle = false
                        angle.removeAll(keepingCapacity: true)
                        angleOpen = false
                        item.removeAll(keepingCapacity: true)
                    }
                case ASCII.colon where !hasAngle && !sawAt:
                    item.removeAll(keepingCapacity: true)  // a group name: its members follow
                case ASCII.lessThan where !hasAngle:
                    hasAngle = true
                    angle.removeAll(keepingCapacity: true)
                    angleOpen = true
                    angleStartsWithAt = nil
                case ASCII.greaterThan where angleOpen:
                    angleOpen = false
                case ASCII.greaterThan where !hasAngle:
                    break  // a stray `>` (left over from a bracketed group) means nothing
                default:
                    if c == ASCII.at { sawAt = true }
                    if angleOpen {
                        if angleStartsWithAt == nil { angleStartsWithAt = c == ASCII.at }
                        angle.append(t)
                    } else if !hasAngle {
                        item.append(t)
                    }
                }
            }
            if hasAngle {
                var routeless = angle[...]
                if let colon = angle.lastIndex(where: { $0.isSpecial(ASCII.colon) }) {
                    routeless = angle[(colon + 1)...]
                }
                result.append(MailAddress(name: phrase(item[...]), address: addrSpec(routeless)))
            } else {
                for var run in splitOnMissingComma(item) where run.contains(where: { !$0.isSpace }) {
                    if !run.contains(where: { $0.isSpecial(ASCII.at) }),
                        run.contains(where: { if case .encoded = $0 { return true } else { return false } })
                    {
                        // Encoded-words and no `@`: a display name whose address is missing.
                        result.append(MailAddress(name: phrase(run), address: ""))
                        continue
                    }
                    if let first = run.first(where: { !$0.isSpace }), first.isSpecial(ASCII.at),
                        let colon = run.lastIndex(where: { $0.isSpecial(ASCII.colon) })
                    {
                        run = run[(colon + 1)...]  // an obsolete route without angle brackets
                    }
                    let address = addrSpec(run)
                    // `@domain` alone is no mailbox (left over from a broken group).
                    if address.hasPrefix("@") { continue }
                    result.append(MailAddress(name: "", address: address))
                }
            }
        }
        return result
    }

    private static func nextSignificant(_ tokens: [Token], after index: Int) -> Token? {
        var j = index + 1
        while j < tokens.count, tokens[j].isSpace { j += 1 }
        return j < tokens.count ? tokens[j] : nil
    }

    /// `a@x b@y` is two addresses that lost their comma; `a@x junk` is one address and junk.
    private func splitOnMissingComma(_ item: [Token]) -> [ArraySlice<Token>] {
        // Only white space after a domain, with more tokens after it, can split.
        var maySplit = false
        var sawAtSign = false
        var sawDomainText = false
        for k in item.indices {
            if item[k].isSpecial(ASCII.at) {
                sawAtSign = true
            } else if item[k].isSpace {
                if sawDomainText, k + 1 < item.count {
                    maySplit = true
                    break
                }
            } else if sawAtSign {
                sawDomainText = true
            }
        }
        guard maySplit else { return [item[...]] }
        // atAfter[k]: an `@` occurs at or after token k (so the split decision stays O(1)).
        var atAfter = [Bool](repeating: false, count: item.count + 1)
        for k in stride(from: item.count - 1, through: 0, by: -1) {
            atAfter[k] = atAfter[k + 1] || item[k].isSpecial(ASCII.at)
        }
        var runs: [ArraySlice<Token>] = []
        var start = 0
        var sawAt = false
        var sawDomain = false
        for k in item.indices {
            let t = item[k]
            if t.isSpecial(ASCII.at) {
                sawAt = true
            } else if sawAt, !t.isSpace {
                sawDomain = true
            }
            guard t.isSpace, sawDomain, k + 1 < item.count, !dotEdge(item[k - 1], atEnd: true),
                !dotEdge(item[k + 1], atEnd: false), !item[k + 1].isSpecial(ASCII.at)
            else { continue }
            runs.append(item[start..<k])
            guard atAfter[k + 1] else { return runs }  // trailing junk after a complete addr-spec
            start = k + 1
            sawAt = false
            sawDomain = false
        }
        runs.append(item[start...])
        return runs
    }

    private func dotEdge(_ token: Token, atEnd: Bool) -> Bool {
        guard case .word(let w) = token, !w.isEmpty else { return false }
        return bytes[atEnd ? w.upperBound - 1 : w.lowerBound] == ASCII.dot
    }

    /// The display name: words joined by single spaces, comments gone, encoded-words decoded
    /// (inside quotes too), white space between encoded-words dropped.
    func phrase(_ tokens: ArraySlice<Token>) -> String {
        if let plain = plainPhrase(tokens) { return plain }
        var text = DecodedText()
        var pendingSpace = false
        var started = false
        for t in tokens {
            switch t {
            case .space:
                if started { pendingSpace = true }
                continue
            default: break
            }
            if pendingSpace { text.appendSpace(CollectionOfOne(ASCII.space)) }
            pendingSpace = false
            started = true
            switch t {
            case .word(let w), .literal(let w): text.appendRaw(bytes[w])
            case .encoded(let index, _): text.appendEncoded(words[index])
            case .quoted(let q):
                if Self.isPlainQuotedText(bytes[q]) {
                    text.appendRaw(bytes[q])  // what decoding it would give back
                } else {
                    text.appendString(EncodedWords.decodeUnstructured(ArraySlice(Self.unescaped(bytes[q]))))
                }
            case .special(let c): text.appendRaw(CollectionOfOne(c))
            case .space: break
            }
        }
        return text.finish()
    }

    /// The display name when nothing in it needs decoding (no encoded-word, quoted strings
    /// plain): the bytes joined the way ``phrase(_:)`` joins them, read as one text.
    private func plainPhrase(_ tokens: ArraySlice<Token>) -> String? {
        for t in tokens {
            switch t {
            case .encoded: return nil
            case .quoted(let q) where !Self.isPlainQuotedText(bytes[q]): return nil
            default: continue
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        var pendingSpace = false
        var started = false
        for t in tokens {
            if t.isSpace {
                if started { pendingSpace = true }
                continue
            }
            if pendingSpace { out.append(ASCII.space) }
            pendingSpace = false
            started = true
            switch t {
            case .word(let w), .literal(let w), .quoted(let w): out.append(contentsOf: bytes[w])
            case .special(let c): out.append(c)
            case .encoded, .space: break
            }
        }
        return Charset.fallback(out)
    }

    /// Quoted-string content that unescaping and RFC 2047 decoding leave as it is: ASCII
    /// without backslashes and without `=?`.
    private static func isPlainQuotedText(_ q: ArraySlice<UInt8>) -> Bool {
        var previous: UInt8 = 0
        for b in q {
            if b >= 0x80 || b == ASCII.backslash || (b == ASCII.question && previous == ASCII.equals) { return false }
            previous = b
        }
        return true
    }

    /// The canonical addr-spec of tokens that should hold one.
    func addrSpec(_ tokens: ArraySlice<Token>) -> String {
        let at = tokens.firstIndex(where: { $0.isSpecial(ASCII.at) })
        var out = localPart(at.map { tokens[..<$0] } ?? tokens)
        let localIsEmpty = out.isEmpty
        if out.contains(where: Self.needsQuoting) { out = Self.quoted(out) }
        guard let at else { return localIsEmpty ? "<>" : Charset.fallback(out) }
        let domainStart = out.count + 1
        out.append(ASCII.at)
        for t in tokens[(at + 1)...] {
            switch t {
            case .word(let w), .literal(let w), .encoded(_, let w): out.append(contentsOf: bytes[w])
            case .quoted(let q): out.append(contentsOf: Self.unescaped(bytes[q]))
            case .special(let c): out.append(c)
            case .space: break
            }
        }
        if out.count == domainStart {
            // No domain: no `@` either.
            if localIsEmpty { return "<>" }
            out.removeLast()
        }
        return Charset.fallback(out)
    }

    private func localPart(_ tokens: ArraySlice<Token>) -> [UInt8] {
        var local: [UInt8] = []
        local.reserveCapacity(32)
        var pendingSpace = false
        var previous: Token? = nil
        for t in tokens {
            if t.isSpace {
                if previous != nil { pendingSpace = true }
                continue
            }
            if pendingSpace, let p = previous, !dotEdge(p, atEnd: true), !dotEdge(t, atEnd: false) {
                local.append(ASCII.space)
            }
            pendingSpace = false
            switch t {
            case .word(let w), .literal(let w), .encoded(_, let w): local.append(contentsOf: bytes[w])
            case .quoted(let q): local.append(contentsOf: Self.unescaped(bytes[q]))
            case .special(let c): local.append(c)
            case .space: break
            }
            previous = t
        }
        return local
    }

    /// A local part as a quoted string (it holds specials or white space).
    private static func quoted(_ local: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [ASCII.quote]
        out.reserveCapacity(local.count + 8)
        for b in local {
            if b == ASCII.quote || b == ASCII.backslash { out.append(ASCII.backslash) }
            out.append(b)
        }
        out.append(ASCII.quote)
        return out
    }

    private static func needsQuoting(_ b: UInt8) -> Bool {
        switch b {
        case ASCII.space, ASCII.tab, ASCII.openParen, ASCII.closeParen, ASCII.lessThan, ASCII.greaterThan,
            ASCII.at, ASCII.comma, ASCII.colon, ASCII.semicolon, ASCII.backslash, ASCII.quote,
            ASCII.openBracket, ASCII.closeBracket:
            return true
        default:
            return false
        }
    }

    /// Quoted-string content with its backslash escapes removed.
    static func unescaped(_ q: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(q.count)
        var i = q.startIndex
        while i < q.endIndex {
            if q[i] == ASCII.backslash, i + 1 < q.endIndex {
                out.append(q[i + 1])
                i += 2
            } else {
                out.append(q[i])
                i += 1
            }
        }
        return out
    }
}
