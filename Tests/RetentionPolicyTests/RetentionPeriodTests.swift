import PrivacyEvents
import Testing

@testable import RetentionPolicy

@Suite struct RetentionPeriodTests {
    @Test(arguments: [
        ("8 years", RetentionPeriod.years(8)),
        ("1 year", RetentionPeriod.years(1)),
        ("3 months", RetentionPeriod.months(3)),
        ("18 months", RetentionPeriod.span(years: 1, months: 6, days: 0)),
        ("1 year 6 months", RetentionPeriod.span(years: 1, months: 6, days: 0)),
        ("7 days", RetentionPeriod.days(7)),
        ("2 weeks", RetentionPeriod.days(14)),
        ("1 year, 2 days", RetentionPeriod.span(years: 1, months: 0, days: 2)),
        ("10 Jahre", RetentionPeriod.years(10)),
        ("3 Monate", RetentionPeriod.months(3)),
        ("30 Tage", RetentionPeriod.days(30)),
        ("none", RetentionPeriod.unlimited),
        ("None", RetentionPeriod.unlimited),
    ])
    func parses(text: String, expected: RetentionPeriod) throws {
        #expect(try RetentionPeriod.parse(text).get() == expected)
    }

    @Test func rejectsWhatIsNotAPeriod() {
        for text in ["", "eight years", "8", "years 8", "-1 days", "8 yers", "1 year 6"] {
            #expect((try? RetentionPeriod.parse(text).get()) == nil, "\(text)")
        }
        guard case .failure(let problem) = RetentionPeriod.parse("8 yers") else { return }
        #expect(problem.word == "yers")
    }

    @Test func describesAsWritten() throws {
        #expect(RetentionPeriod.years(8).description == "8 years")
        #expect(RetentionPeriod.years(1).description == "1 year")
        #expect(RetentionPeriod.span(years: 1, months: 6, days: 1).description == "1 year 6 months 1 day")
        #expect(RetentionPeriod.days(0).description == "0 days")
        #expect(RetentionPeriod.unlimited.description == "none")
        for period in [RetentionPeriod.years(8), .months(3), .days(7), .span(years: 2, months: 1, days: 3), .unlimited]
        {
            #expect(try RetentionPeriod.parse(period.description).get() == period)
        }
    }
}
