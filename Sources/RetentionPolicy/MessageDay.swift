import Foundation
import MailParsing
import PrivacyEvents

/// The day a message's retention is counted from, and where it came from.
///
/// The day is the calendar day of the Date header in the header's own zone offset: a message
/// written on 2019-12-31 at 23:30 +0100 belongs to 2019 for its writer and its recipient alike,
/// although it is 22:30 UTC. That is the day printed on the letter, which is what the
/// commercial and tax codes count from. When the Date header has no usable zone (missing, or a
/// military letter), the day is taken in UTC.
///
/// The Date header is not used when it is missing or unreadable, earlier than 1990 (clocks reset
/// to 1970 and the like), or more than a day after the delivery: a date in the future of its own
/// arrival is a forged or broken date, and counting from it would keep spam for decades. Then the
/// UTC day of the delivery is used, and when the delivery time is unknown as well (before 1990),
/// today.
struct MessageDay: Hashable, Sendable {
    var day: CalendarDay
    /// For explanations: "Date header, zone +0100" or why the delivery day was used.
    var source: String

    static let earliestPlausible = Date(timeIntervalSince1970: 631_152_000)  // 1990-01-01
    static let allowedClockSkew: TimeInterval = 86_400

    init(day: CalendarDay, source: String) {
        self.day = day
        self.source = source
    }

    init(message: MailMessage, context: MessageContext) {
        let delivery = context.deliveryDate
        guard let date = message.date else {
            self.init(delivery: delivery, reason: "no readable Date header")
            return
        }
        if date < MessageDay.earliestPlausible {
            self.init(delivery: delivery, reason: "Date header \(CalendarDay(date)) is implausibly early")
            return
        }
        let deliveryDay = CalendarDay(delivery)
        if delivery >= MessageDay.earliestPlausible, date > delivery.addingTimeInterval(MessageDay.allowedClockSkew) {
            self.init(
                day: deliveryDay, source: "Date header \(CalendarDay(date)) lies after the delivery; delivery day")
            return
        }
        let field = message.header.first("Date")?.unfoldedValue ?? ""
        if let offset = MessageDay.zoneOffset(ofDateField: field) {
            let sign = offset < 0 ? "-" : "+"
            let minutes = abs(offset) / 60
            let zone = sign + String(format: "%02d%02d", minutes / 60, minutes % 60)
            self.init(
                day: CalendarDay(date.addingTimeInterval(TimeInterval(offset))), source: "Date header, zone \(zone)")
        } else {
            self.init(day: CalendarDay(date), source: "Date header, zone unknown: UTC")
        }
    }

    /// The delivery day, or today when the delivery time is unknown too (before 1990, such as
    /// the 0 of a missing mtime): counting from 1970 would make every period over already,
    /// while today errs on the side of keeping.
    init(delivery: Date, reason: String, now: Date = Date()) {
        if delivery >= MessageDay.earliestPlausible {
            self.init(day: CalendarDay(delivery), source: "\(reason); delivery day")
        } else {
            self.init(day: CalendarDay(now), source: "\(reason) and no delivery time; today")
        }
    }

    /// The zone offset in seconds east of UTC of an RFC 5322 date ("… +0100 (CET)"), or nil.
    static func zoneOffset(ofDateField value: String) -> Int? {
        var text = ""
        var depth = 0
        for character in value {
            if character == "(" {
                depth += 1
            } else if character == ")" {
                depth = max(0, depth - 1)
            } else if depth == 0 {
                text.append(character)
            }
        }
        guard let token = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).last else { return nil }
        let zone = token.uppercased()
        if let sign = zone.first, sign == "+" || sign == "-" {
            let digits = zone.dropFirst()
            guard digits.count == 4, digits.allSatisfy(\.isASCII), let value = Int(digits) else { return nil }
            let hours = value / 100
            let minutes = value % 100
            guard hours <= 23, minutes <= 59 else { return nil }
            return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        let named: [String: Int] = [
            "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
            "PST": -8, "PDT": -7, "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2, "BST": 1, "WET": 0, "WEST": 1,
            "EET": 2, "EEST": 3,
        ]
        return named[zone].map { $0 * 3600 }
    }
}
