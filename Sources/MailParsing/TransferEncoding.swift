/// A Content-Transfer-Encoding (RFC 2045 §6).
///
/// Only base64 and quoted-printable change bytes; the identity encodings say what the bytes
/// may contain.
public enum TransferEncoding: String, Sendable {
    /// Short lines of US-ASCII; also the reading of a missing or unknown encoding.
    case sevenBit = "7bit"
    /// Short lines that may hold 8-bit bytes.
    case eightBit = "8bit"
    /// Any bytes, any line length.
    case binary
    /// Base64 (RFC 2045 §6.8).
    case base64
    /// Quoted-printable (RFC 2045 §6.7).
    case quotedPrintable = "quoted-printable"

    /// Reads a Content-Transfer-Encoding value; unknown or missing values are 7bit (RFC 2045
    /// §6.4 says an unknown encoding must not be decoded, so the bytes stay as they are).
    ///
    /// Common misspellings are forgiven: case, quotes, surrounding white space, a trailing `;`
    /// or comment, `7-bit`, `8bits`, `quoted_printable`, `base-64`.
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
