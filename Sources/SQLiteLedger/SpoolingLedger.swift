import Foundation
import PrivacyEvents

/// A fleet ledger that a host can keep writing to while the fleet's database is unreachable.
///
/// Appends go to the remote ledger. When it throws ``LedgerUnavailableError`` (no connection,
/// connection lost), the events go to a local ``EventSpool`` instead and the append succeeds;
/// every other error (a permission, a constraint) is thrown as it is. While events wait in the
/// spool, later appends join the queue behind them, so the host's events reach the remote in the
/// order they happened. ``deliverSpooled()`` (called at the start of a run, and before each read)
/// sends them, oldest first, in batches; a batch leaves the spool only after the remote has
/// committed it, and the remote skips ids it already holds, so a delivery cut off at any moment
/// and repeated records every event exactly once.
///
/// After the remote failed, this ledger does not try it again for ``retryInterval`` seconds,
/// so a run against a dead server does not wait for a connection timeout on every batch.
///
/// Reads and verification go to the remote (after delivering what is spooled): the spool is a
/// queue, not a second ledger. Events returned by an append that was spooled carry sequence 0:
/// their place in the host's chain is given when they are delivered.
public final class SpoolingLedger: Ledger, @unchecked Sendable {
    /// The fleet ledger.
    public let remote: any Ledger
    /// Where events wait.
    public let spool: EventSpool
    /// Seconds to leave the remote alone after it was unreachable.
    public let retryInterval: TimeInterval
    /// Events per delivery transaction.
    public let deliveryBatch: Int

    // Guarded by `lock`; `operation` serialises appends and deliveries of this instance.
    private let lock = NSLock()
    private let operation = NSLock()
    private var unavailableUntil: Date?
    private var lastFailure: LedgerUnavailableError?

    public init(remote: any Ledger, spool: EventSpool, retryInterval: TimeInterval = 60, deliveryBatch: Int = 256) {
        self.remote = remote
        self.spool = spool
        self.retryInterval = retryInterval
        self.deliveryBatch = max(1, deliveryBatch)
    }

    /// Wraps `remote` with the spool file at `spoolURL` (created on first use).
    public convenience init(remote: any Ledger, spoolURL: URL, retryInterval: TimeInterval = 60) throws(LedgerError) {
        self.init(remote: remote, spool: try EventSpool(url: spoolURL), retryInterval: retryInterval)
    }

    /// The last time the remote could not be reached in this run, if it could not.
    public var lastUnavailability: LedgerUnavailableError? { lock.withLock { lastFailure } }

    /// Events waiting in the spool.
    public func spooledCount() throws -> Int { try spool.count() }

    /// Sends the spooled events to the remote, oldest first; returns how many left the spool.
    /// Throws ``LedgerUnavailableError`` when the remote cannot be reached (what was delivered
    /// before stays delivered), and any other error of the remote as it is.
    @discardableResult
    public func deliverSpooled() throws -> Int {
        try operation.withLock { try deliverLocked() }
    }

    @discardableResult
    public func append(_ events: [PrivacyEvent]) throws -> [ChainedEvent] {
        guard !events.isEmpty else { return [] }
        return try operation.withLock {
            if let until = lock.withLock({ unavailableUntil }), Date() < until {
                return try spoolLocked(events)
            }
            do {
                if try spool.count() > 0 { _ = try deliverLocked() }
                return try remote.append(events)
            } catch let error as LedgerUnavailableError {
                markUnavailable(error)
                return try spoolLocked(events)
            }
        }
    }

    public func forEachEvent(matching filter: EventFilter, _ body: (ChainedEvent) throws -> Void) throws {
        try deliverIfAny()
        try remote.forEachEvent(matching: filter, body)
    }

    public func verify() throws -> LedgerVerification {
        try deliverIfAny()
        return try remote.verify()
    }

    private func deliverIfAny() throws {
        try operation.withLock {
            if try spool.count() > 0 { _ = try deliverLocked() }
        }
    }

    /// Delivers the whole spool, batch by batch; returns how many events left it.
    private func deliverLocked() throws -> Int {
        var delivered = 0
        while true {
            let batch = try spool.oldest(deliveryBatch)
            guard !batch.isEmpty else { break }
            do {
                try remote.append(batch.map(\.event))
            } catch let error as LedgerUnavailableError {
                markUnavailable(error)
                throw error
            }
            // Only now: a crash before this line leaves the batch spooled, and the remote
            // skips its ids on the next delivery.
            try spool.remove(positions: batch.map(\.position))
            delivered += batch.count
        }
        lock.withLock { unavailableUntil = nil }
        return delivered
    }

    private func markUnavailable(_ error: LedgerUnavailableError) {
        lock.withLock {
            unavailableUntil = Date().addingTimeInterval(retryInterval)
            lastFailure = error
        }
    }

    private func spoolLocked(_ events: [PrivacyEvent]) throws -> [ChainedEvent] {
        try spool.add(events)
        return events.map { event in
            let payload = EventChain.payload(of: event)
            return ChainedEvent(
                sequence: 0, event: event, payload: payload, previousHash: EventChain.genesis,
                hash: EventChain.hash(previousHash: EventChain.genesis, payload: payload))
        }
    }
}
