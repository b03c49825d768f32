import Foundation
import MailParsing
import PrivacyEvents
import TestSupport
import Testing

@testable import RetentionPolicy

/// Which day counts for a message: the Date header's own calendar day, else the delivery day.
@Suite struct MessageDayTests {
    let classifier = Classifier(policy: .builtIn)

    func messageDay(date: String?, delivered: Date = Date(timeIntervalSince1970: 1_700_000_000)) -> (
        CalendarDay, String
    ) {
        let mail = MessageBuilder(subject: "Rechnung", date: date)
        let result = classifier.classify(mail.message, context: context(delivered: delivered))
        return (result.messageDay, result.explanation.first { $0.hasPrefix("message day") } ?? "")
    }

    @Test func dayOfTheWriterNotOfUTC() {
        // 00:30 in Berlin on New Year's Day is 23:30 UTC the day before: the letter is dated 2020.
        let (newYear, source) = messageDay(date: "Wed, 01 Jan 2020 00:30:00 +0100")
        #expect(newYear == CalendarDay(iso: "2020-01-01"))
        #expect(source == "message day 2020-01-01 (Date header, zone +0100)")
        let invoice = classifier.classify(
            MessageBuilder(subject: "Rechnung", date: "Wed, 01 Jan 2020 00:30:00 +0100").message,
            context: context(delivered: Date(timeIntervalSince1970: 1_700_000_000)))
        #expect(invoice.retainUntil == CalendarDay(iso: "2028-12-31"))
        // 23:30 +0100 on Dec 31 is still Dec 31 both locally and in UTC.
        #expect(messageDay(date: "Tue, 31 Dec 2019 23:30:00 +0100").0 == CalendarDay(iso: "2019-12-31"))
        // Written in California on New Year's Eve, already 2020 in UTC.
        #expect(messageDay(date: "Tue, 31 Dec 2019 20:00:00 -0800").0 == CalendarDay(iso: "2019-12-31"))
        #expect(messageDay(date: "Tue, 31 Dec 2019 20:00:00 -0800").1.hasSuffix("(Date header, zone -0800)"))
    }

    @Test func namedAndMissingZones() {
        #expect(messageDay(date: "Wed, 01 Jan 2020 00:30:00 CET").0 == CalendarDay(iso: "2020-01-01"))
        #expect(messageDay(date: "Wed, 01 Jan 2020 00:30:00 GMT").0 == CalendarDay(iso: "2020-01-01"))
        #expect(messageDay(date: "Wed, 01 Jan 2020 00:30:00 +0100 (CET)").0 == CalendarDay(iso: "2020-01-01"))
        #expect(MessageDay.zoneOffset(ofDateField: "Wed, 01 Jan 2020 00:30:00 +0530") == 19_800)
        #expect(MessageDay.zoneOffset(ofDateField: "Wed, 01 Jan 2020 00:30:00 -0000") == 0)
        #expect(MessageDay.zoneOffset(ofDateField: "Wed, 01 Jan 2020 00:30:00 EDT") == -14_400)
        #expect(MessageDay.zoneOffset(ofDateField: "Wed, 01 Jan 2020 00:30:00 (no zone)") == nil)
        #expect(MessageDay.zoneOffset(ofDateField: "Wed, 01 Jan 2020 00:30:00 +2500") == nil)
        #expect(MessageDay.zoneOffset(ofDateField: "") == nil)
    }

    @Test func missingDateUsesDelivery() {
        // 2023-11-14 22:13:20 UTC.
        let (day, source) = messageDay(date: nil)
        #expect(day == CalendarDay(iso: "2023-11-14"))
        #expect(source == "message day 2023-11-14 (no readable Date header; delivery day)")
        #expect(messageDay(date: "gestern abend").0 == CalendarDay(iso: "2023-11-14"))
    }

    @Test func futureDateUsesDelivery() {
        let (day, source) = messageDay(date: "Fri, 01 Jan 2038 10:00:00 +0000")
        #expect(day == CalendarDay(iso: "2023-11-14"))
        #expect(source == "message day 2023-11-14 (Date header 2038-01-01 lies after the delivery; delivery day)")
        // Within a day of the delivery is clock skew, not a forged date.
        #expect(messageDay(date: "Wed, 15 Nov 2023 12:00:00 +0000").0 == CalendarDay(iso: "2023-11-15"))
    }

    @Test func implausiblyEarlyDateUsesDelivery() {
        let (day, source) = messageDay(date: "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(day == CalendarDay(iso: "2023-11-14"))
        #expect(source == "message day 2023-11-14 (Date header 1970-01-01 is implausibly early; delivery day)")
    }

    @Test func oldArchivedMailKeepsItsDate() {
        // Delivered to this store in 2023 (a migration), written in 2012.
        #expect(messageDay(date: "Mon, 02 Jan 2012 09:00:00 +0100").0 == CalendarDay(iso: "2012-01-02"))
    }

    @Test func noDateAndNoDeliveryCountsFromToday() {
        let (day, source) = messageDay(date: nil, delivered: Date(timeIntervalSince1970: 0))
        #expect(day == CalendarDay(Date()))
        #expect(source == "message day \(CalendarDay(Date())) (no readable Date header and no delivery time; today)")
    }

    @Test func unknownDeliveryDoesNotOverrideTheHeader() {
        // A delivery time of 0 (unknown mtime) must not make every Date header look "future".
        let (day, _) = messageDay(date: "Mon, 02 Jan 2012 09:00:00 +0100", delivered: Date(timeIntervalSince1970: 0))
        #expect(day == CalendarDay(iso: "2012-01-02"))
    }
}
