import Foundation
import PrivacyEvents

/// The events that retention periods start at, as the ledger has them (kind ``EventKind/start``,
/// recorded by `privctl decide`): for a person (by pseudonym) or a single message (by its
/// Message-ID's keyed hash), the day each named event happened. Classification reads them
/// into ``MessageContext/eventDays`` so that, say, an application's three months run from the
/// decision, not from the day it arrived.
public struct StartEvents: Sendable {
    private var bySubject: [Pseudonym: [String: CalendarDay]] = [:]
    private var byMessage: [String: [String: CalendarDay]] = [:]
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
            try read(ledger, into: &events, hashes: &hashes)
        } catch is LedgerUnavailableError where tolerateUnavailable {
            var unknown = StartEvents()
            unknown.isUnknown = true
            return unknown
        }
        if !hashes.isEmpty { events.fingerprint = String(ContentHash.sha256(Array(hashes.joined().utf8)).prefix(16)) }
        return events
    }

    private static func read(_ ledger: any Ledger, into events: inout StartEvents, hashes: inout [String]) throws {
        try ledger.forEachEvent(matching: EventFilter(kinds: [.start])) { link in
            let event = link.event
            guard let name = event.details["event"], let day = event.details["day"].flatMap(CalendarDay.init(iso:)) else {
                return
            }
            for subject in event.subjects { events.bySubject[subject, default: [:]].keepLater(name, day) }
            let messages = [event.location.messageIDHash].compactMap { $0 }
                + (event.details["messageIDHashes"] ?? "").split(separator: " ").map(String.init)
            for message in messages { events.byMessage[message, default: [:]].keepLater(name, day) }
            hashes.append(link.hash)
        }
    }

    /// Whether none is on record.
    public var isEmpty: Bool { bySubject.isEmpty && byMessage.isEmpty }

    /// The day of each event on record for a message: for any of the people in it, or for the
    /// message itself; the later day when several are.
    public func days(subjects: some Sequence<Pseudonym>, messageIDHash: @autoclosure () -> String?) -> [String: CalendarDay] {
        guard !isEmpty else { return [:] }
        var days: [String: CalendarDay] = [:]
        for subject in subjects {
            for (name, day) in bySubject[subject] ?? [:] { days.keepLater(name, day) }
        }
        if !byMessage.isEmpty, let hash = messageIDHash() {
            for (name, day) in byMessage[hash] ?? [:] { days.keepLater(name, day) }
        }
        return days
    }
}

extension Dictionary where Key == String, Value == CalendarDay {
    /// Sets `name` to `day` unless it already holds a later one.
    fileprivate mutating func keepLater(_ name: String, _ day: CalendarDay) {
        if let known = self[name], known >= day { return }
        self[name] = day
    }
}
