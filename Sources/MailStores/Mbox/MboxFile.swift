import FileSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Reads the messages of an mbox file, streaming it in chunks.
///
/// A message starts at a `From ` line that looks like a separator (an envelope sender with `@`,
/// `-`, or a classic date with time and year) and is followed by a header field. This is
/// stricter than Python's `mailbox` and many MUAs, which split at every `From ` line: an
/// unescaped "From Russia with love" inside a body (mboxo written by careless tools) does not
/// split a message here. Bytes before the first separator
/// (a UTF-8 byte order mark, say) are skipped and reported in ``skippedLeadingBytes``.
///
/// Both mboxo and mboxrd are read: the message bytes handed out are as stored (escapes and all,
/// without the `From ` line and the blank line that ends the message), and ``unescape(_:)``
/// undoes `>From ` quoting the mboxrd way for parsing. LF and CRLF line ends both work.
public final class MboxFile {
    public let container: MailContainer
    /// Bytes before the first separator, ignored.
    public private(set) var skippedLeadingBytes = 0
    private let chunkSize: Int
    private let file: OpenFile?
    private let limits: ReadLimits

    /// A reader of `container`. With `file`, the mbox is read through that open file (with
    /// `pread`, from the start) and it is not closed: a caller that holds an fcntl lock must not
    /// let another descriptor of the file be closed, which would drop it.
    public init(_ container: MailContainer, chunkSize: Int = 1 << 20, file: OpenFile? = nil, limits: ReadLimits = .standard) {
        self.container = container
        self.chunkSize = chunkSize
        self.file = file
        self.limits = limits
    }

    /// Calls `body` with batches of messages in file order: at most `size` messages and, past
    /// the first message, at most `byteLimit` bytes, so memory holds one chunk plus one batch
    /// whatever the file's size. A message larger than the read limit is handed out without its
    /// bytes, with ``StoredMessage/problem`` set, and memory stays bounded.
    public func forEachBatch(size: Int = 256, byteLimit: Int = 32 << 20, _ body: ([StoredMessage]) throws -> Void) throws {
        let file = try self.file ?? FileSystem.openFile(atPath: container.path)
        var fileOffset = 0
        let chunkSize = self.chunkSize
        try forEachBatch(size: size, byteLimit: byteLimit, reading: { () throws(PrivctlError) -> [UInt8] in
            var chunk = [UInt8](repeating: 0, count: chunkSize)
            let n = try chunk.withUnsafeMutableBytes { raw in Result { () throws(PrivctlError) in try file.read(at: fileOffset, into: raw) } }.get()
            fileOffset += n
            return n == chunk.count ? chunk : Array(chunk[0..<n])
        }, body)
    }

