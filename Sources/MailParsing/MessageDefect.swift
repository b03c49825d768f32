/// Something wrong in a message that the parser worked around.
public struct MessageDefect: Hashable, Sendable {
    /// What was wrong and how it was read, in a few words.
    public var kind: String
    /// The byte offset in the message where the problem was seen, when known.
    public var offset: Int?
    /// Creates a defect record.
    public init(kind: String, offset: Int? = nil) { self.kind = kind; self.offset = offset }
}
