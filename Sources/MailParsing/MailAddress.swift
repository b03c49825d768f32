/// A mailbox: an optional display name (decoded) and an addr-spec.
///
/// Produced by ``MailMessage/addresses(_:)``; groups are flattened into their members, and a
/// display name that came without any address has `address == ""`.
public struct MailAddress: Hashable, Sendable, Codable {
    /// The decoded display name, "" when there is none.
    public var name: String
    /// The addr-spec (`local@domain`) in canonical form: comments and folding white space gone,
    /// the local part quoted only when it has to be. A mailbox without a domain gives its local
    /// part alone; the null address (`<>`, as in `Return-Path: <>`) gives "<>".
    public var address: String
    /// Creates a mailbox from a decoded display name and an addr-spec.
    public init(name: String, address: String) { self.name = name; self.address = address }
}

/// The header fields that carry addresses; the raw value is the field name.
public enum AddressField: String, Sendable, CaseIterable {
    /// The author(s).
    case from = "From"
    /// The mailbox that actually sent the message for the author.
    case sender = "Sender"
    /// Where replies should go.
    case replyTo = "Reply-To"
    /// The primary recipients.
    case to = "To"
    /// The carbon-copy recipients.
    case cc = "Cc"
    /// The blind-copy recipients (present in the sender's copy, rarely in delivered mail).
    case bcc = "Bcc"
    /// The mailbox a delivery agent delivered to (added on delivery).
    case deliveredTo = "Delivered-To"
    /// The envelope sender (added on delivery); `<>` for bounces.
    case returnPath = "Return-Path"
}
