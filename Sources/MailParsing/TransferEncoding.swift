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

    /// Reads the raw (possibly folded) bytes of a Content-Transfer-Encoding field the way
    /// ``init(headerValue:)`` reads its unfolded text, without building the text when the bytes
    /// are ASCII.
    init(headerBytes raw: ArraySlice<UInt8>) {
        let ascii = raw.withUnsafeBufferPointer { ASCII.isASCII($0) }
        guard ascii else {
            self.init(headerValue: ASCII.text(ASCII.trimmed(ArraySlice(ASCII.unfolded(raw)))))
            return
        }
        // The key: lower-cased, cut at `;` or `(`, without white space, `-`, `_` and `"`. No
        // known key is longer than 15 bytes, so the key string never leaves the stack.
        var tooLong = false
        let key = String(unsafeUninitializedCapacity: 15) { out in
            var length = 0
            for b in raw {
                if b == ASCII.semicolon || b == ASCII.openParen { break }
                // Character.isWhitespace for ASCII: HT, LF, VT, FF, CR and space.
                if (b >= 0x09 && b <= 0x0D) || b == ASCII.space || b == ASCII.minus || b == ASCII.underscore
                    || b == ASCII.quote
                {
                    continue
                }
                guard length < 15 else {
                    tooLong = true
                    break
                }
                out[length] = ASCII.lower(b)
                length += 1
            }
            return length
        }
        switch tooLong ? "" : key {
        case "base64": self = .base64
        case "quotedprintable", "qp": self = .quotedPrintable
        case "8bit", "8bits": self = .eightBit
        case "binary": self = .binary
        default: self = .sevenBit
        }
    }
}
