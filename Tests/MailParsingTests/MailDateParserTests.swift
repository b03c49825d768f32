import Foundation
import TestSupport
import Testing

@testable import MailParsing

/// The Date field (MailDateParser).
@Suite("Dates")
struct MailDateParserTests {
    private func iso(_ value: String) -> String? {
        MailDateParser.parse(ArraySlice(Array(value.utf8))).map(MessageSummary.iso8601)
    }

    @Test(
        "RFC 5322 and the broken forms mailers write",
        arguments: [
            ("Mon, 30 Apr 2001 12:17:50 +0200", "2001-04-30T10:17:50Z"),
            ("30 Apr 2001 12:17:50 +0200", "2001-04-30T10:17:50Z"),  // no weekday
            ("Mon,30 Apr 2001 12:17:50 +0200", "2001-04-30T10:17:50Z"),  // no space after comma
            ("Mon, 30 Apr 01 12:17:50 +0200", "2001-04-30T10:17:50Z"),  // 2-digit year
            ("Fri, 24 May 91 10:40:25 EDT", "1991-05-24T14:40:25Z"),  // 2-digit year, named zone
            ("Thu, 13 Feb 101 23:32 -0330", "2001-02-14T03:02:00Z"),  // 3-digit year (1900 + n)
            ("Wed, 11 Feb 98 11:51 CST", "1998-02-11T17:51:00Z"),  // missing seconds
            ("Sat, 27 Nov 2004 03:35:30 UTC", "2004-11-27T03:35:30Z"),
            ("Tue, 22 Jan 2002 14:35:28 UT", "2002-01-22T14:35:28Z"),
            ("Mon, 1 Jul 1996 17:00:16 GMT", "1996-07-01T17:00:16Z"),
            ("Mon, 1 Jul 1996 17:00:16 Z", "1996-07-01T17:00:16Z"),
            ("Tue, 28 May 1996 12:24:23 cst", "1996-05-28T18:24:23Z"),  // zone in lower case
            ("Sun, 23 Sep 2001 20:14:35 PDT", "2001-09-24T03:14:35Z"),
            ("Sun, 23 Sep 2001 20:14:35 PST", "2001-09-24T04:14:35Z"),
            ("Sun, 23 Sep 2001 20:14:35 EST", "2001-09-24T01:14:35Z"),
            ("Mon, 22 Mar 1993 09:41:09 -0800 (PST)", "1993-03-22T17:41:09Z"),  // trailing comment
            ("Tue, 21 Apr 2020 15:40:22 +0200 (CEST)", "2020-04-21T13:40:22Z"),
            ("Tue, 19 Sep 1995 13:30:00 (EDT) -0400", "1995-09-19T17:30:00Z"),  // comment before zone
            ("Tue, 21 Apr 2020 15:40:22 CEST", "2020-04-21T13:40:22Z"),  // named zone beyond RFC 5322
            ("Fri, 23 Aug 2002 2:32:53 -0400", "2002-08-23T06:32:53Z"),  // single-digit hour
            ("Mon,  9 Jul 2012 22:37:56 -0700", "2012-07-10T05:37:56Z"),  // extra white space
            ("  Thu, 10 Jan 2002 13:59:53 -0800  ", "2002-01-10T21:59:53Z"),
            ("9 jul 2012 18:25:13 -0700", "2012-07-10T01:25:13Z"),  // single-digit day, month in lower case
            ("Mon, 30 APRIL 2001 12:17:50 +0200", "2001-04-30T10:17:50Z"),  // full month name, upper case
            ("Sun, 7 Sept 2014 10:00:00 +0000", "2014-09-07T10:00:00Z"),
            ("Mon, 30 Apr 2001 12:17:50", "2001-04-30T12:17:50Z"),  // missing zone: UTC
            ("Mon, 30 Apr 2001 12.17.50 +0200", "2001-04-30T10:17:50Z"),  // dots in the time
            ("Mon, 30.04.2001 12:17:50 +0200", "2001-04-30T10:17:50Z"),  // dotted date
            ("Fri May 24 10:35:57 EDT 1991", "1991-05-24T14:35:57Z"),  // asctime with zone
            ("Fri May 24 10:35:57 1991", "1991-05-24T10:35:57Z"),  // asctime
            ("Monday, 01-Jan-01 10:00:00 GMT", "2001-01-01T10:00:00Z"),  // RFC 850
            ("01 Jan 2001 00:01+0000", "2001-01-01T00:01:00Z"),  // zone glued to the time
            ("Tue, 17 Jul 2012 22:23:35.882 0000", "2012-07-17T22:23:35Z"),  // fractions, sign-less zone
            ("May 8, 2005 1:17 PM", "2005-05-08T13:17:00Z"),  // US order, 12-hour clock
            ("Wed, Feb 9, 2011 at 11:54 AM", "2011-02-09T11:54:00Z"),
            ("Mon, 30 Apr 2001 12:17:50 GMT+0200", "2001-04-30T10:17:50Z"),
            ("Mon, 30 Apr 2001 12:17:50 +02:00", "2001-04-30T10:17:50Z"),
            ("Mon, 30 Apr 2001 12:17:50 -0000", "2001-04-30T12:17:50Z"),
            ("Thu, 13 Feb 1969 23:32 -0330 (Newfoundland Time)", "1969-02-14T03:02:00Z"),
            ("Thu,\n 13\n  Feb\n    1969\n 23:32\n   -0330 (Newfoundland Time)", "1969-02-14T03:02:00Z"),
            ("Sat, 31 Dec 2016 23:59:60 +0000", "2016-12-31T23:59:59Z"),  // leap second
            ("Tue, 29 Feb 2000 12:00:00 +0000", "2000-02-29T12:00:00Z"),
            ("2023-05-01T10:00:00Z", "2023-05-01T10:00:00Z"),  // ISO 8601
            ("2023-05-01T12:00:00+02:00", "2023-05-01T10:00:00Z"),
            ("2023-05-01 10:00:00.123-0500", "2023-05-01T15:00:00Z"),
            ("2023-05-01T10:00", "2023-05-01T10:00:00Z"),
        ])
    func readable(value: String, expected: String) {
        #expect(iso(value) == expected, "\(value)")
    }