    /// The same over any stream of bytes (an mbox inside an archive, say): `read` returns the
    /// next chunk, empty at the end. Messages keep the offsets they have in that stream.
    public func forEachBatch(
        size: Int = 256, byteLimit: Int = 32 << 20, reading read: () throws -> [UInt8],
        _ body: ([StoredMessage]) throws -> Void
    ) throws {
        let path = container.path
        var buffer: [UInt8] = []
        var bufferStart = 0  // file offset of buffer[0]
        var eof = false
        var messageStart: Int? = nil  // file offset of the current message's From line
        var index = 0
        var batch: [StoredMessage] = []
        var batchBytes = 0
        var scanFrom = 0  // buffer position from which to look for the next separator
        var oversized = false  // the current message is past the read limit: its bytes are dropped
        var insideLongLine = false  // passing over a line too long to be a separator, unkept
        let maxMessageSize = limits.maxMessageSize

        func fill() throws {
            let chunk = try read()
            if chunk.isEmpty { eof = true; return }
            buffer.append(contentsOf: chunk)
        }

        func emit(from start: Int, to end: Int) throws {
            // `start` is the From line, `end` the next From line (or end of file).
            if oversized || end - start > maxMessageSize {
                oversized = false
                var message = StoredMessage(
                    container: container, item: "#\(index)", identity: "mbox:\(path)@\(start)", size: end - start,
                    byteRange: start..<end)
                message.quotesFromLines = true
                message.identifiedByContent = true
                message.problem = PrivctlError(
                    .tooLarge, path: path + "#\(index)",
                    problem: "message of \(end - start) bytes, more than the limit of \(maxMessageSize) bytes; not read (--max-message-size)")
                batch.append(message)
                index += 1
                if batch.count >= size {
                    try body(batch)
                    batch.removeAll(keepingCapacity: true)
                    batchBytes = 0
                }
                return
            }
            let lo = start - bufferStart, hi = end - bufferStart
            let messageBytes = Self.message(inEntry: buffer[lo..<hi])
            let bytes = Array(messageBytes)
            let fromLine = buffer[lo..<messageBytes.startIndex]
            var message = StoredMessage(
                container: container, item: "#\(index)", identity: "mbox:\(path)@\(start)",
                size: bytes.count, deliveredAt: MboxFile.separatorDate(fromLine),
                bytes: bytes, byteRange: start..<end)
            message.quotesFromLines = true
            message.identifiedByContent = true
            batch.append(message)
            index += 1
            batchBytes += bytes.count
            if batch.count >= size || batchBytes >= byteLimit {
                try body(batch)
                batch.removeAll(keepingCapacity: true)
                batchBytes = 0
            }
        }

        while true {
            // Look for separator lines in the buffer from scanFrom.
            var position = scanFrom
            while let newline = MboxFile.find(0x0A, in: buffer, from: position) {
                let lineEnd = newline + 1
                if insideLongLine {
                    // The end of a line whose start was dropped: not a line start to look at.
                    insideLongLine = false
                    position = lineEnd
                    continue
                }
                // A UTF-8 byte order mark may precede the first separator.
                let bom = bufferStart == 0 && position == 0 && buffer.starts(with: [0xEF, 0xBB, 0xBF])
                let lineStart = bom ? 3 : position
                var atSeparator = false
                if MboxFile.isSeparator(buffer, lineStart: lineStart, lineEnd: lineEnd) {
                    // A separator is followed by a header field; the blank line before it is
                    // usual but some writers omit it.
                    if let header = MboxFile.startsWithHeaderField(buffer, at: lineEnd) {
                        atSeparator = header
                    } else if !eof {
                        break  // the next line is not in the buffer yet: read more, look again
                    } else {
                        atSeparator = messageStart == nil
                    }
                }
                position = lineEnd
                if atSeparator {
                    let offset = bufferStart + lineStart
                    if let start = messageStart {
                        try emit(from: start, to: offset)
                    } else {
                        skippedLeadingBytes = offset
                    }
                    messageStart = offset
                }
            }
            scanFrom = position
            // A message past the read limit: its bytes are not kept, only where it is. The line
            // not yet ended counts too: a message of one long line is no exception.
            if let start = messageStart, bufferStart + buffer.count - start > maxMessageSize {
                oversized = true
            }
            // A line that is not kept (in an oversized message, or before the first separator)
            // and longer than any separator line is passed over as it streams by, so memory
            // stays bounded whatever the line structure.
            if (oversized || messageStart == nil), buffer.count - scanFrom > MboxFile.longestSeparatorLine,
                MboxFile.find(0x0A, in: buffer, from: scanFrom) == nil
            {
                insideLongLine = true
                scanFrom = buffer.count
            }
            // Drop what is behind the current message (or, for an oversized one, what is behind
            // the line being looked at).
            let keepFrom = (oversized ? bufferStart + scanFrom : (messageStart ?? (bufferStart + scanFrom))) - bufferStart
            if keepFrom > 0 && keepFrom >= buffer.count / 2 {
                buffer.removeFirst(keepFrom)
                bufferStart += keepFrom
                scanFrom -= keepFrom
            }
            if eof { break }
            try fill()
        }
        // The last line may lack a newline; it cannot be a separator that matters.
        if let start = messageStart {
            try emit(from: start, to: bufferStart + buffer.count)
        } else if !buffer.isEmpty || bufferStart > 0 {
            throw PrivctlError(.notMail, path: path, problem: "no `From ` separator line found; not an mbox")
        }
        if !batch.isEmpty { try body(batch) }
    }

    /// Longer than any `From ` separator line (an address and a date): a longer line that is
    /// not kept is passed over without being held in memory.
    static let longestSeparatorLine = 1 << 16

    /// Undoes mboxrd `>From ` quoting: a line of one or more `>` followed by `From ` loses one `>`.
    public static func unescape(_ bytes: [UInt8]) -> [UInt8] {
        let quoted = Array(">From ".utf8)
        guard bytes.count >= quoted.count else { return bytes }
        var out: [UInt8] = []
        var changed = false
        var lineStart = 0
        var i = 0
        while lineStart < bytes.count {
            // Is this line `>+From `?
            var j = lineStart
            while j < bytes.count, bytes[j] == UInt8(ascii: ">") { j += 1 }
            if j > lineStart, bytes.count - j >= 5, bytes[j..<j + 5].elementsEqual("From ".utf8) {
                if !changed {
                    out.reserveCapacity(bytes.count)
                    out.append(contentsOf: bytes[0..<lineStart])
                    changed = true
                } else {
                    out.append(contentsOf: bytes[i..<lineStart])
                }
                i = lineStart + 1
            }
            guard let newline = find(0x0A, in: bytes, from: lineStart) else { break }
            lineStart = newline + 1
        }
        if !changed { return bytes }
        out.append(contentsOf: bytes[i...])
        return out
    }

