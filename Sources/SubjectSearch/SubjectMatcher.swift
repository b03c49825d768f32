import MailParsing

/// Finds where a ``SubjectQuery`` occurs in one message.
///
/// Addresses are looked for in every header field (raw and, where encoded-words are used,
/// decoded) and in the decoded text of every text part, attachments included: base64 and
/// quoted-printable are undone, charsets decoded. Names are looked for in decoded header text and
/// in the same body text. Parts that are not text (PDF, images) are not searched.
public struct SubjectMatcher: Sendable {
    public let query: SubjectQuery

    public init(_ query: SubjectQuery) {
        self.query = query
    }

    /// Whether the raw bytes can contain a match without decoding: when an address occurs in
    /// them as they are. A quick test that lets a scan skip parsing most messages.
    public func occursRaw(in bytes: [UInt8]) -> Bool {
        query.addresses.contains { $0.occurs(in: bytes) }
    }

    /// Whether the query can occur where ``occursRaw(in:)`` does not look: in a header field's
    /// encoded-words, or in a text part's base64, quoted-printable or charset. The test a scan makes of a
    /// message whose raw bytes did not match, before it asks for ``evidence(in:contentHash:)``.
    ///
    /// Only what hides an address from the raw search is decoded: the fields with `=?`, the
    /// encoded text parts, and text parts in charsets that do not write ASCII as ASCII (UTF-16
    /// in 8bit, say). When every address is ASCII, a text part in an ASCII-compatible charset
    /// is searched as its transfer-decoded bytes (its charset cannot change how an ASCII address
    /// is written); other parts, and every text part for a non-ASCII address, as text. Always
    /// true for a query with names, which only decoded text shows.
    public func occursDecoded(in message: MailMessage) -> Bool {
        if !query.names.isEmpty { return true }
        for field in message.header.fields where Self.hasEncodedWord(field.rawValue) {
            let text = field.decodedText
            if query.addresses.contains(where: { $0.occurs(in: text) }) { return true }
        }
        let ascii = asciiAddresses
        for part in message.leafParts where part.contentType.type == "text" {
            let encoded = Self.isEncodedText(part)
            let bytesShowText = ascii && CharsetFamily(label: part.contentType.parameters["charset"]) != .other
            if encoded, bytesShowText {
                let bytes = message.decodedBody(of: part)
                if query.addresses.contains(where: { $0.occurs(in: bytes) }) { return true }
            } else if encoded || !bytesShowText {
                // Encoded in a charset that writes ASCII otherwise (UTF-16, ISO-2022-JP), or a
                // non-ASCII address: the raw bytes did not show it, the text may.
                if let text = message.text(of: part), query.addresses.contains(where: { $0.occurs(in: text) }) { return true }
            }
        }
        return false
    }

    /// Whether every address of the query is ASCII (then an ASCII-compatible charset writes it
    /// as the same bytes).
    private var asciiAddresses: Bool {
        query.addresses.allSatisfy { $0.address.utf8.allSatisfy { $0 < 0x80 } }
    }

    /// A text part in base64 or quoted-printable: what a search of the raw bytes cannot see into.
    static func isEncodedText(_ part: MIMEEntity) -> Bool {
        part.contentType.type == "text"
            && (part.transferEncoding == .base64 || part.transferEncoding == .quotedPrintable)
    }

    /// Whether bytes contain `=?`, the start of an RFC 2047 encoded-word.
    static func hasEncodedWord(_ bytes: ArraySlice<UInt8>) -> Bool {
        var previous: UInt8 = 0
        for byte in bytes {
            if previous == UInt8(ascii: "="), byte == UInt8(ascii: "?") { return true }
            previous = byte
        }
        return false
    }

    /// " as a subaddress" when the addresses occur in a field or text only as subaddresses
    /// (`alice+news@…`) and no name or exact address occurs there; else "".
    private func subaddressNote(_ raw: ArraySlice<UInt8>?, _ text: @autoclosure () -> String) -> String {
        guard query.addresses.contains(where: \.findsSubaddresses) else { return "" }
        if let raw, query.addresses.contains(where: { scanner in raw.withUnsafeBytes { scanner.exactly.occurs(in: $0) } }) {
            return ""
        }
        let text = text()
        if query.addresses.contains(where: { $0.exactly.occurs(in: text) }) { return "" }
        if query.names.contains(where: { $0.occurs(in: text) }) { return "" }
        return " (as a subaddress)"
    }

    /// Where the query occurs: header field names ("From", "Received") and body parts
    /// ("text part 1 (text/plain)"), or "Message-ID" / "content hash" for single-message
    /// queries. Empty when it does not occur.
    public func evidence(in message: MailMessage, contentHash: String?) -> [String] {
        var found: [String] = []
        if let id = message.messageID?.lowercased(), query.messageIDs.contains(id) { found.append("Message-ID") }
        if let contentHash, query.contentHashes.contains(contentHash) { found.append("content hash") }
        guard query.findsPeople else { return found }

        var seenFields = Set<String>()
        for field in message.header.fields {
            let name = field.name
            if seenFields.contains(name.lowercased()) { continue }
            var hit = query.addresses.contains { scanner in
                field.rawValue.withUnsafeBytes { scanner.occurs(in: $0) }
            }
            if !hit, Self.hasEncodedWord(field.rawValue) || !query.names.isEmpty {
                let text = field.decodedText
                hit = query.addresses.contains { $0.occurs(in: text) } || query.names.contains { $0.occurs(in: text) }
            }
            if hit {
                seenFields.insert(name.lowercased())
                found.append(name + subaddressNote(field.rawValue, field.decodedText))
            }
        }
        for (n, part) in message.leafParts.enumerated() where part.contentType.type.lowercased() == "text" {
            guard let text = message.text(of: part) else { continue }
            if query.addresses.contains(where: { $0.occurs(in: text) }) || query.names.contains(where: { $0.occurs(in: text) }) {
                var label = "text part \(n + 1) (\(part.contentType.essence.lowercased())"
                if let filename = part.filename { label += ", \"\(filename)\"" }
                found.append(label + ")" + subaddressNote(nil, text))
            }
        }
        // Anywhere else in the bytes (the header of an attached message, say): still a match.
        // (Checked last, so not told apart by subaddress.)
        if found.isEmpty, occursRaw(in: message.bytes) { found.append("message bytes") }
        return found
    }
}