    @Test(
        "values that name no instant are nil",
        arguments: [
            "", "   ", "Whenever", "Thu,", "Pn, 29 paX 2007 21:13:00 +0100",
            "Wed, 15 Dec 2010    59:10 -0500", "Mon, 31 Feb 2001 10:00:00 +0000", "Mon, 30 Apr 2001",
            "Tue, 30 Apr 2001 25:00:00 +0000", "Mon, 30 Apr 2001 12:61:00 +0000",
            "Mon, 30 Apr 20011 12:17:50 +0200", "2023-13-01T10:00:00Z", "13 13 13 13:13:13",
        ])
    func unreadable(value: String) {
        #expect(iso(value) == nil, "\(value)")
    }

    @Test("MailMessage.date reads the first Date field")
    func messageDate() throws {
        let m = try parse("Date: Mon, 30 Apr 2001 12:17:50 +0200\nDate: junk\n\n")
        #expect(m.date == Date(timeIntervalSince1970: 988_625_870))
        #expect(try parse("Subject: x\n\n").date == nil)
    }

    @Test("dates as mail carries them, one message each (Tests/Fixtures/mbox/dates.mbox)")
    func fixtureDates() throws {
        let messages = try Mbox.split(Fixtures.bytes("mbox/dates.mbox")).map { try MailMessage(bytes: $0) }
        #expect(messages.map { $0.date.map(MessageSummary.iso8601) } == [
            "2024-10-01T04:19:00Z",  // `(EDT) -0400`: the offset after the comment is the zone
            "2024-10-02T22:23:35Z",  // `22:23:35.882 0000`: fraction and sign-less zone
            "2024-10-03T15:00:00Z",  // `3 Oct 24 10:00 EST`
            "2024-10-04T12:00:00Z",  // GMT
            "2024-10-05T06:30:00Z",  // a day padded with a space, a zone comment
            "2024-10-06T09:45:10Z",  // folded over three lines
            nil,  // hour 25
        ])
    }

    @Test("the ISO 8601 form in summaries")
    func iso8601Output() {
        #expect(MessageSummary.iso8601(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(MessageSummary.iso8601(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(MessageSummary.iso8601(Date(timeIntervalSince1970: 988_626_870.7)) == "2001-04-30T10:34:30Z")
        #expect(MessageSummary.iso8601(Date(timeIntervalSince1970: 951_825_600)) == "2000-02-29T12:00:00Z")
    }
}
