import Dispatch
import Foundation
import PrivacyEvents
import SQLiteLedger

/// Writes a run's ledger events and index rows on a thread of its own, in submission order,
/// so that recording batch N overlaps with reading and parsing batch N+1.
///
/// At most ``maxInFlight`` batches wait: when the ledger is slower than parsing (a first run
/// records an event per message), `submit` waits for a slot, so memory stays bounded however
/// large the store is.
///
/// The first failure is kept and thrown by ``finish()``; later submissions are dropped, so a run
/// that cannot record stops recording instead of recording half.
final class LedgerWriter: @unchecked Sendable {
    /// Batches queued or being written at once.
    static let maxInFlight = 8

    private let ledger: any Ledger
    private let index: MessageIndex
    private let queue = DispatchQueue(label: "privctl.ledger-writer")
    private let slots = DispatchSemaphore(value: LedgerWriter.maxInFlight)
    private let lock = NSLock()
    private var failure: (any Error)?
    private var eventCounts: [EventKind: Int] = [:]

    init(ledger: any Ledger, index: MessageIndex) {
        self.ledger = ledger
        self.index = index
    }

    /// Queues one batch: its events, then its index rows. Batches that wait while an earlier
    /// one is written are written together, in one transaction each for the ledger and the
    /// index: when the ledger is slower than parsing (a first run), fewer commits rewrite the
    /// same pages of its indexes.
    func submit(events: [EncodedEvent], rows: [IndexedMessage], renamed: [(key: String, item: String)]) throws {
        try throwIfFailed()
        guard !events.isEmpty || !rows.isEmpty || !renamed.isEmpty else { return }
        slots.wait()
        lock.withLock { waiting.append(Batch(events: events, rows: rows, renamed: renamed)) }
        queue.async { [self] in writeWaiting() }
    }

    /// One submitted batch.
    private struct Batch {
        var events: [EncodedEvent]
        var rows: [IndexedMessage]
        var renamed: [(key: String, item: String)]
    }

    /// Batches submitted and not yet taken by the writer, in submission order.
    private var waiting: [Batch] = []

    /// Writes every batch waiting (on the writer's queue, so in submission order).
    private func writeWaiting() {
        let batches = lock.withLock {
            let taken = waiting
            waiting.removeAll()
            return taken
        }
        guard !batches.isEmpty else { return }
        defer { for _ in batches { slots.signal() } }
        guard currentFailure == nil else { return }
        do {
            // Events first: a crash between the two leaves events without index rows, and
            // the next run records them again rather than never.
            let events = batches.flatMap(\.events)
            if !events.isEmpty { try ledger.append(encoded: events) }
            try index.record(batches.flatMap(\.rows), renamed: batches.flatMap(\.renamed))
            lock.withLock { for encoded in events { eventCounts[encoded.event.kind, default: 0] += 1 } }
        } catch {
            lock.withLock { failure = error }
        }
    }

    /// Waits for everything queued; throws the first failure. Returns the events written, by kind.
    @discardableResult
    func finish() throws -> [EventKind: Int] {
        queue.sync {}
        try throwIfFailed()
        return lock.withLock { eventCounts }
    }

    /// Waits for everything queued so far; throws the first failure. Recording goes on.
    func flush() throws {
        queue.sync {}
        try throwIfFailed()
    }

    private var currentFailure: (any Error)? { lock.withLock { failure } }

    private func throwIfFailed() throws {
        if let failure = currentFailure { throw failure }
    }
}
