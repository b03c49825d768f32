import Foundation

/// The append-only record of privacy events.
///
/// Backends (SQLite for one machine, PostgreSQL for a fleet) store the same ``ChainedEvent``s and
/// follow the same ``EventChain`` rules; everything above this protocol is backend-agnostic.
public protocol Ledger: Sendable {
    /// Appends events to this host's chain, in order, atomically. Events whose id is already
    /// recorded are skipped, so a retried append records nothing twice.
    @discardableResult
    func append(_ events: [PrivacyEvent]) throws -> [ChainedEvent]

    /// Appends events whose payloads were made before (on every core, while the ledger links
    /// one event after another), as ``append(_:)`` does.
    @discardableResult
    func append(encoded events: [EncodedEvent]) throws -> [ChainedEvent]

    /// Calls `body` for every event matching `filter`, in chain order (host, sequence).
    func forEachEvent(matching filter: EventFilter, _ body: (ChainedEvent) throws -> Void) throws

    /// Re-computes every chain and reports the first break per host.
    func verify() throws -> LedgerVerification

    /// The hosts that have recorded events (the fleet, for a shared ledger).
    func hosts() throws -> [String]
}

extension Ledger {
    /// Appends the events, making their payloads again.
    @discardableResult
    public func append(encoded events: [EncodedEvent]) throws -> [ChainedEvent] {
        try append(events.map(\.event))
    }

    /// Reads every event; backends answer this with one query.
    public func hosts() throws -> [String] {
        var hosts = Set<String>()
        try forEachEvent(matching: .all) { hosts.insert($0.event.host) }
        return hosts.sorted()
    }
}

/// An event with its canonical JSON made (``EventChain/payload(of:)``): what the hash chain
/// covers, made before an append so that a batch's events are encoded on every core.
public struct EncodedEvent: Sendable {
    public let event: PrivacyEvent
    /// The event's canonical JSON.
    public let payload: String

    public init(_ event: PrivacyEvent) {
        self.event = event
        self.payload = EventChain.payload(of: event)
    }
}

/// Which events to list.
public struct EventFilter: Sendable {
    public var kinds: Set<EventKind>?
    public var subject: Pseudonym?
    public var category: String?
    public var host: String?
    /// Events at or after this instant.
    public var since: Date?
    /// Events before this instant.
    public var until: Date?
    public var limit: Int?

    public init(
        kinds: Set<EventKind>? = nil, subject: Pseudonym? = nil, category: String? = nil,
        host: String? = nil, since: Date? = nil, until: Date? = nil, limit: Int? = nil
    ) {
        self.kinds = kinds
        self.subject = subject
        self.category = category
        self.host = host
        self.since = since
        self.until = until
        self.limit = limit
    }

    /// Every event.
    public static let all = EventFilter()
}

/// The result of ``Ledger/verify()``.
public struct LedgerVerification: Sendable, Codable {
    /// Events checked.
    public var eventCount: Int
    /// Chains (hosts) checked.
    public var hosts: [String]
    /// One line per break found; empty when the ledger is intact.
    public var problems: [String]
    /// The last hash of each host's chain: publish or anchor these to prove later that the
    /// history up to here was not rewritten.
    public var heads: [String: String]

    public var isIntact: Bool { problems.isEmpty }

    public init(eventCount: Int, hosts: [String], problems: [String], heads: [String: String]) {
        self.eventCount = eventCount
        self.hosts = hosts
        self.problems = problems
        self.heads = heads
    }
}

/// Why the ledger could not be opened or written.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// The SQLSTATE of the database server's answer, when the ledger is on a server that said no.
    public var sqlState: String?
    public init(_ description: String, sqlState: String? = nil) {
        self.description = description
        self.sqlState = sqlState
    }
}
