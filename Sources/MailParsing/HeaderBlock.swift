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
