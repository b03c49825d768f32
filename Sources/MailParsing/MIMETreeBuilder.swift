/// Builds the MIME tree of a message: multipart bodies split at their boundaries, encapsulated
/// messages (message/rfc822) read in place, every node a set of byte ranges.
///
/// Boundaries are found in one pass over the whole message (`memchr` for `-` at line starts), so a
/// multipart costs a walk over the delimiter candidates inside it, never a rescan of its bytes;
/// a message with thousands of parts stays linear. Broken structure degrades the way mail
/// readers handle it, each time with a defect: no boundary parameter or no delimiter line means
/// the multipart is a leaf; a missing close delimiter ends the last part at the end of its
/// parent; only exact delimiter lines count (`--b` plus optional `--` and white space), so a
/// boundary that is a prefix of another never matches the longer one.
struct MIMETreeBuilder {
    /// Deeper nesting than this is read as a leaf: real mail never comes close, and it bounds
    /// recursion for hostile input.
    static let maximumDepth = 64

    private let bytes: [UInt8]
    private var defects: [MessageDefect] = []
    /// Every line that starts with `--`: where it starts, where its text ends (trailing white
    /// space excluded) and where the next line starts. Built on first use.
    private var candidates: [(start: Int, textEnd: Int, next: Int)]?

    /// Builds the tree for a message whose header has been scanned.
    static func build(
        _ bytes: [UInt8], header: HeaderScanner.Result, defects: inout [MessageDefect]
    ) -> MIMEEntity {
        var builder = MIMETreeBuilder(bytes: bytes)
        let root = builder.entity(header: header, bodyEnd: bytes.count, inDigest: false, depth: 0)
        defects.append(contentsOf: builder.defects)
        return root
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func entity(
        header scanned: HeaderScanner.Result, bodyEnd: Int, inDigest: Bool, depth: Int
    ) -> MIMEEntity {
        let header = scanned.block
        let bodyStart = min(scanned.bodyStart, bodyEnd)
        // The three MIME fields, found in one pass over the names (first occurrence wins).
        var contentTypeField: Int?
        var encodingField: Int?
        var dispositionField: Int?
        for index in header.fields.indices {
            switch header.fields[index].nameBytes.count {
            case 12 where contentTypeField == nil && header.fields[index].hasName("content-type"):
                contentTypeField = index
            case 25 where encodingField == nil && header.fields[index].hasName("content-transfer-encoding"):
                encodingField = index
            case 19 where dispositionField == nil && header.fields[index].hasName("content-disposition"):
                dispositionField = index
            default: break
            }
        }
        let contentType = Self.mediaType(contentTypeField.map { header.fields[$0] }, inDigest: inDigest)
        let encoding = encodingField.map { TransferEncoding(headerBytes: header.fields[$0].rawValue) } ?? .sevenBit
        var filename: String? = nil
        var disposition: String? = nil
        if let index = dispositionField {
            let parsed = HeaderParameters.parse(header.fields[index].rawValue)
            disposition = parsed.valueBytes.isEmpty ? nil : parsed.value
            filename = parsed.parameters.isEmpty ? nil : parsed.parameters["filename"]
        }
        if filename?.trimmingWhitespace().isEmpty ?? true {
            filename = contentType.parameters.isEmpty ? nil : contentType.parameters["name"]
        }
        filename = filename.map { $0.trimmingWhitespace() }
        if filename?.isEmpty == true { filename = nil }

        var node = MIMEEntity(
            header: header, contentType: contentType, transferEncoding: encoding,
            bodyRange: bodyStart..<bodyEnd, filename: filename, disposition: disposition)

        if depth >= Self.maximumDepth {
            if contentType.type == "multipart" || contentType.type == "message" {
                defects.append(MessageDefect(kind: "MIME nesting deeper than \(Self.maximumDepth) levels read as a leaf", offset: bodyStart))
            }
            return node
        }
        if contentType.type == "multipart" {
            node.children = parts(of: contentType, from: bodyStart, to: bodyEnd, depth: depth)
        } else if contentType.type == "message", Self.encapsulatesMessage(contentType.subtype) {
            if encoding == .base64 || encoding == .quotedPrintable {
                defects.append(MessageDefect(kind: "encoded message/\(contentType.subtype) read as a leaf", offset: bodyStart))
            } else if bodyStart < bodyEnd {
                var nestedDefects: [MessageDefect] = []
                let nested = HeaderScanner.scan(bytes, from: bodyStart, to: bodyEnd, defects: &nestedDefects)
                defects.append(contentsOf: nestedDefects)
                node.children = [entity(header: nested, bodyEnd: bodyEnd, inDigest: false, depth: depth + 1)]
            }
        }
        return node
    }

    /// message/rfc822 and its relatives that hold one complete message.
    private static func encapsulatesMessage(_ subtype: String) -> Bool {
        subtype == "rfc822" || subtype == "global" || subtype == "news"
    }

    private mutating func parts(of type: MediaType, from start: Int, to end: Int, depth: Int) -> [MIMEEntity] {
        // An empty boundary is invalid (RFC 2046 wants 1-70 characters) but unambiguous: the
        // delimiter lines are a bare `--`.
        guard let rawBoundary = type.parameters["boundary"] else {
            defects.append(MessageDefect(kind: "multipart without boundary read as a leaf", offset: start))
            return []
        }
        var boundary = Array(rawBoundary.utf8)
        while let last = boundary.last, ASCII.isWhitespace(last) { boundary.removeLast() }
        let all = candidateLines()

        // First candidate at or after `start` (binary search: candidates are in byte order).
        var lo = 0
        var hi = all.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if all[mid].start < start { lo = mid + 1 } else { hi = mid }
        }

        var delimiters: [(start: Int, next: Int, closing: Bool)] = []
        var k = lo
        while k < all.count, all[k].start < end {
            let c = all[k]
            k += 1
            let textLength = c.textEnd - c.start - 2
            guard textLength == boundary.count || textLength == boundary.count + 2 else { continue }
            guard matches(boundary, at: c.start + 2) else { continue }
            let closing = textLength == boundary.count + 2
            if closing, !(bytes[c.textEnd - 2] == ASCII.minus && bytes[c.textEnd - 1] == ASCII.minus) { continue }
            delimiters.append((c.start, min(c.next, end), closing))
            if closing { break }
        }

        guard let first = delimiters.first, !first.closing else {
            defects.append(MessageDefect(kind: "multipart without any delimiter line read as a leaf", offset: start))
            return []
        }
        if delimiters.last?.closing != true {
            defects.append(MessageDefect(kind: "multipart without close delimiter", offset: end))
        }

        var children: [MIMEEntity] = []
        let inDigest = type.subtype == "digest"
        for (index, delimiter) in delimiters.enumerated() where !delimiter.closing {
            let partStart = delimiter.next
            // The line break before the next delimiter belongs to it; without a close delimiter
            // the last part ends with its container, where that line break would have been.
            let partEnd =
                index + 1 < delimiters.count
                ? Self.endBeforeLineBreak(bytes, delimiters[index + 1].start, floor: partStart)
                : Self.endBeforeLineBreak(bytes, end, floor: partStart)
            var partDefects: [MessageDefect] = []
            let scanned = HeaderScanner.scan(bytes, from: partStart, to: partEnd, defects: &partDefects)
            defects.append(contentsOf: partDefects)
            children.append(entity(header: scanned, bodyEnd: partEnd, inDigest: inDigest, depth: depth + 1))
        }
        return children
    }

