import Foundation
import PrivacyEvents
import Testing

@testable import RetentionPolicy

@Suite struct RetentionScheduleTests {
    func category(
        _ period: RetentionPeriod, start: PeriodStart, duty: Bool = true, atEnd: EndAction = .erase,
        backup: RetentionPeriod? = nil
    ) -> RetentionCategory {
        RetentionCategory(
            id: "test", title: "Test", purpose: "Testing", legalBasis: LegalBasis(.legalObligation), period: period,
            start: start, duty: duty, atEnd: atEnd, backupPeriod: backup)
    }

    func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

    @Test func invoiceKeptEightYearsFromEndOfYear() {
        let schedule = RetentionSchedule(
            category: category(.years(8), start: .endOfYear), messageDay: day("2019-03-05"))
        #expect(schedule.periodStart == day("2019-12-31"))
        #expect(schedule.retainUntil == day("2027-12-31"))
        #expect(schedule.expiresOn == day("2028-01-01"))
    }

    @Test(arguments: [
        // Every day of a year ends in the same place: the first and last day of the year.
        ("2019-01-01", "2027-12-31", "2028-01-01"),
        ("2019-12-31", "2027-12-31", "2028-01-01"),
        // A leap day: the end of its year is still Dec 31.
        ("2024-02-29", "2032-12-31", "2033-01-01"),
        ("2016-12-31", "2024-12-31", "2025-01-01"),
    ])
    func endOfYearStart(message: String, retainUntil: String, expiresOn: String) {
        let schedule = RetentionSchedule(category: category(.years(8), start: .endOfYear), messageDay: day(message))
        #expect(schedule.retainUntil == day(retainUntil))
        #expect(schedule.expiresOn == day(expiresOn))
    }

    @Test(arguments: [
        // Month arithmetic clamps to the end of a shorter month (BGB §188(3)).
        ("2024-11-30", RetentionPeriod.months(3), "2025-02-28", "2025-03-01"),
        ("2023-11-30", RetentionPeriod.months(3), "2024-02-29", "2024-03-01"),
        ("2024-01-31", RetentionPeriod.months(1), "2024-02-29", "2024-03-01"),
        ("2025-01-31", RetentionPeriod.months(1), "2025-02-28", "2025-03-01"),
        ("2024-08-31", RetentionPeriod.months(1), "2024-09-30", "2024-10-01"),
        // Leap day plus whole years: Feb 28 in a common year, Feb 29 in the next leap year.
        ("2024-02-29", RetentionPeriod.years(1), "2025-02-28", "2025-03-01"),
        ("2024-02-29", RetentionPeriod.years(4), "2028-02-29", "2028-03-01"),
        ("2024-02-29", RetentionPeriod.years(2), "2026-02-28", "2026-03-01"),
        // Days cross month, year and leap-day boundaries.
        ("2024-12-28", RetentionPeriod.days(7), "2025-01-04", "2025-01-05"),
        ("2024-02-25", RetentionPeriod.days(7), "2024-03-03", "2024-03-04"),
        ("2023-02-25", RetentionPeriod.days(7), "2023-03-04", "2023-03-05"),
        ("2024-12-31", RetentionPeriod.days(30), "2025-01-30", "2025-01-31"),
        // Years then months then days.
        ("2023-08-31", RetentionPeriod.span(years: 1, months: 6, days: 0), "2025-02-28", "2025-03-01"),
        ("2024-12-31", RetentionPeriod.span(years: 0, months: 2, days: 1), "2025-03-01", "2025-03-02"),
        // 1900 is not a leap year, 2000 is.
        ("1899-02-28", RetentionPeriod.years(1), "1900-02-28", "1900-03-01"),
        ("1996-02-29", RetentionPeriod.years(4), "2000-02-29", "2000-03-01"),
    ])
    func messageDateStart(message: String, period: RetentionPeriod, retainUntil: String, expiresOn: String) {
        let schedule = RetentionSchedule(category: category(period, start: .messageDate), messageDay: day(message))
        #expect(schedule.periodStart == day(message))
        #expect(schedule.retainUntil == day(retainUntil))
        #expect(schedule.expiresOn == day(expiresOn))
    }

