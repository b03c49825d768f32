import Foundation

/// One e-mail message, parsed from its raw bytes (RFC 5322, MIME RFC 2045-2049).
///
/// Parsing is structural and cheap: the header fields and the MIME tree are located as byte
/// ranges into ``bytes``; nothing is decoded until asked for. Accessors such as ``subject`` or
/// ``addresses(_:)`` decode on every call, so callers that need a value twice keep it.
///
/// Broken input never crashes and rarely throws: a defect is recorded in ``defects`` and parsing
/// goes on the way mail clients do. Only input that is not a message at all throws.
public struct MailMessage: Sendable {
    /// The raw message bytes, exactly as stored (line ends untouched).
    public let bytes: [UInt8]
    /// The top-level header fields.
    public let header: HeaderBlock
    /// The MIME tree. For a single-part message this is the only entity.
    public let root: MIMEEntity
    /// What was wrong with the message and how it was read anyway.
    public let defects: [MessageDefect]

    /// Parses a message.
    /// - Throws: ``MailParseError`` when the bytes are not a message (empty, or neither a header
    ///   field nor a blank line first).
    public init(bytes: [UInt8]) throws(MailParseError) {
        guard !bytes.isEmpty else { throw MailParseError("The message is empty.") }
        var defects: [MessageDefect] = []
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            // A UTF-8 byte order mark written by an editor or a Windows tool; not part of the header.
            start = 3
            defects.append(MessageDefect(kind: "UTF-8 byte order mark before the header skipped", offset: 0))
        }
        let scanned = HeaderScanner.scan(bytes, from: start, to: bytes.count, defects: &defects)
        // A blank first line ends an empty header: a message of body only (Python's email and
        // mail clients read such files so; some tools write them).
        let blankFirstLine = bytes[start...].starts(with: [0x0A]) || bytes[start...].starts(with: [0x0D, 0x0A])
        if blankFirstLine { defects.append(MessageDefect(kind: "no header fields: the message starts with a blank line", offset: start)) }
        guard !scanned.block.fields.isEmpty || blankFirstLine else {
            throw MailParseError(
                "The data does not start with a header field (\"Name: value\"), so it is not a message.")
        }
        self.bytes = bytes
        self.header = scanned.block
        self.root = MIMETreeBuilder.build(bytes, header: scanned, defects: &defects)
        self.defects = defects
    }
}

extension MailMessage {
    /// The Message-ID header, unfolded and trimmed, with its angle brackets, or nil.
    public var messageID: String? { header.first("Message-ID")?.unfoldedValue }

    /// The first Subject header, RFC 2047 decoded and unfolded, or nil.
    public var subject: String? { header.first("Subject")?.decodedText }

    /// The Date header as an instant, or nil when absent or unreadable.
    ///
    /// Broken dates are read when they still name one instant (see the formats listed at
    /// `MailDateParser`); a date without a zone is taken as UTC.
    public var date: Date? {
        guard let field = header.first("Date") else { return nil }
        return MailDateParser.parse(field.rawValue)
    }

    /// The time the last server received the message: the date after the last `;` of the
    /// topmost Received field (RFC 5322 §3.6.7), or nil when there is none or it is unreadable.
    public var receivedDate: Date? {
        guard let field = header.first("Received") else { return nil }
        let value = field.rawValue
        guard let semicolon = value.lastIndex(of: UInt8(ascii: ";")) else { return nil }
        return MailDateParser.parse(value[(semicolon + 1)...])
    }

    /// Addresses of every occurrence of the given header field, groups flattened.
    public func addresses(_ field: AddressField) -> [MailAddress] {
        var result: [MailAddress] = []
        var next = 0
        while let index = header.firstIndex(field.rawValue, from: next) {
            let found = AddressListParser.parse(header.fields[index].rawValue)
            if result.isEmpty { result = found } else { result.append(contentsOf: found) }
            next = index + 1
        }
        return result
    }

    /// Leaf MIME parts in depth-first order, message/rfc822 descended into.
    public var leafParts: [MIMEEntity] {
        var leaves: [MIMEEntity] = []
        var stack: [MIMEEntity] = [root]
        while let entity = stack.popLast() {
            if entity.children.isEmpty {
                leaves.append(entity)
            } else {
                stack.append(contentsOf: entity.children.reversed())
            }
        }
        return leaves
    }

    /// The body of a part with its Content-Transfer-Encoding undone.
    public func decodedBody(of part: MIMEEntity) -> [UInt8] {
        TransferDecoding.decode(body(of: part), part.transferEncoding)
    }

    /// The number of bytes ``decodedBody(of:)`` returns, computed without copying identity-encoded
    /// bodies.
    public func decodedSize(of part: MIMEEntity) -> Int {
        TransferDecoding.decodedCount(body(of: part), part.transferEncoding)
    }

    /// The text of a text/* part, transfer-decoded and charset-decoded; nil for non-text parts.
    ///
    /// An unknown or missing charset reads the bytes as UTF-8 when they are valid UTF-8, else as
    /// Latin-1, so no byte is ever dropped.
    public func text(of part: MIMEEntity) -> String? {
        guard part.contentType.type == "text" else { return nil }
        let charset = part.contentType.parameters["charset"]
        switch part.transferEncoding {
        case .base64, .quotedPrintable: return Charset.decode(decodedBody(of: part), charset: charset)
        case .sevenBit, .eightBit, .binary: return Charset.decode(body(of: part), charset: charset)  // no copy
        }
    }

    /// The still-encoded body bytes of a part (clamped to the message, for entities built by hand).
    private func body(of part: MIMEEntity) -> ArraySlice<UInt8> {
        let lower = min(max(part.bodyRange.lowerBound, 0), bytes.count)
        let upper = min(max(part.bodyRange.upperBound, lower), bytes.count)
        return bytes[lower..<upper]
    }
}
