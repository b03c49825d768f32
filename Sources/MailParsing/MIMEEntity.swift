/// One node of a message's MIME tree.
///
/// An entity is a map, not a copy: its header fields and body are byte ranges into the
/// message's ``MailMessage/bytes``, so a 2 MB attachment is located without being decoded. Use
/// ``MailMessage/decodedBody(of:)`` and ``MailMessage/text(of:)`` to get the content.
public struct MIMEEntity: Sendable {
    /// This entity's own header fields (for the root: the message header).
    public var header: HeaderBlock
    /// The Content-Type, defaulted as RFC 2045 says (text/plain; charset=us-ascii, or
    /// message/rfc822 inside multipart/digest).
    public var contentType: MediaType
    /// The Content-Transfer-Encoding (7bit when absent or unknown).
    public var transferEncoding: TransferEncoding
    /// The range of the body (after the blank line) in the message bytes, still encoded.
    public var bodyRange: Range<Int>
    /// Children: parts of a multipart, or the one encapsulated message of message/rfc822.
    public var children: [MIMEEntity] = []
    /// The file name from Content-Disposition `filename` or Content-Type `name` (RFC 2231 and
    /// RFC 2047 decoded), or nil.
    public var filename: String?
    /// The Content-Disposition type lower-cased ("inline", "attachment", or whatever other
    /// token the sender wrote), or nil when there is none.
    public var disposition: String?

    /// Whether this entity has no children (what ``MailMessage/leafParts`` lists).
    public var isLeaf: Bool { children.isEmpty }
}
