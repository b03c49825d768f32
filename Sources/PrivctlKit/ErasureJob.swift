import FileSystem
import Foundation
import MailStores
import PrivacyEvents

/// `privctl erase`, `block`, `apply` and `expire` over live mail: the runs a selection needs,
/// the holds and requests they read from the ledger, and the "carried out" records after them.
public struct ErasureJob: Sendable {
    /// What to do.
    public enum Work: Sendable {
        /// Erase a person's mail, blocking what a legal duty still requires to keep.
        case erase(SubjectSelection)
        /// Block (restrict) a person's mail without erasing it.
        case block(SubjectSelection)
        /// Carry out every erasure request on record that names someone in the mail.
        case apply
        /// Erase what is due, and blocked mail whose block has ended (cron).
        case expire

        /// The command that does it, for messages.
        public var commandName: String {
            switch self {
            case .erase: return "erase"
            case .block: return "block"
            case .apply: return "apply"
            case .expire: return "expire"
            }
        }
    }

    /// Maildirs, mbox files, message files, or directories of them, as given.
    public var paths: [String]
    /// Show what would happen; change and record nothing.
    public var dryRun: Bool
    /// Seconds to wait for a locked mbox before skipping it, and for another run on this
    /// ledger (``RunLock``) before giving up.
    public var lockTimeout: TimeInterval
    /// Delete Dovecot header caches that still hold the subject.
    public var purgeCaches: Bool
    /// erase, block: the operator's reference (a ticket number), kept with the request.
    public var reference: String?

    public init(
        paths: [String], dryRun: Bool = false, lockTimeout: TimeInterval = 30, purgeCaches: Bool = false, reference: String? = nil
    ) {
        self.reference = reference
        self.paths = paths
        self.dryRun = dryRun
        self.lockTimeout = lockTimeout
        self.purgeCaches = purgeCaches
    }

    /// Whether the ledger holds an erasure request that this host has not carried out yet
    /// (`expire` applies those first).
    public func hasOutstandingRequests(context: PrivctlContext) throws -> Bool {
        let ledger = try context.ledger().ledger
        let host = context.host
        return try failing("cannot read requests from the ledger") {
            // Outstanding, or failed on an earlier run (a locked mailbox): applied again.
            let recorded = try ErasureRequests.results(in: ledger)
            return try ErasureRequests.all(in: ledger).contains { (recorded[$0.id]?[host] ?? .outstanding).stage < 2 }
        }
    }

