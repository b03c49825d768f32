/// What happened to personal data. Every action privctl takes or observes is one of these.
public enum EventKind: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Data came in: a message was received or a record created.
    case collect
    /// Data left for a recipient: a message sent outside, a processor or third party.
    case transfer
    /// Data is kept, in a retention category, until a day.
    case retain
    /// Data was erased (and the erasure verified).
    case erase
    /// Data was blocked: restricted from normal use, kept only for a legal duty (GDPR Art. 18,
    /// German "Sperrung").
    case block

    public var description: String { rawValue }
}
