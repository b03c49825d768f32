import PrivacyEvents

/// `privctl ledger show`: the events of the context's ledger that a filter selects, with a
/// person given by address and a message given by Message-ID matched through their keyed
/// hashes, so that neither needs to be in the ledger in plain text.
public struct LedgerListing: Sendable {
    /// Kinds, category, host, time range and limit.
    public var filter: EventFilter
    /// Only events about this address (its pseudonym).
    public var subject: String?
    /// Only events about the message with this Message-ID: its keyed hash, or the Message-ID
    /// itself in events recorded before it was hashed; and holds that name it.
    public var messageID: String?

    public init(filter: EventFilter, subject: String? = nil, messageID: String? = nil) {
        self.filter = filter
        self.subject = subject
        self.messageID = messageID
    }

    /// Calls `body` with each matching event in ledger order; returns how many there were.
    @discardableResult
    public func forEachEvent(context: PrivctlContext, _ body: (ChainedEvent) throws -> Void) throws -> Int {
        let key = try context.key()
        let ledger = try context.ledger(recordingKey: false).ledger
        var filter = self.filter
        filter.subject = subject.map { key.pseudonym(for: $0) }
        let limit = filter.limit
        let wanted = messageID.map { (hash: key.messageIDHash(for: $0), plain: PseudonymKey.normalise($0)) }
        if wanted != nil { filter.limit = nil }
        var count = 0
        do {
            try ledger.forEachEvent(matching: filter) { link in
                if let wanted {
                    let location = link.event.location
                    let named =
                        location.messageIDHash == wanted.hash
                        || location.messageID.map { PseudonymKey.normalise($0) == wanted.plain } == true
                        || (link.event.details["messageIDHashes"] ?? "").split(separator: " ").contains { $0 == wanted.hash }
                    guard named else { return }
                }
                count += 1
                try body(link)
                if let limit, count >= limit { throw Enough() }
            }
        } catch is Enough {}
        return count
    }

    private struct Enough: Error {}
}
