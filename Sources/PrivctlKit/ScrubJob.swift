import FileSystem
import Foundation
import MailStores
import PrivacyEvents
import SQLiteLedger

/// `privctl scrub`: the nightly job over backup archives. Under the ledger's run lock (``RunLock``; two
/// recording runs never overlap), whole archives past `maxAgeDays` are deleted (``ArchiveExpiry``),
/// and the rest go through an ``ErasureRun`` with the `.scrub` selection: the mail of everyone
/// with an erasure request on record, mail past its backup retention, and server logs older
/// than `logDays`. The requests are then on record as carried out on these backups.
///
/// With the index (``ScrubIndex``, the default) an archive is read only when it is new or
/// changed, when what decides the scrub changed, or when something in it has become due; a
/// night with nothing new reads none.
public struct ScrubJob: Sendable {
    /// What a scrub did.
    public struct Result: Sendable {
        public var receipt: ErasureReceipt
        /// Archives considered.
        public var archivesChecked: Int
        /// Of those, archives not read: unchanged since the scrub that last read them, with
        /// nothing in them due (the scrub index).
        public var archivesUnchanged: Int = 0
        /// Whole archives past the maximum age: deleted, or on a dry run those that would be.
        public var expiredArchives: [ArchiveExpiry.Due]
        /// How many.
        public var expired: Int { expiredArchives.count }
        /// How long it took.
        public var seconds: Double
        /// Archives rewritten, and the messages and uncompressed bytes removed from them.
        public var rewritten: Int { receipt.archives.filter(\.rewritten).count }
        public var itemsRemoved: Int { receipt.archives.filter(\.rewritten).reduce(0) { $0 + $1.messagesRemoved } }
        public var bytesRemoved: Int { receipt.archives.filter(\.rewritten).reduce(0) { $0 + $1.bytesRemoved } }

        /// 1 when some archives failed, else 3 when a verification failed, else 0.
        public var exitStatus: ExitStatus {
            if !receipt.failed.isEmpty { return .failure }
            if let verification = receipt.verification, !verification.passed { return .verificationFailed }
            return .success
        }

        /// What the scrub reports to monitoring (``RunMetrics``).
        public var metrics: RunMetrics {
            RunMetrics(
                command: "scrub",
                values: [
                    ("archives_checked", "Archives considered by the last scrub.", Double(archivesChecked)),
                    ("archives_unchanged", "Archives the last scrub did not read: unchanged, nothing due.", Double(archivesUnchanged)),
                    ("archives_rewritten", "Archives rewritten by the last scrub.", Double(rewritten)),
                    ("archives_expired", "Whole archives deleted by the last scrub.", Double(expired)),
                    ("items_removed", "Messages and log members removed by the last scrub.", Double(itemsRemoved)),
                    ("bytes_removed", "Uncompressed bytes removed by the last scrub.", Double(bytesRemoved)),
                    ("errors", "Archives the last scrub could not process.", Double(receipt.failed.count)),
                    ("duration_seconds", "How long the last scrub took.", seconds),
                ],
                succeeded: exitStatus == .success)
        }
    }

    /// Archives, or directories searched for archives.
    public var paths: [String]
    /// Days server log members stay in backups after the archive's date.
    public var logDays: Int
    /// Delete whole archives older than this many days.
    public var maxAgeDays: Int?
    public var dryRun: Bool
    /// Whether the scrub index may spare reading unchanged archives (`--full` reads all, and
    /// records what it read).
    public var useIndex: Bool
    /// Seconds to wait for another run on this ledger (``RunLock``) before giving up.
    public var lockTimeout: TimeInterval

    public init(
        paths: [String], logDays: Int = 21, maxAgeDays: Int? = nil, dryRun: Bool = false, useIndex: Bool = true,
        lockTimeout: TimeInterval = 30
    ) {
        self.paths = paths
        self.useIndex = useIndex
        self.logDays = logDays
        self.maxAgeDays = maxAgeDays
        self.dryRun = dryRun
        self.lockTimeout = lockTimeout
    }

