import Foundation
import PrivacyEvents

/// Copies a ledger (a host's SQLite file) into the fleet ledger, keeping the chain.
///
/// Every event keeps its id, sequence, previous hash, hash and payload byte for byte, so the
/// hashes a host published before the move still verify afterwards. Events already in the target
/// are skipped (after checking they are the same links), so running the copy twice adds nothing
/// and a copy interrupted half-way can simply be run again.
public enum LedgerMigration {
    /// What a copy did.
    public struct Report: Sendable {
        /// Events added to the target.
        public var copied: Int
        /// Events of the source the target already held.
        public var alreadyPresent: Int
        /// The hosts whose chains were copied.
        public var hosts: [String]
        /// The verification of those hosts' chains in the target, after the copy.
        public var verification: LedgerVerification
    }

    /// Copies every event of `source` into `target`, in chain order, `batchSize` per transaction;
    /// then verifies the copied hosts' chains in the target and checks that each ends in the
    /// same hash as in the source (or continues past it). `progress` gets the number of events
    /// handled so far after each batch.
    ///
    /// Throws before copying anything when the source does not verify, and when a host's chain
    /// in the target does not lead to the source's events (the host appended to the fleet
    /// ledger before its history was copied).
    public static func copy(
        from source: any Ledger, to target: PostgresLedger, batchSize: Int = 1000,
        progress: ((Int) -> Void)? = nil
    ) throws -> Report {
        let before = try source.verify()
        guard before.isIntact else {
            throw LedgerError(
                "the source ledger does not verify (\(before.problems.count) problem(s), first: \(before.problems[0])); nothing was copied")
        }
        var batch: [ChainedEvent] = []
        batch.reserveCapacity(batchSize)
        var handled = 0
        var copied = 0
        var sourceHeads: [String: ChainedEvent] = [:]
        func flush() throws {
            guard !batch.isEmpty else { return }
            copied += try target.appendVerbatim(batch)
            handled += batch.count
            batch.removeAll(keepingCapacity: true)
            progress?(handled)
        }
        try source.forEachEvent(matching: .all) { link in
            batch.append(link)
            sourceHeads[link.event.host] = link
            if batch.count >= batchSize { try flush() }
        }
        try flush()

        let hosts = before.hosts
        let after = try target.verify(hosts: Set(hosts))
        var problems = after.problems
        // An intact chain that holds the source's last link (same host, sequence and hash)
        // holds every link before it unchanged.
        let recorded = try target.recorded(ids: sourceHeads.values.map(\.event.id.rawValue))
        for (host, head) in sourceHeads.sorted(by: { $0.key < $1.key }) {
            let row = recorded[head.event.id.rawValue]
            if row?.host != host || row?.sequence != head.sequence || row?.hash != head.hash {
                problems.append("host \(host): the copy does not hold the source's last event \(head.event.id) unchanged")
            }
        }
        guard problems.isEmpty else {
            throw LedgerError("the copy does not verify: \(problems[0])")
        }
        return Report(copied: copied, alreadyPresent: handled - copied, hosts: hosts, verification: after)
    }
}