    @Test func leapDayEndOfYearGoesToEndOfYearNotLeapDay() {
        // 10 years from the end of 2020 (a leap year) end with 2030-12-31.
        let schedule = RetentionSchedule(
            category: category(.years(10), start: .endOfYear), messageDay: day("2020-02-29"))
        #expect(schedule.retainUntil == day("2030-12-31"))
    }

    @Test func noDutyHasNoRetainUntilButExpires() {
        let schedule = RetentionSchedule(
            category: category(.years(1), start: .messageDate, duty: false), messageDay: day("2024-05-17"))
        #expect(schedule.retainUntil == nil)
        #expect(schedule.expiresOn == day("2025-05-18"))
        #expect(!schedule.mustRetain(on: day("2024-05-18")))
        #expect(!schedule.isExpired(on: day("2025-05-17")))
        #expect(schedule.isExpired(on: day("2025-05-18")))
    }

    @Test func unlimitedPeriodNeverExpires() {
        let schedule = RetentionSchedule(
            category: category(.unlimited, start: .messageDate, duty: false), messageDay: day("2024-05-17"))
        #expect(schedule.retainUntil == nil)
        #expect(schedule.expiresOn == nil)
        #expect(!schedule.isExpired(on: day("2999-01-01")))
    }

    @Test func dutyBoundaries() {
        let schedule = RetentionSchedule(
            category: category(.years(6), start: .endOfYear), messageDay: day("2018-06-01"))
        #expect(schedule.mustRetain(on: day("2024-12-31")))
        #expect(!schedule.mustRetain(on: day("2025-01-01")))
        #expect(!schedule.isExpired(on: day("2024-12-31")))
        #expect(schedule.isExpired(on: day("2025-01-01")))
    }

    @Test func eventStartUsesEventDayOrFallsBackToMessageDay() {
        let application = category(.months(3), start: .event("application-decision"), duty: false)
        let withoutDecision = RetentionSchedule(category: application, messageDay: day("2024-03-10"))
        #expect(withoutDecision.periodStart == day("2024-03-10"))
        #expect(withoutDecision.expiresOn == day("2024-06-11"))
        let withDecision = RetentionSchedule(
            category: application, messageDay: day("2024-03-10"),
            eventDays: ["application-decision": day("2024-05-31"), "other": day("2020-01-01")])
        #expect(withDecision.periodStart == day("2024-05-31"))
        #expect(withDecision.expiresOn == day("2024-09-01"))
        #expect(withDecision.retainUntil == nil)
    }

    @Test func backupPeriodFollowsErasure() {
        let systemMail = category(.days(7), start: .messageDate, duty: false, backup: .days(21))
        let schedule = RetentionSchedule(category: systemMail, messageDay: day("2024-12-20"))
        #expect(schedule.expiresOn == day("2024-12-28"))
        #expect(schedule.backupExpiresOn == day("2025-01-18"))
        let without = RetentionSchedule(
            category: category(.days(7), start: .messageDate), messageDay: day("2024-12-20"))
        #expect(without.backupExpiresOn == nil)
    }

