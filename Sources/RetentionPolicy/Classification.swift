import PrivacyEvents

/// The outcome of classifying one message: its category, the rule that decided, the evidence,
/// and its retention dates.
public struct Classification: Hashable, Sendable {
    /// The category id.
    public var category: String
    /// The id of the rule that matched, or "fallback" when none did.
    public var rule: String
    /// Human-readable lines for `--explain`: the rule and why it applies, the evidence each
    /// condition found, where the message day came from, and how the dates follow.
    public var explanation: [String]
    /// The day the message's retention is counted from (see ``Classifier``).
    public var messageDay: CalendarDay
    /// Start, last day to keep, first day to erase or review, and backup end.
    public var schedule: RetentionSchedule

    /// The last day the message must be kept under a legal duty; nil when no duty applies.
    public var retainUntil: CalendarDay? { schedule.retainUntil }
    /// The first day the policy says to erase or review the message; nil when no period is set.
    public var expiresOn: CalendarDay? { schedule.expiresOn }

    /// The rule id used when no rule matched.
    public static let fallbackRule = "fallback"

    public init(
        category: String, rule: String, explanation: [String], messageDay: CalendarDay, schedule: RetentionSchedule
    ) {
        self.category = category
        self.rule = rule
        self.explanation = explanation
        self.messageDay = messageDay
        self.schedule = schedule
    }
}