    /// Scrubs the archives under ``paths`` on the context's day.
    /// `progress` gets the number of messages searched so far.
    public func run(context: PrivctlContext, progress: (Int) -> Void = { _ in }) throws -> Result {
        let started = Date()
        // Links, FIFOs and unreadable entries under the paths are failures of the run, as for erase.
        let scan = try context.scan(paths)
        let archives = scan.containers.filter { $0.format.isBackup }
        let policy = try context.policy()
        let key = try context.key()
        let session = try context.ledger()
        try context.requireStores(under: paths, in: archives, problems: scan.problems, noun: "backup archives (tar, tar.gz, zip, …)")
        let ledger = session.ledger
        if !dryRun { try context.lockRuns(for: "scrub", timeout: lockTimeout) }
        let day = context.day
        let absolute = paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }

        let holds = try LegalHold.active(in: ledger, on: day, key: key)
        // Whole archives past the maximum age first: no need to scrub what goes anyway.
        var remaining = archives
        var expired: [ArchiveExpiry.Due] = []
        if let maxAgeDays {
            expired = ArchiveExpiry.due(archives, maxAgeDays: maxAgeDays, today: day, holds: holds)
            let gone = Set(expired.map(\.path))
            remaining = archives.filter { !gone.contains($0.path) }
        }
        let pending = try PendingRequests.erasureSubjects(in: ledger)
        let startEvents = try StartEvents.load(from: ledger)
        var configuration = ErasureRun.Configuration(
            policy: policy, key: key, host: context.host, operation: .scrub, selection: .scrub(pending: pending),
            subjects: [], day: day, dryRun: dryRun)
        configuration.logBackupDays = logDays
        configuration.recordedBlocks = try PendingRequests.recordedBlocks(in: ledger)
        configuration.limits = context.limits
        configuration.startEvents = startEvents
        // Archives unchanged since the scrub that last read them, with nothing due, are not read.
        // (--full reads them all, and records what it read.)
        let scrubIndex = dryRun
            ? nil
            : ScrubIndex(
                index: ArchiveScrubIndex(database: session.index.database), policy: policy, key: key, logDays: logDays,
                pending: pending, holds: holds, startEvents: startEvents, day: day)
        var unchanged: [ArchiveState] = []
        var rechecked: [ArchiveState] = []
        let identities = scrubIndex == nil ? [:] : try ScrubIndex.identities(of: remaining)
        if let scrubIndex, useIndex {
            (remaining, unchanged, rechecked) = try scrubIndex.partition(remaining, identities: identities)
        }
        let erasure = ErasureRun(
            configuration: configuration, ledger: dryRun ? nil : ledger, index: dryRun ? nil : session.index, holds: holds,
            logger: context.logger("privctl.scrub"))
        var read: [(MailContainer, CalendarDay?, Set<Pseudonym>)] = []
        var committed: [String: FileInfo] = [:]
        var receipt = try erasure.run(
            containers: remaining, paths: absolute, problems: scan.problems, onProgress: progress,
            onContainerRead: { read.append(($0, $1, $2)) }, onArchiveRewritten: { committed[$0.path] = $1 })
        if let scrubIndex {
            // Only what a run without failures read whole: left as it was, with the identity it
            // had before it was read; rewritten and verified, with the identity of the file
            // privctl committed (what it holds is what was read, less what was removed: everyone
            // it names is still among those the read found, and nothing left is due earlier).
            // Any other rewritten archive is read again next time.
            let rewritten = Set(receipt.archives.filter(\.rewritten).map(\.archive))
            let clean = receipt.failed.isEmpty && receipt.skipped.isEmpty
            let states: [ArchiveState] = !clean ? [] : read.compactMap { archive, nextDue, named in
                let identity: String? = rewritten.contains(archive.path)
                    ? committed[archive.path].map { ScrubIndex.identity(of: $0) } : identities[archive.path]
                return scrubIndex.state(of: archive, identity: identity, nextDue: nextDue, named: named)
            }
            let recorded = Set(states.map(\.path))
            // Archives not read because no new request can concern them: checked against these
            // requests now.
            try scrubIndex.index.update(
                record: states + (clean ? rechecked : []),
                forget: rewritten.filter { !recorded.contains($0) } + expired.map(\.path))
        }
        receipt.archives += unchanged.map { state in
            // Not read, and the same size before and after (it is unchanged).
            let size = ((try? FileSystem.info(atPath: state.path)) ?? nil)?.size ?? 0
            var report = ErasureReceipt.ArchiveReport(
                archive: state.path, rewritten: false, membersRemoved: [], membersCut: [], messagesRemoved: 0, bytesRemoved: 0,
                oldSize: size, newSize: size)
            report.unchangedSince = state.readOn.description
            report.nextDue = state.nextDue?.description
            return report
        }
        if !dryRun && receipt.failed.isEmpty {
            // The requests are carried out on these backups: on record per host.
            let events = try ErasureRequests.carriedOutEvents(
                for: try ErasureRequests.all(in: ledger), in: ledger, receipt: receipt, paths: absolute, host: context.host)
            try ledger.append(events)
            receipt.eventIds += events.map(\.id.rawValue)
        }
        if !dryRun {
            expired = expired.filter { due in
                do {
                    let event = try ArchiveExpiry.delete(due, maxAgeDays: maxAgeDays ?? 0, host: context.host)
                    try ledger.append([event])
                    receipt.eventIds.append(event.id.rawValue)
                    return true
                } catch {
                    receipt.failed.append("\(error)")
                    return false
                }
            }
        }
        receipt.archives += expired.map { due in
            var report = ErasureReceipt.ArchiveReport(
                archive: due.path, rewritten: false, membersRemoved: [], membersCut: [], messagesRemoved: 0, bytesRemoved: 0,
                oldSize: due.size, newSize: 0)
            report.deletedPastMaxAge = due.day.description
            return report
        }
        return Result(
            receipt: receipt, archivesChecked: archives.count, archivesUnchanged: unchanged.count, expiredArchives: expired,
            seconds: Date().timeIntervalSince(started))
    }
}

