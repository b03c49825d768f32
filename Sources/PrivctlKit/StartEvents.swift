import Foundation
import PrivacyEvents

/// The events that retention periods start at, as the ledger has them (kind ``EventKind/start``,
/// recorded by `privctl decide`): for a person (by pseudonym) or a single message (by its
/// Message-ID's keyed hash), the day each named event happened. Classification reads them
/// into ``MessageContext/eventDays`` so that, say, an application's three months run from the
/// decision, not from the day it arrived.
public struct StartEvents: Sendable {
    /// One recorded event: its name, day, and place in the ledger's order.
    private struct Recorded: Sendable {
        let order: Int
        let name: String
        let day: CalendarDay
    }

    private var bySubject: [Pseudonym: [Recorded]] = [:]
    private var byMessage: [String: [Recorded]] = [:]
    /// Changes whenever an event is added: the scan index re-classifies what it knew.
    public private(set) var fingerprint = ""
    /// Whether the ledger could not be read (a fleet ledger out of reach): then what the scan
    /// index knows stands, and only new messages are classified, without start events.
    public private(set) var isUnknown = false

    /// No events: every period that starts at one counts as not yet started.
    public init() {}

    /// The start events on record in `ledger`; unknown ones when a fleet ledger is out of
    /// reach and `tolerateUnavailable` (classify, which keeps working on the local spool).
    public static func load(from ledger: any Ledger, tolerateUnavailable: Bool = false) throws -> StartEvents {
        var events = StartEvents()
        var hashes: [String] = []
        do {
            try ledger.forEachEvent(matching: EventFilter(kinds: [.start])) { link in
                let event = link.event
                guard let name = event.details["event"], let day = event.details["day"].flatMap(CalendarDay.init(iso:))
                else { return }
                let recorded = Recorded(order: hashes.count, name: name, day: day)
                hashes.append(link.hash)
                for subject in event.subjects { events.bySubject[subject, default: []].append(recorded) }
                let messages = [event.location.messageIDHash].compactMap { $0 }
                    + (event.details["messageIDHashes"] ?? "").split(separator: " ").map(String.init)
                for message in messages { events.byMessage[message, default: []].append(recorded) }
            }
        } catch is LedgerUnavailableError where tolerateUnavailable {
            var unknown = StartEvents()
            unknown.isUnknown = true
            return unknown
        }
        if !hashes.isEmpty { events.fingerprint = String(ContentHash.sha256(Array(hashes.joined().utf8)).prefix(16)) }
        return events
    }

    /// Whether none is on record.
    public var isEmpty: Bool { bySubject.isEmpty && byMessage.isEmpty }

    /// The days of the events on record for any of the people in a message or for the message
    /// itself, by event name, in the order they were recorded (``MessageContext/recordedEventDays``:
    /// the classifier takes the last one on or after the message day).
    public func days(subjects: some Sequence<Pseudonym>, messageIDHash: @autoclosure () -> String?) -> [String: [CalendarDay]] {
        guard !isEmpty else { return [:] }
        var found: [Recorded] = []
        for subject in subjects { found += bySubject[subject] ?? [] }
        if !byMessage.isEmpty, let hash = messageIDHash() { found += byMessage[hash] ?? [] }
        guard !found.isEmpty else { return [:] }
        var days: [String: [CalendarDay]] = [:]
        var seen = Set<Int>()
        for recorded in found.sorted(by: { $0.order < $1.order }) where seen.insert(recorded.order).inserted {
            days[recorded.name, default: []].append(recorded.day)
        }
        return days
    }
}
