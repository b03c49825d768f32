import PrivacyEvents

/// A data category of the deletion concept (DIN 66398 "Datenart" with its "Löschklasse"): what the
/// mail is, why it is kept, from when and for how long, and what happens at the end.
public struct RetentionCategory: Hashable, Sendable, Identifiable {
    /// Stable kebab-case identifier, recorded in the ledger (for example "accounting-document").
    public var id: String
    /// Short human title, for example "Buchungsbelege (Rechnungen, Gutschriften, Quittungen)".
    public var title: String
    /// Why the data is processed and kept, in the words a data subject can be told.
    public var purpose: String
    /// The GDPR Art. 6(1) basis and the statute that imposes or allows retention.
    public var legalBasis: LegalBasis
    /// The standard period ("Regellöschfrist") counted from ``start``.
    public var period: RetentionPeriod
    /// The point from which the period runs ("Startzeitpunkt").
    public var start: PeriodStart
    /// Whether a legal retention duty applies: then the message must not be erased before the
    /// period ends, and ``RetentionSchedule/retainUntil`` is set.
    public var duty: Bool
    /// What the policy says to do when the period has run out.
    public var atEnd: EndAction
    /// How long copies may survive in backups after erasure from the live store (the backup
    /// rotation), or nil when the policy does not say.
    public var backupPeriod: RetentionPeriod?
    /// For a category that starts at an event: while that event is not on record for a
    /// message, the message is kept and put up for review this long after its day, instead of
    /// its period running from the message day (`review-without-event` in a policy file; nil
    /// keeps the message day as the start).
    public var reviewWithoutEvent: RetentionPeriod?

    /// The name of the event the category's period starts at, if it starts at one.
    public var startEvent: String? {
        if case .event(let name) = start { return name }
        return nil
    }
}

/// The point from which a retention period runs.
public enum PeriodStart: Hashable, Sendable, CustomStringConvertible {
    /// The day of the message (its Date header, else its delivery).
    case messageDate
    /// The end of the calendar year of the message day: AO §147(4) and HGB §257(5) let the
    /// period begin "mit dem Schluss des Kalenderjahres".
    case endOfYear
    /// The day a named event happened (for example "application-decision"); the message day when
    /// that day is not known.
    case event(String)

    /// As written in a policy file: "message-date", "end-of-year" or "event:NAME".
    public var description: String {
        switch self {
        case .messageDate: return "message-date"
        case .endOfYear: return "end-of-year"
        case .event(let name): return "event:" + name
        }
    }
}

/// What the policy says to do when a category's period has run out.
public enum EndAction: String, Hashable, Sendable, CaseIterable {
    /// Erase (or, while a legal hold or another duty applies, block) the message.
    case erase
    /// Put the message before a person who decides; used where the operator must not or cannot
    /// decide automatically (private mail, unclassified mail).
    case review
}
