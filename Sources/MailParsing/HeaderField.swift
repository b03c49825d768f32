/// One header field: its name and its raw, still folded value bytes.
///
/// Both are slices of the message bytes; the name becomes a `String` only when asked for, and
/// ``hasName(_:)`` compares it without one.
public struct HeaderField: Sendable {
    /// The name's bytes as written (printable ASCII, trailing white space excluded).
    var nameBytes: ArraySlice<UInt8>
    /// The raw value after the colon, folding and all, as a slice of the message bytes.
    public var rawValue: ArraySlice<UInt8>

    /// The field name as written (compare case-insensitively, or use ``hasName(_:)``).
    public var name: String {
        get { ASCII.text(nameBytes) }
        set { nameBytes = ArraySlice(newValue.utf8) }
    }

    /// Creates a field from its name and raw value bytes.
    public init(name: String, rawValue: ArraySlice<UInt8>) {
        self.nameBytes = ArraySlice(name.utf8)
        self.rawValue = rawValue
    }

    /// Creates a field from name and value bytes located in the message.
    init(nameBytes: ArraySlice<UInt8>, rawValue: ArraySlice<UInt8>) {
        self.nameBytes = nameBytes
        self.rawValue = rawValue
    }

    /// Whether the field has this name, compared case-insensitively as ASCII bytes (no `String`
    /// is built).
    public func hasName(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { wanted in
            nameBytes.withUnsafeBufferPointer { ASCII.equalsIgnoringCase($0, wanted) }
        }
    }

    /// The value unfolded (line breaks before folding whitespace removed), trimmed, not decoded;
    /// bytes that are not UTF-8 are read as Latin-1.
    public var unfoldedValue: String {
        ASCII.text(trimmedValue)
    }

    /// The value unfolded and RFC 2047 decoded, for unstructured fields such as Subject;
    /// white space at both ends (folding and padding, never meaningful) is trimmed.
    public var decodedText: String {
        let value = trimmedValue
        // Without `=?` there is no encoded-word, and decoding gives back the text as it is.
        let encoded = value.withUnsafeBufferPointer { EncodedWords.mayContainWord($0) }
        return (encoded ? EncodedWords.decodeUnstructured(value) : ASCII.text(value)).trimmingWhitespace()
    }

    /// The raw value unfolded and trimmed; a copy only when the field is folded.
    private var trimmedValue: ArraySlice<UInt8> {
        let folded = ASCII.hasLineBreak(rawValue)
        return ASCII.trimmed(folded ? ArraySlice(ASCII.unfolded(rawValue)) : rawValue)
    }
}