    // MARK: - Separator recognition

    static func find(_ byte: UInt8, in buffer: [UInt8], from start: Int) -> Int? {
        guard start < buffer.count else { return nil }
        return buffer.withUnsafeBytes { raw -> Int? in
            guard let p = memchr(raw.baseAddress! + start, Int32(byte), raw.count - start) else { return nil }
            return raw.baseAddress!.distance(to: UnsafeRawPointer(p))
        }
    }

    /// Whether a line can be a separator: `From ` and then an envelope sender that looks like
    /// one (an address with `@`, Netscape's and Thunderbird's `-`) or a classic date (a time
    /// `hh:mm` and a four-digit year, as in `From root Thu Jan  1 10:00:00 2020`). "From Russia
    /// with love" in a body is not a separator.
    static func isSeparator(_ buffer: [UInt8], lineStart: Int, lineEnd: Int) -> Bool {
        guard lineEnd - lineStart >= 6,
            buffer[lineStart] == UInt8(ascii: "F"), buffer[lineStart + 1] == UInt8(ascii: "r"),
            buffer[lineStart + 2] == UInt8(ascii: "o"), buffer[lineStart + 3] == UInt8(ascii: "m"),
            buffer[lineStart + 4] == UInt8(ascii: " ")
        else { return false }
        var i = lineStart + 5
        while i < lineEnd, buffer[i] == UInt8(ascii: " ") { i += 1 }
        let senderStart = i
        var senderHasAt = false
        while i < lineEnd, buffer[i] > 32 {
            if buffer[i] == UInt8(ascii: "@") { senderHasAt = true }
            i += 1
        }
        if senderHasAt || (i - senderStart == 1 && buffer[senderStart] == UInt8(ascii: "-")) { return true }
        var hasTime = false, hasYear = false
        var digits = 0
        while i < lineEnd {
            let c = buffer[i]
            if c >= 0x30 && c <= 0x39 {
                digits += 1
            } else {
                if digits == 4 { hasYear = true }
                if c == UInt8(ascii: ":") && (digits == 1 || digits == 2) { hasTime = true }
                digits = 0
            }
            i += 1
        }
        return hasTime && hasYear
    }

    /// Whether the line at `start` is a header field (`Name: value`); nil when the buffer ends
    /// before that can be told.
    static func startsWithHeaderField(_ buffer: [UInt8], at start: Int) -> Bool? {
        var i = start
        while i < buffer.count {
            let c = buffer[i]
            if c == UInt8(ascii: ":") { return i > start }
            if c <= 32 || c >= 127 { return false }
            i += 1
        }
        return nil
    }

    /// The date of a `From sender Thu Jan  1 00:00:00 2020` line, when it has the classic form.
    static func separatorDate(_ line: ArraySlice<UInt8>) -> Date? {
        let text = String(decoding: line, as: UTF8.self)
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\r" || $0 == "\n" })
        // From, sender, weekday, month, day, time, year
        guard fields.count >= 7 else { return nil }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        guard let month = months.firstIndex(of: fields[3].prefix(3).lowercased()),
            let day = Int(fields[4]), let year = Int(fields[6].prefix(4))
        else { return nil }
        let hms = fields[5].split(separator: ":").compactMap { Int($0) }
        guard hms.count >= 2 else { return nil }
        var components = DateComponents()
        components.year = year
        components.month = month + 1
        components.day = day
        components.hour = hms[0]
        components.minute = hms[1]
        components.second = hms.count > 2 ? hms[2] : 0
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components)
    }

    /// The message in one entry of an mbox (the bytes from its `From ` line up to the next
    /// entry's): without the `From ` line, and without the one blank line that separates it
    /// from the next.
    public static func message(inEntry entry: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let hi = entry.endIndex
        let fromLineEnd = entry.firstIndex(of: 0x0A).map { $0 + 1 } ?? hi
        var messageEnd = hi
        if messageEnd - fromLineEnd >= 1, entry[messageEnd - 1] == 0x0A {
            if messageEnd - fromLineEnd >= 2, entry[messageEnd - 2] == 0x0A {
                messageEnd -= 1
            } else if messageEnd - fromLineEnd >= 3, entry[messageEnd - 2] == 0x0D, entry[messageEnd - 3] == 0x0A {
                messageEnd -= 2
            }
        }
        return entry[fromLineEnd..<max(fromLineEnd, messageEnd)]
    }
}
