import Foundation

/// What `privctl inspect --json` prints about one message: who, when, what, and its parts.
///
/// Every key is always present (absent values are JSON `null` or `[]`), so the output is a
/// stable record for scripts and for differential tests against other parsers.
public struct MessageSummary: Codable, Sendable, Hashable {
    /// The Message-ID field unfolded, angle brackets kept, or nil.
    public var messageId: String?
    /// The Date field as ISO 8601 UTC (`2001-04-30T10:17:50Z`), or nil when absent or unreadable.
    public var date: String?
    /// The From mailboxes.
    public var from: [MailAddress]
    /// The To mailboxes, groups flattened.
    public var to: [MailAddress]
    /// The Cc mailboxes, groups flattened.
    public var cc: [MailAddress]
    /// The Reply-To mailboxes.
    public var replyTo: [MailAddress]
    /// The decoded Subject, or nil.
    public var subject: String?
    /// The leaf MIME parts, depth-first, message/rfc822 descended into.
    public var parts: [Part]

    /// One leaf part in a summary.
    public struct Part: Codable, Sendable, Hashable {
        /// The media type essence, lower-cased (`text/plain`).
        public var contentType: String
        /// The decoded file name, or nil.
        public var filename: String?
        /// The size in bytes after transfer decoding.
        public var size: Int

        /// Creates a part record.
        public init(contentType: String, filename: String?, size: Int) {
            self.contentType = contentType
            self.filename = filename
            self.size = size
        }

        private enum CodingKeys: String, CodingKey { case contentType, filename, size }

        /// Encodes every key, `filename` as `null` when there is none.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(contentType, forKey: .contentType)
            try c.encode(filename, forKey: .filename)
            try c.encode(size, forKey: .size)
        }
    }

    /// Summarises a parsed message (decodes what the summary shows, nothing else).
    public init(message: MailMessage) {
        messageId = message.messageID
        date = message.date.map(Self.iso8601)
        from = message.addresses(.from)
        to = message.addresses(.to)
        cc = message.addresses(.cc)
        replyTo = message.addresses(.replyTo)
        subject = message.subject
        parts = message.leafParts.map {
            Part(contentType: $0.contentType.essence, filename: $0.filename, size: message.decodedSize(of: $0))
        }
    }

    private enum CodingKeys: String, CodingKey {
        case messageId, date, from, to, cc, replyTo, subject, parts
    }

    /// Encodes every key, absent values as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(messageId, forKey: .messageId)
        try c.encode(date, forKey: .date)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(cc, forKey: .cc)
        try c.encode(replyTo, forKey: .replyTo)
        try c.encode(subject, forKey: .subject)
        try c.encode(parts, forKey: .parts)
    }

    /// `YYYY-MM-DDThh:mm:ssZ` for an instant, whole seconds, UTC.
    public static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
