import Foundation
import PrivacyEvents

/// What an erase, block, unblock or expire run did, for the data protection officer: the
/// request, each message acted on and why, the verification, and the ledger events. It names
/// people only by pseudonym.
public struct ErasureReceipt: Sendable, Codable {
    /// What was done with a message.
    public enum Action: String, Sendable, Codable, Equatable {
        case erased
        case blocked
        /// Kept by a legal hold.
        case held
        case unblocked
        /// What `unblock --dry-run` would do.
        case wouldUnblock = "would unblock"
        /// To be erased or blocked, but the change could not be made (the reason says why; the
        /// failure is listed too).
        case unchanged = "left unchanged"
    }

    /// One message acted on (or, in a dry run, that would be).
    public struct Item: Sendable, Codable, Equatable {
        /// The message as classify names it: the file, or `MBOX#N`.
        public var path: String
        public var action: Action
        public var category: String
        /// Last day a legal duty requires keeping it (`YYYY-MM-DD`), or nil.
        @NullWhenAbsent public var retainUntil: String?
        /// Why this action: the duty and its law, the hold, the end of the retention period.
        public var reason: String
        /// GDPR basis and retention law of the category.
        public var legalBasis: String
        /// SHA-256 of the message's stored bytes.
        public var sha256: String
        /// Where the subject was found (header names, text parts).
        public var foundIn: [String]
        /// The ledger event recording the action (nil in a dry run or for `held`).
        @NullWhenAbsent public var eventId: String?
        /// For blocked messages: where they are kept now.
        @NullWhenAbsent public var blockedAt: String?
        /// For apply and scrub: the pseudonyms of pending requests found in it.
        public var requestSubjects: [String]? = nil
        /// Dry runs: the message's day, sender and subject, shown on a terminal only (never in
        /// JSON: receipts kept in files name messages by path and hash).
        public var preview: String? = nil

        // `preview` is never written: receipts kept in files name messages by path and hash.
        private enum CodingKeys: String, CodingKey {
            case path, action, category, retainUntil, reason, legalBasis, sha256, foundIn, eventId, blockedAt, requestSubjects
        }
    }

    /// What happened to one backup archive.
    public struct ArchiveReport: Sendable, Codable {
        public var archive: String
        /// Whether the archive was rewritten (false: nothing to remove, left alone).
        public var rewritten: Bool
        /// Members left out, and members from which messages were cut (mbox files).
        public var membersRemoved: [String]
        public var membersCut: [String]
        public var messagesRemoved: Int
        /// Uncompressed bytes removed.
        public var bytesRemoved: Int
        public var oldSize: Int
        public var newSize: Int
        /// scrub: the archive was deleted whole (on a dry run: would be), being older than
        /// `--max-age`; its day. Absent otherwise.
        public var deletedPastMaxAge: String? = nil
        /// scrub: the archive was not read, being unchanged since the scrub of this day with
        /// nothing in it due (the scrub index); absent when it was read.
        public var unchangedSince: String? = nil
        /// scrub, with ``unchangedSince``: the first day on which something in it becomes due
        /// (absent: nothing ever does).
        public var nextDue: String? = nil
    }

    /// The result of re-reading what was touched.
    public struct Verification: Sendable, Codable {
        /// True when every check passed.
        public var passed: Bool
        /// One line per check, passed or not.
        public var checks: [String]
    }

    public var operation: ErasureOperation
    /// The request's id (its ledger event), nil in a dry run.
    public var requestId: String?
    /// When the request was made (ISO 8601, UTC).
    public var requestTime: String
    /// The data subjects, as pseudonyms.
    public var subjects: [String]
    /// The day decisions were made for (`--at`, default today).
    public var day: String
    public var dryRun: Bool
    /// The paths searched.
    public var paths: [String]
    public var items: [Item]
    public var verification: Verification?
    /// Every ledger event written, in order.
    public var eventIds: [String]
    /// Copies outside the mail files that still hold the subject (mail server caches), with
    /// what clears them.
    public var residue: [String]
    /// Mailboxes left unchanged because they could not be changed safely (locked by another
    /// program, say), with the reason; run again for these.
    public var skipped: [String] = []
    /// Mailboxes where acting failed, with the error; what was done before is in ``items``.
    public var failed: [String] = []
    /// The backup archives reached, with what was removed from each.
    public var archives: [ArchiveReport] = []
    /// Changes of earlier, interrupted runs found in the write-ahead journal and recorded now.
    public var recovered: [String] = []