    @Test func builtInCategoriesGiveTheDocumentedDates() throws {
        let policy = RetentionPolicy.builtIn
        func dates(_ id: String, _ message: String) throws -> RetentionSchedule {
            RetentionSchedule(category: try #require(policy.category(id)), messageDay: day(message))
        }
        #expect(try dates("accounting-document", "2019-03-05").retainUntil == day("2027-12-31"))
        #expect(try dates("accounting-document", "2019-03-05").expiresOn == day("2028-01-01"))
        #expect(try dates("business-letter", "2019-03-05").retainUntil == day("2025-12-31"))
        #expect(try dates("annual-accounts", "2019-03-05").retainUntil == day("2029-12-31"))
        // Until the decision is on record: review six months after the message.
        #expect(try dates("job-application", "2024-11-30").expiresOn == day("2025-05-31"))
        #expect(try dates("job-application", "2024-11-30").retainUntil == nil)
        #expect(try dates("inquiry", "2024-02-29").expiresOn == day("2026-03-01"))
        #expect(try dates("privacy-request", "2024-07-01").expiresOn == day("2028-01-01"))
        #expect(try dates("privacy-request", "2024-07-01").retainUntil == nil)
        #expect(try dates("newsletter", "2024-02-29").expiresOn == day("2025-03-01"))
        #expect(try dates("system-mail", "2024-12-30").expiresOn == day("2025-01-07"))
        #expect(try dates("system-mail", "2024-12-30").backupExpiresOn == day("2025-01-28"))
        #expect(try dates("spam", "2024-02-15").expiresOn == day("2024-03-17"))
        #expect(try dates("personal", "2024-06-01").expiresOn == day("2025-06-02"))
        #expect(try dates("unclassified", "2019-03-05").expiresOn == day("2026-01-01"))
        #expect(try dates("unclassified", "2019-03-05").retainUntil == nil)
    }

    /// A period that starts at an event not on record: kept, review after `review-without-event`.
    @Test func aPeriodWaitingForItsEventIsKeptForReview() {
        let application = RetentionCategory(
            id: "job-application", title: "Applications", purpose: "Hiring", legalBasis: LegalBasis(.contract),
            period: .months(3), start: .event("application-decision"), duty: false, atEnd: .erase,
            reviewWithoutEvent: .months(6))
        let day = CalendarDay(year: 2026, month: 8, day: 10)
        let waiting = RetentionSchedule(category: application, messageDay: day)
        #expect(waiting.awaitingEvent == "application-decision")
        #expect(waiting.expiresOn == CalendarDay(year: 2027, month: 2, day: 11))
        #expect(waiting.endAction(of: application) == .review)
        let decided = RetentionSchedule(
            category: application, messageDay: day, eventDays: ["application-decision": CalendarDay(year: 2026, month: 10, day: 15)])
        #expect(decided.awaitingEvent == nil)
        #expect(decided.expiresOn == CalendarDay(year: 2027, month: 1, day: 16))
        #expect(decided.endAction(of: application) == .erase)
        // Without review-without-event the period runs from the message day, as before.
        var plain = application
        plain.reviewWithoutEvent = nil
        #expect(RetentionSchedule(category: plain, messageDay: day).expiresOn == CalendarDay(year: 2026, month: 11, day: 11))
    }

    /// Recorded events: the last one on or after the message day counts; one before it belongs
    /// to an earlier matter (the decision on an earlier application).
    @Test func theLastRecordedEventOnOrAfterTheMessageDayCounts() {
        var context = MessageContext(deliveryDate: Date(timeIntervalSince1970: 0))
        let d = { (text: String) in CalendarDay(iso: text)! }
        context.recordedEventDays = ["application-decision": [d("2015-08-01"), d("2020-03-01"), d("2016-03-01")]]
        #expect(context.eventDays(forMessageDay: d("2015-06-19")) == ["application-decision": d("2016-03-01")], "the last recorded, corrected")
        #expect(context.eventDays(forMessageDay: d("2020-01-10")) == ["application-decision": d("2020-03-01")])
        #expect(context.eventDays(forMessageDay: d("2021-01-01")).isEmpty, "every decision on record is older than the message")
        context.eventDays = ["application-decision": d("2019-01-01")]
        #expect(context.eventDays(forMessageDay: d("2015-06-19")) == ["application-decision": d("2019-01-01")], "given days win")
    }
}