    /// The position before the CRLF or LF that ends at `position` (that line break belongs to
    /// the delimiter, RFC 2046 §5.1.1), never before `floor`.
    private static func endBeforeLineBreak(_ bytes: [UInt8], _ position: Int, floor: Int) -> Int {
        var p = position
        if p > floor, bytes[p - 1] == ASCII.lf { p -= 1 }
        if p > floor, bytes[p - 1] == ASCII.cr { p -= 1 }
        return max(p, floor)
    }

    private func matches(_ boundary: [UInt8], at offset: Int) -> Bool {
        guard offset + boundary.count <= bytes.count else { return false }
        for (j, b) in boundary.enumerated() where bytes[offset + j] != b { return false }
        return true
    }

    /// Every line of the message that starts with `--`.
    ///
    /// `memchr` looks for `-`, not for line ends: base64 has no `-`, so attachments are skipped
    /// at memory speed, and a run of dashes that does not start a line is passed over whole.
    private mutating func candidateLines() -> [(start: Int, textEnd: Int, next: Int)] {
        if let candidates { return candidates }
        var found: [(start: Int, textEnd: Int, next: Int)] = []
        found.reserveCapacity(16)
        bytes.withUnsafeBufferPointer { buf in
            let count = buf.count
            var from = 0
            while let hit = ByteSearch.first(ASCII.minus, in: buf, from: from, to: count) {
                if hit + 1 < count, buf[hit + 1] == ASCII.minus, hit == 0 || buf[hit - 1] == ASCII.lf {
                    let newline = ByteSearch.first(ASCII.lf, in: buf, from: hit, to: count)
                    let next = newline.map { $0 + 1 } ?? count
                    var textEnd = newline ?? count
                    while textEnd > hit + 2, ASCII.isWhitespace(buf[textEnd - 1]) { textEnd -= 1 }
                    found.append((hit, textEnd, next))
                    from = next
                } else {
                    // No candidate: the rest of the line (hyphens, dashes of CSS, rulers) is passed.
                    guard let newline = ByteSearch.first(ASCII.lf, in: buf, from: hit + 1, to: count) else { break }
                    from = newline + 1
                }
            }
        }
        candidates = found
        return found
    }

