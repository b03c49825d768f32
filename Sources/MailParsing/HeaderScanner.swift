/// Locates the header fields at the start of a message or MIME part.
///
/// This is the one hot loop for headers: it walks lines with `memchr`, never copies a value and
/// never builds a string. Folding, obsolete syntax and the usual damage
/// are handled here so that every accessor can trust the field boundaries it gets.
enum HeaderScanner {
    /// What the scan found.
    struct Result {
        var block: HeaderBlock
        /// Where the body starts (after the blank line, or at the first line that is not a header).
        var bodyStart: Int
    }

    /// Scans the header that starts at `start`; never reads at or past `limit`.
    ///
    /// Rules, in the order they are tried for each line:
    /// - an empty line (LF or CRLF) ends the header; the body starts after it;
    /// - a line starting with SP or HT continues the current field (obs-FWS allows it to be
    ///   all white space); before the first field it is skipped as a defect;
    /// - a line starting with `From ` is an mbox envelope line, skipped;
    /// - `name WSP* :` with a printable-ASCII name starts a field (WSP before the colon is the
    ///   RFC 5322 obsolete syntax);
    /// - a name with control or 8-bit bytes is a broken field, skipped as a defect;
    /// - any other line is not a header line: when the current field ends in `;` it is a
    ///   mangled parameter continuation (`Content-Type: ...;` then `name="x"`), otherwise the
    ///   header has ended without its blank line and the body starts at this line.
    static func scan(
        _ bytes: [UInt8], from start: Int, to limit: Int, defects: inout [MessageDefect]
    ) -> Result {
        bytes.withUnsafeBufferPointer { scan(bytes, buf: $0, from: start, to: limit, defects: &defects) }
    }

    /// The scan itself, over `buf` (the buffer of `bytes`, whose slices become the fields).
    private static func scan(
        _ bytes: [UInt8], buf: UnsafeBufferPointer<UInt8>, from start: Int, to limit: Int,
        defects: inout [MessageDefect]
    ) -> Result {
        var fields: [HeaderField] = []
        fields.reserveCapacity(16)
        var bodyStart = limit
        var headerEnd = limit
        // The field being collected: name bounds and the value's start and current end.
        var hasCurrent = false
        var nameStart = 0
        var nameEnd = 0
        var valueStart = 0
        var valueEnd = 0

        var pos = start
        while pos < limit {
            let newline = ByteSearch.first(ASCII.lf, in: buf, from: pos, to: limit)
            let next = newline.map { $0 + 1 } ?? limit
            var contentEnd = newline ?? limit
            if contentEnd > pos, buf[contentEnd - 1] == ASCII.cr { contentEnd -= 1 }

            if contentEnd == pos {
                headerEnd = pos
                bodyStart = next
                break
            }
            let first = buf[pos]
            if ASCII.isWSP(first) {
                if hasCurrent {
                    valueEnd = contentEnd
                } else {
                    defects.append(MessageDefect(kind: "continuation line before the first header field", offset: pos))
                }
                pos = next
                continue
            }
            // The field name: everything before the colon, trailing WSP allowed (obsolete).
            // The usual name, printable ASCII up to the colon, is passed in a tight loop; the
            // general loop then sees the colon, white space or a bad byte.
            var i = pos
            while i < contentEnd, buf[i] != ASCII.colon, buf[i] &- 0x21 < 0x5E { i += 1 }
            var lineNameEnd = i
            var printable = true
            var sawSpace = false
            var spaceThenText = false
            var colon = -1
            while i < contentEnd {
                let b = buf[i]
                if b == ASCII.colon {
                    colon = i
                    break
                }
                if ASCII.isWSP(b) {
                    sawSpace = true
                } else {
                    if sawSpace {
                        spaceThenText = true
                        break
                    }
                    if b < 0x21 || b > 0x7E { printable = false }
                    lineNameEnd = i + 1
                }
                i += 1
            }

            if colon >= 0, lineNameEnd > pos, !spaceThenText {
                if hasCurrent {
                    fields.append(HeaderField(nameBytes: bytes[nameStart..<nameEnd], rawValue: bytes[valueStart..<valueEnd]))
                    hasCurrent = false
                }
                if printable {
                    hasCurrent = true
                    (nameStart, nameEnd, valueStart, valueEnd) = (pos, lineNameEnd, colon + 1, contentEnd)
                } else {
                    defects.append(MessageDefect(kind: "header field name with invalid bytes", offset: pos))
                }
                pos = next
                continue
            }

            if spaceThenText, contentEnd - pos >= 5, buf[pos] == 0x46, buf[pos + 1] == 0x72,
                buf[pos + 2] == 0x6F, buf[pos + 3] == 0x6D, buf[pos + 4] == ASCII.space
            {
                if hasCurrent {
                    fields.append(HeaderField(nameBytes: bytes[nameStart..<nameEnd], rawValue: bytes[valueStart..<valueEnd]))
                    hasCurrent = false
                }
                if pos != start {
                    defects.append(MessageDefect(kind: "mbox From_ line inside the header", offset: pos))
                }
                pos = next
                continue
            }

            if hasCurrent, valueEndsWithSemicolon(buf, valueStart, valueEnd) {
                defects.append(MessageDefect(kind: "parameter continuation without folding white space", offset: pos))
                valueEnd = contentEnd
                pos = next
                continue
            }
            defects.append(MessageDefect(kind: "header ended without a blank line", offset: pos))
            headerEnd = pos
            bodyStart = pos
            break
        }
        if pos >= limit {
            headerEnd = limit
            bodyStart = limit
        }
        if hasCurrent {
            fields.append(HeaderField(nameBytes: bytes[nameStart..<nameEnd], rawValue: bytes[valueStart..<valueEnd]))
        }
        return Result(block: HeaderBlock(fields: fields, range: start..<max(start, headerEnd)), bodyStart: bodyStart)
    }

    private static func valueEndsWithSemicolon(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        var j = to
        while j > from, ASCII.isWhitespace(buf[j - 1]) { j -= 1 }
        return j > from && buf[j - 1] == ASCII.semicolon
    }
}
