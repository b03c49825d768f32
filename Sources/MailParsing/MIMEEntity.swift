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
    public var children: [MIMEEntity]
    /// The file name from Content-Disposition `filename` or Content-Type `name` (RFC 2231 and
    /// RFC 2047 decoded), or nil.
    public var filename: String?
    /// The Content-Disposition type lower-cased ("inline", "attachment", or whatever other
    /// token the sender wrote), or nil when there is none.
    public var disposition: String?

    /// Creates an entity from parts already located; the parser is the usual source.
    public init(
        header: HeaderBlock, contentType: MediaType, transferEncoding: TransferEncoding,
        bodyRange: Range<Int>, children: [MIMEEntity] = [], filename: String? = nil,
        disposition: String? = nil
    ) {
        self.header = header
        self.contentType = contentType
        self.transferEncoding = transferEncoding
        self.bodyRange = bodyRange
        self.children = children
        self.filename = filename
        self.disposition = disposition
    }

    /// Whether this entity has no children (what ``MailMessage/leafParts`` lists).
    public var isLeaf: Bool { children.isEmpty }
}

/// A media type with its parameters (names lower-cased, values RFC 2231 decoded).
public struct MediaType: Hashable, Sendable {
    /// The top-level type, lower-cased (`text`).
    public var type: String
    /// The subtype, lower-cased (`plain`).
    public var subtype: String
    /// Parameters by lower-cased name; values decoded but otherwise as written (boundaries keep
    /// their case).
    public var parameters: [String: String]
    /// `type/subtype`, the form used for comparisons.
    public var essence: String { "\(type)/\(subtype)" }

    /// Creates a media type; pass lower-cased type and subtype.
    public init(type: String, subtype: String, parameters: [String: String] = [:]) {
        self.type = type; self.subtype = subtype; self.parameters = parameters
    }

    /// The charset parameter, lower-cased, or nil.
    public var charset: String? { parameters["charset"].map { $0.lowercased() } }

    /// RFC 2045's default for a part without Content-Type.
    public static let defaultText = MediaType(type: "text", subtype: "plain", parameters: ["charset": "us-ascii"])
    /// RFC 2046's default for a part of multipart/digest.
    public static let defaultDigestPart = MediaType(type: "message", subtype: "rfc822")
}

/// A Content-Transfer-Encoding.
public enum TransferEncoding: String, Sendable {
    case sevenBit = "7bit", eightBit = "8bit", binary, base64, quotedPrintable = "quoted-printable"

    /// Reads a Content-Transfer-Encoding value; unknown or missing values are 7bit (RFC 2045
    /// §6.4 says an unknown encoding must not be decoded, so the bytes stay as they are).
    ///
    /// Common misspellings are forgiven: case, surrounding white space and a trailing `;`,
    /// `7-bit`, `8bits`, `quoted_printable`, `base-64`.
    public init(headerValue: String) {
        var token = Substring(headerValue.lowercased())
        if let cut = token.firstIndex(where: { $0 == ";" || $0 == "(" }) { token = token[..<cut] }
        let key = token.filter { !$0.isWhitespace && $0 != "-" && $0 != "_" && $0 != "\"" }
        switch key {
        case "base64": self = .base64
        case "quotedprintable", "qp": self = .quotedPrintable
        case "8bit", "8bits": self = .eightBit
        case "binary": self = .binary
        default: self = .sevenBit
        }
    }
}
