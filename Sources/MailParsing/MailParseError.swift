/// Why bytes could not be read as a message at all.
public struct MailParseError: Error, Sendable, CustomStringConvertible {
    /// One sentence saying what is wrong with the bytes.
    public var reason: String
    /// Creates an error with a one-sentence reason.
    public init(_ reason: String) { self.reason = reason }
    /// The reason.
    public var description: String { reason }
}
