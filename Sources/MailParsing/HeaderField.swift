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
