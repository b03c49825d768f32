/// What happened to personal data. Every action privctl takes or observes on data is one of the
/// first five; ``request`` and ``hold`` record the directives that drive them.
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
    /// A data subject's request arrived (erasure under GDPR Art. 17, restriction under Art. 18);
    /// it stays on record so that later runs, scrubbed backups and restored backups apply it.
    case request
    /// A legal hold was placed on, or released from, a subject, messages or a store: while it
    /// is in force nothing it covers is erased (GDPR Art. 17(3)(e)).
    case hold
    /// An event that a retention period starts at happened (the decision on an application, the
    /// end of a contract), for a person or a message, on a day (`privctl decide`): from then on
    /// the period of the messages it concerns runs from that day.
    case start

    /// The five kinds that act on data.
    public static let dataKinds: [EventKind] = [.collect, .transfer, .retain, .erase, .block]

    public var description: String { rawValue }
}