    /// Does `work` on the mail under ``paths`` on the context's day; returns the receipt, or nil
    /// when there was nothing to run. `progress` gets the number of messages searched.
    public func run(_ work: Work, context: PrivctlContext, progress: (Int) -> Void = { _ in }) throws -> ErasureReceipt? {
        if let reference { try ErasureRequests.checkReference(reference) }
        let scan = try MailStoreFormats.scan(paths)
        let containers = scan.containers
        try context.requireStores(
            under: paths, in: containers, problems: scan.problems, noun: "mail (no Maildir, mbox, message file or archive)")
        let policy = try context.policy()
        let key = try context.key()
        let session = try context.ledger()
        if !dryRun { try context.lockRuns(for: work.commandName, timeout: lockTimeout) }
        let ledger = session.ledger
        let day = context.day
        let holds = try failing("cannot read legal holds from the ledger") { try LegalHold.active(in: ledger, on: day, key: key) }

        // One run per selection: the subject, or for expire the live stores and the blocked ones.
        var operation = ErasureRun.Operation.erase
        var runs: [(ErasureRun.Selection, [MailContainer])] = []
        var requests: [ErasureRequest] = []
        var subject: SubjectSelection?
        var recordedBlocks: Set<String> = []
        switch work {
        case .erase(let selection), .block(let selection):
            if case .block = work { operation = .block }
            subject = selection
            runs.append((.subject(selection.query), containers))
        case .apply:
            requests = try failing("cannot read requests from the ledger") { try ErasureRequests.all(in: ledger) }
            runs.append((.requests(Set(requests.flatMap(\.subjects))), containers))
            recordedBlocks = try PendingRequests.recordedBlocks(in: ledger)
        case .expire:
            operation = .expire
            runs.append((.due, containers))
            let blocked = try BlockedStores.containers(for: containers)
            if !blocked.isEmpty {
                let ends = try failing("cannot read block events from the ledger") { try BlockedStores.blockEnds(in: ledger) }
                runs.append((.blockEnded(ends), blocked))
            }
        }
        let subjects = subject?.pseudonyms(key) ?? []
        let absolutePaths = paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let startEvents = try failing("cannot read start events from the ledger") { try StartEvents.load(from: ledger) }
        var receipt: ErasureReceipt?
        for (selection, targets) in runs {
            var configuration = ErasureRun.Configuration(
                policy: policy, key: key, host: context.host, operation: operation, selection: selection,
                subjects: subjects, day: day, dryRun: dryRun, lockTimeout: lockTimeout, purgeCaches: purgeCaches,
                recordedBlocks: recordedBlocks, limits: context.limits, reference: reference)
            configuration.startEvents = startEvents
            let erasure = ErasureRun(
                configuration: configuration,
                ledger: dryRun ? nil : ledger, index: dryRun ? nil : session.index, holds: holds,
                logger: context.logger("privctl.\(operation.rawValue)"))
            // The places the scan could not search are listed as failed, once.
            let part = try erasure.run(
                containers: targets, paths: absolutePaths, problems: receipt == nil ? scan.problems : [], onProgress: progress)
            receipt = receipt.map { $0.merged(with: part) } ?? part
        }
        guard var receipt, !dryRun else { return receipt }
        switch work {
        case .erase where receipt.requestId != nil:
            // This host carried out its own request: on record for privctl request list.
            try failing("cannot record the request carried out") {
                if let request = try ErasureRequests.all(in: ledger).first(where: { $0.id == receipt.requestId }) {
                    let event = ErasureRequests.carriedOutEvent(
                        request: request, result: ErasureRequests.result(of: request, in: receipt), paths: absolutePaths,
                        host: context.host)
                    try ledger.append([event])
                    receipt.eventIds.append(event.id.rawValue)
                }
            }
        case .apply:
            // Record what this host did about each request it had not yet carried out.
            try failing("cannot record the requests carried out") {
                let events = try ErasureRequests.carriedOutEvents(
                    for: requests, in: ledger, receipt: receipt, paths: absolutePaths, host: context.host)
                try ledger.append(events)
                receipt.eventIds += events.map(\.id.rawValue)
            }
        case .expire where receipt.failed.isEmpty:
            // Blocked mail whose block ended was erased: those requests are now done here.
            try failing("cannot record the requests carried out") {
                let events = try ErasureRequests.blocksEndedEvents(in: ledger, day: day, paths: absolutePaths, host: context.host)
                try ledger.append(events)
                receipt.eventIds += events.map(\.id.rawValue)
            }
        default:
            break
        }
        return receipt
    }

    /// `privctl unblock`: returns the selection's blocked messages in the blocked stores beside
    /// the live stores under ``paths``, byte for byte, today.
    public func unblock(_ selection: SubjectSelection, context: PrivctlContext) throws -> ErasureReceipt {
        let (containers, problems) = try context.scan(paths)
        try context.requireStores(under: paths, in: containers, problems: problems, noun: "mail (no Maildir, mbox or message file)")
        let policy = try context.policy()
        let key = try context.key()
        let ledger = try context.ledger().ledger
        if !dryRun { try context.lockRuns(for: "unblock", timeout: lockTimeout) }
        var run = UnblockRun(
            policy: policy, key: key, host: context.host, query: selection.query, subjects: selection.pseudonyms(key),
            day: CalendarDay(Date()), dryRun: dryRun)
        run.limits = context.limits
        var blockedContent = Set<String>()
        try ledger.forEachEvent(matching: EventFilter(kinds: [.block])) { stored in
            if let hash = stored.event.location.contentHash { blockedContent.insert(hash) }
        }
        run.blockedContent = blockedContent
        var receipt = try run.run(containers: containers, paths: paths, ledger: dryRun ? nil : ledger)
        // What could not be searched is a failure here as in every run: its blocked mail stays.
        receipt.failed += problems.map(\.description)
        return receipt
    }
}

/// `body`'s value, or an error that says what was being done ("cannot read legal holds from the
/// ledger: …").
func failing<T>(_ doing: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw PrivctlError(.failed, path: "", problem: "\(doing): \(error)")
    }
}
