/// The header fields of a message or MIME part, located in the message bytes.
///
/// Fields keep their raw bytes; nothing is unfolded or decoded until a caller asks, so a
/// 93-line `Received:` trace costs one scan and no strings.
public struct HeaderBlock: Sendable {
    /// The fields in order of appearance.
    public var fields: [HeaderField]
    /// The range of the whole header block in the message bytes, blank separator line excluded.
    public var range: Range<Int>

    /// Creates a header block from fields already located in the message bytes.
    public init(fields: [HeaderField], range: Range<Int>) {
        self.fields = fields
        self.range = range
    }

    /// The first field with this name (case-insensitive), or nil.
    public func first(_ name: String) -> HeaderField? {
        let wanted = name.lowercased()
        return fields.first { ASCII.equalsIgnoringCase($0.name.utf8, wanted) }
    }

    /// Every field with this name (case-insensitive), in order.
    public func all(_ name: String) -> [HeaderField] {
        let wanted = name.lowercased()
        return fields.filter { ASCII.equalsIgnoringCase($0.name.utf8, wanted) }
    }

    /// Whether a field of this name is present.
    public func contains(_ name: String) -> Bool { first(name) != nil }
}

/// One header field: its name and its raw, still folded value bytes.
public struct HeaderField: Sendable {
    /// The field name as written (compare case-insensitively).
    public var name: String
    /// The raw value after the colon, folding and all, as a slice of the message bytes.
    public var rawValue: ArraySlice<UInt8>

    /// Creates a field from its name and raw value bytes.
    public init(name: String, rawValue: ArraySlice<UInt8>) {
        self.name = name
        self.rawValue = rawValue
    }

    /// The value unfolded (line breaks before folding whitespace removed), trimmed, not decoded;
    /// bytes that are not UTF-8 are read as Latin-1.
    public var unfoldedValue: String {
        ASCII.text(ASCII.trimmed(ArraySlice(ASCII.unfolded(rawValue))))
    }

    /// The value unfolded and RFC 2047 decoded, for unstructured fields such as Subject;
    /// white space at both ends (folding and padding, never meaningful) is trimmed.
    public var decodedText: String {
        EncodedWords.decodeUnstructured(ASCII.trimmed(ArraySlice(ASCII.unfolded(rawValue))))
            .trimmingWhitespace()
    }
}
