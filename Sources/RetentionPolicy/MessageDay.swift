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
        self.init(date: message.date, dateField: message.header.first("Date")?.rawValue, context: context)
    }

    /// The day from a message's Date header, already read: its instant and its raw bytes.
    init(date: Date?, dateField: ArraySlice<UInt8>?, context: MessageContext) {
        let delivery = context.deliveryDate
        guard let date else {
            self.init(delivery: delivery, reason: "no readable Date header")
            return
        }
        if date < MessageDay.earliestPlausible {
            self.init(delivery: delivery, reason: "Date header \(CalendarDay(date)) is implausibly early")
            return
        }
        if delivery >= MessageDay.earliestPlausible, date > delivery.addingTimeInterval(MessageDay.allowedClockSkew) {
            self.init(
                day: CalendarDay(delivery),
                source: "Date header \(CalendarDay(date)) lies after the delivery; delivery day")
            return
        }
        if let offset = MessageDay.zoneOffset(ofDateField: dateField ?? []) {
            self.init(
                day: CalendarDay(date.addingTimeInterval(TimeInterval(offset))),
                source: "Date header, zone " + MessageDay.zoneText(offset))
        } else {
            self.init(day: CalendarDay(date), source: "Date header, zone unknown: UTC")
        }
    }

    /// "+0100" for 3600 seconds east of UTC.
    static func zoneText(_ offset: Int) -> String {
        let minutes = abs(offset) / 60
        let hours = minutes / 60
        guard hours < 100 else {
            return (offset < 0 ? "-" : "+") + String(hours) + String(minutes % 60 / 10) + String(minutes % 10)
        }
        return String(unsafeUninitializedCapacity: 5) { buffer in
            buffer[0] = offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
            buffer[1] = UInt8(0x30 + hours / 10)
            buffer[2] = UInt8(0x30 + hours % 10)
            buffer[3] = UInt8(0x30 + minutes % 60 / 10)
            buffer[4] = UInt8(0x30 + minutes % 10)
            return 5
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
    static func zoneOffset(ofDateField value: String) -> Int? { zoneOffset(ofDateField: Array(value.utf8)[...]) }

    /// The same on the field's raw bytes: the last token outside comments.
    static func zoneOffset(ofDateField bytes: ArraySlice<UInt8>) -> Int? {
        var depth = 0
        var tokenStart: Int?
        var token: Range<Int>?
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == UInt8(ascii: "(") {
                depth += 1
            } else if byte == UInt8(ascii: ")") {
                depth = max(0, depth - 1)
            }
            let inToken = depth == 0 && byte > 0x20 && byte != UInt8(ascii: "(") && byte != UInt8(ascii: ")")
            if inToken {
                if tokenStart == nil { tokenStart = index }
            } else if let start = tokenStart {
                token = start..<index
                tokenStart = nil
            }
        }
        if let start = tokenStart { token = start..<bytes.endIndex }
        guard let token else { return nil }
        let zone = bytes[token]
        if let sign = zone.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            let digits = zone.dropFirst()
            guard digits.count == 4, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            let hours = value / 100, minutes = value % 100
            guard hours <= 23, minutes <= 59 else { return nil }
            return (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        guard zone.count <= 4 else { return nil }
        return namedZones[String(decoding: zone, as: UTF8.self).uppercased()].map { $0 * 3600 }
    }

    /// Zone names of RFC 5322 §4.3 and the European ones mail clients still write, in hours.
    static let namedZones: [String: Int] = [
        "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
        "PST": -8, "PDT": -7, "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2, "BST": 1, "WET": 0, "WEST": 1,
        "EET": 2, "EEST": 3,
    ]
}