extension ScrubJob.Result {
    /// The whole archives deleted (on a dry run: that would be), one line each: data for stdout.
    public func expiredText(dryRun: Bool, today: CalendarDay) -> String {
        expiredArchives.map { due in
            "\(dryRun ? "would delete" : "deleted")  \(escapingControls(due.path))  dated \(due.day), "
                + "\(counted(today.daysSinceEpoch - due.day.daysSinceEpoch, "day")) old, \(formatBytes(due.size))\n"
        }.joined()
    }

    /// The run in one line for stderr: "privctl scrub: 8 archives checked, 334 items removed
    /// from 3 archives (1.2 MB), 1 archive deleted past --max-age, 0 errors, 1.2 s".
    public func summary(dryRun: Bool) -> String {
        let items = dryRun ? receipt.items.filter { $0.action == .erased } : []
        let removed = dryRun ? items.count : itemsRemoved
        let archives = dryRun ? Set(items.map { String($0.path.split(separator: "!").first ?? "") }).count : rewritten
        let bytes = dryRun ? "" : " (\(formatBytes(bytesRemoved)))"
        let notRead = archivesUnchanged > 0 ? " (\(formatCount(archivesUnchanged)) unchanged since their last scrub, not read)" : ""
        return "privctl scrub\(dryRun ? " (dry run)" : ""): \(counted(archivesChecked, "archive")) checked\(notRead), "
            + "\(counted(removed, "item")) \(dryRun ? "would be " : "")removed from \(counted(archives, "archive"))\(bytes), "
            + "\(counted(expired, "archive")) \(dryRun ? "would be " : "")deleted past --max-age, "
            + "\(counted(receipt.failed.count, "error")), " + String(format: "%.1f", seconds) + " s"
    }
}
