import Foundation

/// One thing that happened to personal data: collected, transferred, retained, erased or blocked.
///
/// Events are facts for an auditor. They name the data subjects only by ``Pseudonym``, say what
/// kind of data it was and why it was processed (purpose and ``LegalBasis``), where it lives, and
/// for retain and block events until when it must or may be kept.
public struct PrivacyEvent: Hashable, Sendable, Codable {
    /// Writer-made, unique.
    public var id: EventID
    /// When it happened (UTC, millisecond precision).
    public var time: Date
    /// The host that recorded it (fleet ledgers hold many).
    public var host: String
    /// What happened.
    public var kind: EventKind
    /// The people the data is about.
    public var subjects: [Pseudonym]
    /// The data category, for mail the retention category id (`accounting-document`, …).
    public var dataCategory: String
    /// Why the data is processed ("bookkeeping", "correspondence", …).
    public var purpose: String
    /// GDPR basis and retention law.
    public var legalBasis: LegalBasis
    /// Where the data lives.
    public var location: DataLocation
    /// For retain and block: the last day the data must (``legalDuty``) or may be kept.
    public var keepUntil: CalendarDay?
    /// For retain and block: whether a legal retention duty requires keeping it until ``keepUntil``.
    public var legalDuty: Bool?
    /// For transfer: who received the data (an organisation, a domain, or a pseudonym).
    public var recipient: String?
    /// Further facts worth keeping: the rule that decided, the reason, the request id.
    public var details: [String: String]

    public init(
        id: EventID? = nil, time: Date = Date(), host: String, kind: EventKind,
        subjects: [Pseudonym], dataCategory: String, purpose: String, legalBasis: LegalBasis,
        location: DataLocation, keepUntil: CalendarDay? = nil, legalDuty: Bool? = nil,
        recipient: String? = nil, details: [String: String] = [:]
    ) {
        // Millisecond precision, so an event reads back equal to what was written.
        let ms = (time.timeIntervalSince1970 * 1000).rounded(.down) / 1000
        self.time = Date(timeIntervalSince1970: ms)
        self.id = id ?? EventID(time: self.time)
        self.host = host
        self.kind = kind
        self.subjects = Array(Set(subjects)).sorted()
        self.dataCategory = dataCategory
        self.purpose = purpose
        self.legalBasis = legalBasis
        self.location = location
        self.keepUntil = keepUntil
        self.legalDuty = legalDuty
        self.recipient = recipient
        self.details = details
    }
}