    /// This receipt and another of the same operation, as one (expire runs over live and
    /// blocked stores).
    public func merged(with other: ErasureReceipt) -> ErasureReceipt {
        var merged = self
        merged.items += other.items
        merged.eventIds += other.eventIds
        merged.residue += other.residue
        merged.skipped += other.skipped
        merged.failed += other.failed
        merged.archives += other.archives
        merged.recovered += other.recovered
        if let theirs = other.verification {
            let mine = verification ?? Verification(passed: true, checks: [])
            merged.verification = Verification(passed: mine.passed && theirs.passed, checks: mine.checks + theirs.checks)
        }
        return merged
    }

    /// Messages per action.
    public var counts: [String: Int] { items.reduce(into: [:]) { $0[$1.action.rawValue, default: 0] += 1 } }

    /// The receipt as one line of JSON (keys sorted).
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// What was done, or on a dry run what would be: "erased", "would erase".
    func label(_ action: Action) -> String {
        guard dryRun else { return action.rawValue }
        switch action {
        case .erased: return "would erase"
        case .blocked: return "would block"
        case .held: return "would keep (legal hold)"
        case .unblocked, .wouldUnblock: return "would unblock"
        case .unchanged: return action.rawValue
        }
    }

    /// The receipt as text a person reads; `showingMessages` adds each message's day, sender
    /// and subject on a dry run (for a terminal, not for a receipt kept in a file).
    public func text(showingMessages: Bool = false) -> String {
        var out = "privctl \(operation.rawValue) receipt\(dryRun ? " (dry run: nothing was changed)" : "")\n"
        out += "request:   \(requestId ?? "-") at \(requestTime), decided for \(day)\n"
        out += "subjects:  \(subjects.isEmpty ? "-" : subjects.joined(separator: ", "))\n"
        out += "searched:  \(escapingControls(paths.joined(separator: ", ")))\n"
        let byLabel = items.reduce(into: [String: Int]()) { $0[label($1.action), default: 0] += 1 }
        let summary = byLabel.sorted { $0.key < $1.key }.map { "\(formatCount($0.value)) \($0.key)" }.joined(separator: ", ")
        let result: String
        if !items.isEmpty {
            result = summary
        } else if failed.isEmpty {
            result = "no message found"
        } else {
            // Never "no message found" beside places that could not be searched.
            result = "nothing found where privctl could search; \(failed.count) location(s) failed (see FAILED below)"
        }
        out += "result:    \(result)\n\n"
        for item in items {
            out += "\(label(item.action).uppercased())  \(escapingControls(item.path))\n"
            if showingMessages, let preview = item.preview { out += "    message: \(preview)\n" }
            out += "    category \(item.category)"
            if let until = item.retainUntil { out += ", legal duty until \(until)" }
            out += "\n    reason: \(item.reason)\n    basis: \(item.legalBasis)\n    sha256: \(item.sha256)\n"
            if !item.foundIn.isEmpty { out += "    found in: \(item.foundIn.joined(separator: ", "))\n" }
            if let blockedAt = item.blockedAt { out += "    kept at: \(escapingControls(blockedAt))\n" }
            if let eventId = item.eventId { out += "    ledger event: \(eventId)\n" }
        }
        if let verification {
            out += "\nverification: \(verification.passed ? "passed" : "FAILED")\n"
            for check in verification.checks { out += "    \(escapingControls(check))\n" }
        }
        if !archives.isEmpty {
            out += "\narchives:\n"
            for a in archives {
                out += "    \(escapingControls(a.archive)): "
                if let day = a.deletedPastMaxAge {
                    out += "\(dryRun ? "would be deleted" : "deleted") whole (dated \(day), past --max-age)\n"
                    continue
                }
                if let day = a.unchangedSince {
                    out += "not read: unchanged since the scrub of \(day), nothing due"
                        + (a.nextDue.map { " before \($0)" } ?? "") + "\n"
                    continue
                }
                out += a.rewritten
                    ? "\(a.messagesRemoved) messages removed (\(a.membersRemoved.count) members, \(a.membersCut.count) mbox members cut, \(a.bytesRemoved) bytes); \(a.oldSize) -> \(a.newSize) bytes\n"
                    : "unchanged\n"
            }
        }
        for (title, lines) in [
            ("FAILED", failed), ("skipped (unchanged; run again)", skipped),
            ("recorded from interrupted runs", recovered), ("residue outside the mail files", residue),
        ] where !lines.isEmpty {
            out += "\n\(title):\n" + lines.map { "    \(escapingControls($0))\n" }.joined()
        }
        return out
    }
}
