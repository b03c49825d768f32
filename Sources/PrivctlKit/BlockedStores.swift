import MailStores
import PrivacyEvents

/// The blocked stores that belong to some live containers, as containers of their own.
public enum BlockedStores {
    /// The blocked store of each distinct store among `containers` that has one.
    public static func containers(for containers: [MailContainer]) throws -> [MailContainer] {
        try pairs(for: containers).map(\.container)
    }

    /// Each blocked container with the live store (Maildir top directory, mbox or message file)
    /// its messages came from; each store asked once.
    public static func pairs(for containers: [MailContainer]) throws -> [BlockedContainer] {
        var seen = Set<String>()
        var result: [BlockedContainer] = []
        for container in containers where seen.insert(container.format.name + ":" + container.storePath).inserted {
            result += try container.format.blockedContainers(of: container)
        }
        return result
    }

    /// The last day each blocked message must be kept, by content hash, from the ledger's block
    /// events (the latest event per message wins). Blocks without an end (restrictions at a
    /// person's request) are not listed: they end only with `unblock`.
    public static func blockEnds(in ledger: any Ledger) throws -> [String: CalendarDay] {
        var ends: [String: CalendarDay] = [:]
        try ledger.forEachEvent(matching: EventFilter(kinds: [.block])) { stored in
            guard let hash = stored.event.location.contentHash else { return }
            ends[hash] = stored.event.keepUntil
        }
        return ends
    }
}
