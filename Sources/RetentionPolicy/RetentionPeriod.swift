import PrivacyEvents

/// How long a category is kept after its start point: a span of civil years, months and days,
/// or no period at all.
///
/// Periods are counted on the civil calendar as BGB §§187, 188 count them: the start day itself
/// is not counted, and a period of months or years ends on the day with the same number (or the
/// last day of a shorter month). So 3 months from 2024-11-30 end with 2025-02-28 and one year from
/// 2024-02-29 ends with 2025-02-28.
public enum RetentionPeriod: Hashable, Sendable, CustomStringConvertible {
    /// No period: the policy sets no end, so the message is neither erased nor reviewed by date.
    case unlimited
    /// A span; the components are added years first, then months, then days.
    case span(years: Int, months: Int, days: Int)

    /// A period of whole years.
    public static func years(_ n: Int) -> RetentionPeriod { .span(years: n, months: 0, days: 0) }
    /// A period of whole months.
    public static func months(_ n: Int) -> RetentionPeriod { .span(years: 0, months: n, days: 0) }
    /// A period of days.
    public static func days(_ n: Int) -> RetentionPeriod { .span(years: 0, months: 0, days: n) }

    /// Whether the policy sets no end.
    public var isUnlimited: Bool { self == .unlimited }

    /// The last day of the period that starts after `start` (the start day is not counted), or nil
    /// when the period is unlimited.
    public func lastDay(from start: CalendarDay) -> CalendarDay? {
        guard case .span(let years, let months, let days) = self else { return nil }
        return start.adding(months: years * 12 + months).adding(days: days)
    }

    /// The period as written in a policy file, for example "8 years" or "1 year 6 months".
    public var description: String {
        guard case .span(let years, let months, let days) = self else { return "none" }
        var parts: [String] = []
        if years != 0 { parts.append(years == 1 ? "1 year" : "\(years) years") }
        if months != 0 { parts.append(months == 1 ? "1 month" : "\(months) months") }
        if days != 0 || parts.isEmpty { parts.append(days == 1 ? "1 day" : "\(days) days") }
        return parts.joined(separator: " ")
    }

    /// The units a policy file may use, with the number of days or months each stands for.
    static let units: [(names: [String], months: Int, days: Int)] = [
        (["year", "years", "jahr", "jahre", "jahren"], 12, 0),
        (["month", "months", "monat", "monate", "monaten"], 1, 0),
        (["week", "weeks", "woche", "wochen"], 0, 7),
        (["day", "days", "tag", "tage", "tagen"], 0, 1),
    ]

    /// Parses "none", "8 years", "3 months", "7 days", "2 weeks", "1 year 6 months" (German unit
    /// names too). Returns the offending word when the text is not a period.
    static func parse(_ text: String) -> Result<RetentionPeriod, PeriodSyntaxError> {
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
            .map(String.init)
        if words == ["none"] || words == ["keine"] { return .success(.unlimited) }
        guard !words.isEmpty, words.count % 2 == 0 else { return .failure(PeriodSyntaxError(word: nil)) }
        var months = 0
        var days = 0
        var index = 0
        while index < words.count {
            guard let count = Int(words[index]), count >= 0, count <= 1000 else {
                return .failure(PeriodSyntaxError(word: nil))
            }
            let unitWord = words[index + 1]
            guard let unit = units.first(where: { $0.names.contains(unitWord) }) else {
                return .failure(PeriodSyntaxError(word: unitWord))
            }
            months += count * unit.months
            days += count * unit.days
            index += 2
        }
        return .success(.span(years: months / 12, months: months % 12, days: days))
    }

    /// Why a text is not a period: the unit word that was not understood, if that was the problem.
    struct PeriodSyntaxError: Error {
        var word: String?
    }
}
