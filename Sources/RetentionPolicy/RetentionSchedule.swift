import PrivacyEvents

/// The retention dates of one message in one category: when its period starts, the last day it
/// must be kept, and the first day the policy says to erase or review it.
///
/// The period starts after the start day, which is not counted (BGB §187(1)); it ends with the
/// day computed by ``RetentionPeriod/lastDay(from:)`` (BGB §188(2), (3)). For an invoice dated
/// 2019-03-05 kept 8 years from the end of the year the start is 2019-12-31, the last day to keep
/// it 2027-12-31, and it is due for erasure on 2028-01-01.
public struct RetentionSchedule: Hashable, Sendable {
    /// The day the period is counted from: the message day, the end of its year, or the event day.
    public var periodStart: CalendarDay
    /// The last day the message must be kept under a legal duty; nil when no duty applies.
    public var retainUntil: CalendarDay?
    /// The first day the policy says to erase or review the message; nil when the period is
    /// unlimited.
    public var expiresOn: CalendarDay?
    /// The first day no copy should remain in backups either (``expiresOn`` plus the category's
    /// backup period); nil when either is not set.
    public var backupExpiresOn: CalendarDay?
    /// The event the period waits for, when the category starts at an event that is not on
    /// record and says `review-without-event`: the message is then kept, and ``expiresOn`` is
    /// the day it is put up for review, never erased on its own.
    public var awaitingEvent: String?

    /// Computes the dates for a message of `category` whose day is `messageDay`.
    /// - Parameter eventDays: days of named events (for example "application-decision") known for
    ///   this message; a category that starts at an event not in here starts at the message day.
    public init(category: RetentionCategory, messageDay: CalendarDay, eventDays: [String: CalendarDay] = [:]) {
        switch category.start {
        case .messageDate: periodStart = messageDay
        case .endOfYear: periodStart = messageDay.endOfYear
        case .event(let name): periodStart = eventDays[name] ?? messageDay
        }
        let lastDay = category.period.lastDay(from: periodStart)
        retainUntil = category.duty ? lastDay : nil
        expiresOn = lastDay?.adding(days: 1)
        if let name = category.startEvent, eventDays[name] == nil, let review = category.reviewWithoutEvent {
            awaitingEvent = name
            expiresOn = review.lastDay(from: messageDay)?.adding(days: 1)
        }
        if let expiresOn, let backup = category.backupPeriod, let last = backup.lastDay(from: expiresOn) {
            backupExpiresOn = last
        } else {
            backupExpiresOn = nil
        }
    }

    /// Whether the policy's end action applies to this message: erase or review as the category
    /// says, but only review while the event its period starts at is not on record.
    public func endAction(of category: RetentionCategory) -> EndAction {
        awaitingEvent == nil ? category.atEnd : .review
    }

    /// Whether the policy says the message is due for erasure or review on `day`.
    public func isExpired(on day: CalendarDay) -> Bool {
        guard let expiresOn else { return false }
        return day >= expiresOn
    }

    /// Whether a legal duty still forbids erasing the message on `day`.
    public func mustRetain(on day: CalendarDay) -> Bool {
        guard let retainUntil else { return false }
        return day <= retainUntil
    }
}