    /// The entity's media type, defaulted per RFC 2045 / 2046.
    static func mediaType(_ header: HeaderBlock, inDigest: Bool) -> MediaType {
        mediaType(header.first("Content-Type"), inDigest: inDigest)
    }

    /// The media type of a Content-Type field (nil: there is none), defaulted per RFC 2045 / 2046.
    static func mediaType(_ field: HeaderField?, inDigest: Bool) -> MediaType {
        guard let field else {
            return inDigest ? .defaultDigestPart : .defaultText
        }
        let parsed = HeaderParameters.parse(field.rawValue)
        let value = parsed.valueBytes
        // `type/subtype`: exactly one slash, token characters on both sides.
        var slash: Int? = nil
        var valid = true
        for k in value.indices {
            if value[k] == ASCII.slash {
                if slash != nil {
                    valid = false
                    break
                }
                slash = k
            } else if !isTokenByte(value[k]) {
                valid = false
                break
            }
        }
        guard valid, let slash, slash > value.startIndex, slash < value.endIndex - 1 else {
            // An unreadable Content-Type is text/plain (RFC 2045 §5.2); its parameters still
            // say something about the bytes (a charset, a name).
            var fallback = MediaType.defaultText
            fallback.parameters.merge(parsed.parameters) { _, new in new }
            return fallback
        }
        return MediaType(
            type: ASCII.text(value[..<slash]), subtype: ASCII.text(value[(slash + 1)...]), parameters: parsed.parameters)
    }

    /// Printable ASCII except the tspecials `()<>@,;:\"/[]?=` (RFC 2045 §5.1).
    private static func isTokenByte(_ b: UInt8) -> Bool {
        guard b > 0x20, b < 0x7F else { return false }
        switch b {
        case ASCII.openParen, ASCII.closeParen, ASCII.lessThan, ASCII.greaterThan, ASCII.at, ASCII.comma,
            ASCII.semicolon, ASCII.colon, ASCII.backslash, ASCII.quote, ASCII.slash, ASCII.openBracket,
            ASCII.closeBracket, ASCII.question, ASCII.equals:
            return false
        default:
            return true
        }
    }
}
