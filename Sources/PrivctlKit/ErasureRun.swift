import FileSystem
import Foundation
import Logging
import MailParsing
import MailStores
import PrivacyEvents
import RetentionPolicy
import SQLiteLedger
import SubjectSearch

/// `privctl erase` and `privctl block`: find every message of a data subject (or single
/// messages), decide per message, act, verify, and record.
///
/// The decision follows the policy on the run's day: a message whose category still carries a
/// legal retention duty is **blocked** (GDPR Art. 17(3)(b), Art. 18; "Sperrung") — moved into the
/// ``BlockedStore`` with a block event saying until when — and every other message is **erased**.
/// A message covered by a ``LegalHold`` is kept and named in the receipt. `block` restricts
/// without erasing (Art. 18(1)).
///
/// Order of work, so that a crash at any point loses nothing and records nothing false: the
/// request event is written first; then, per mailbox, the messages are acted on (Maildir: blocked
/// files moved, erased files overwritten and unlinked; mbox: one verified rewrite under the
/// mailbox locks, blocked copies appended to the blocked mbox before the rewrite replaces the
/// original) and the events for that mailbox are written; finally every touched mailbox is read
/// again and compared with what it held before.
public final class ErasureRun: Sendable {
    /// What to do with what is found.
    public typealias Operation = ErasureOperation

    /// Which messages a run acts on.
    public enum Selection: Sendable {
        /// Messages in which the query occurs (erase, block).
        case subject(SubjectQuery)
        /// Live messages past their retention period whose category says erase (expire).
        case due
        /// Blocked messages whose block has ended: the last day each must be kept, by content
        /// hash, from the block events (expire over a blocked store).
        case blockEnded([String: CalendarDay])
        /// Messages of anyone with a pending erasure request (their pseudonyms), and mail past
        /// its backup retention (scrub).
        case scrub(pending: Set<Pseudonym>)
        /// Messages of anyone with a pending erasure request, by pseudonym (apply, on a host that
        /// never saw the plain address).
        case requests(Set<Pseudonym>)
    }

    /// What a run needs.
    public struct Configuration: Sendable {
        public var policy: RetentionPolicy
        public var key: PseudonymKey
        public var host: String
        public var operation: Operation
        public var selection: Selection
        /// The requester's pseudonyms (addresses and names as given).
        public var subjects: [Pseudonym]
        /// The day decisions are made for.
        public var day: CalendarDay
        public var dryRun: Bool
        /// Seconds to wait for a locked mbox before skipping it.
        public var lockTimeout: TimeInterval
        /// Delete Dovecot header caches that still hold the subject (Dovecot rebuilds them).
        public var purgeCaches: Bool
        /// scrub: server log members are kept in backups this many days after the archive's date.
        public var logBackupDays: Int = 21
        /// scrub: block events already on record ("archive|item|sha256"), not recorded again.
        public var recordedBlocks: Set<String> = []
        /// How much is read into memory at once (`--max-message-size`).
        public var limits: ReadLimits = .standard
        /// The events retention periods start at (`privctl decide`), for deciding what is due.
        public var startEvents = StartEvents()
        /// erase, block: the operator's reference (a ticket number), kept with the request.
        public var reference: String?

        public init(
            policy: RetentionPolicy, key: PseudonymKey, host: String, operation: Operation, selection: Selection,
            subjects: [Pseudonym], day: CalendarDay, dryRun: Bool, lockTimeout: TimeInterval = 30,
            purgeCaches: Bool = false, recordedBlocks: Set<String> = [], limits: ReadLimits = .standard, reference: String? = nil
        ) {
            self.reference = reference
            self.limits = limits
            self.recordedBlocks = recordedBlocks
            self.policy = policy
            self.key = key
            self.host = host
            self.operation = operation
            self.selection = selection
            self.subjects = subjects
            self.day = day
            self.dryRun = dryRun
            self.lockTimeout = lockTimeout
            self.purgeCaches = purgeCaches
        }
    }

    /// A message that matched.
    struct Finding: Sendable {
        var stored: StoredMessage
        var contentHash: String
        var foundIn: [String]
        var messageID: String?
        var addressSubjects: [Pseudonym]
        var classification: Classification
        /// The scan-index key, so the index forgets the message once it is gone.
        var identity: String
        /// For expire: why it is due.
        var dueReason: String?
        /// scrub: whether a pending erasure request names someone in it.
        var requested = false
        /// scrub and apply: the pending pseudonyms found in it.
        var matchedSubjects: Set<Pseudonym> = []
        /// Dry runs: the message's day, sender and decoded subject, for a person to check the
        /// match before acting (never in a ledger or a stored receipt).
        var preview: String?
    }

    /// What is done with a finding.
    enum Decision: Sendable {
        case erase(reason: String)
        case block(reason: String, until: CalendarDay?)
        case held(LegalHold)

        /// Why, in one sentence.
        var reason: String {
            switch self {
            case .erase(let reason), .block(let reason, _): return reason
            case .held(let hold): return "legal hold \(hold.id): \(hold.reason)"
            }
        }

        /// What the decision does, as a past participle: "erased", "blocked", "held".
        var verb: String {
            switch self {
            case .erase: return "erased"
            case .block: return "blocked"
            case .held: return "held"
            }
        }
    }

    let configuration: Configuration
    private let matcher: SubjectMatcher?
    private let classifier: Classifier
    private let ledger: (any Ledger)?
    private let index: MessageIndex?
    private let journal: IntentJournal?
    private let holds: [LegalHold]
    private let logger: Logger

    public init(
        configuration: Configuration, ledger: (any Ledger)?, index: MessageIndex?, holds: [LegalHold],
        logger: Logger = Logger(label: "privctl.erase")
    ) {
        self.configuration = configuration
        if case .subject(let query) = configuration.selection {
            self.matcher = SubjectMatcher(query)
        } else {
            self.matcher = nil
        }
        self.classifier = Classifier(policy: configuration.policy)
        self.ledger = ledger
        self.index = index
        self.journal = index.map { IntentJournal(database: $0.database) }
        self.holds = holds
        self.logger = logger
    }

    /// Runs over `containers` (found under `paths`). `problems` are the places the locator
    /// could not search (links it does not follow, unreadable directories): they are listed as
    /// failed, and the run does not pass.
    ///
    /// - Throws: a ledger error when the request cannot be recorded (then nothing was changed);
    ///   a failure in one container is listed in the receipt and the others go on.
    ///
    /// - Parameter onContainerRead: called for each container whose every message was read,
    ///   before anything is changed; for a scrub, with the first day on which a message not acted
    ///   on now becomes due and everyone its messages name (the scrub index, ``ScrubIndex``).
    /// - Parameter onArchiveRewritten: called for each archive rewritten and verified, with the
    ///   new file as it was committed.
    public func run(
        containers: [MailContainer], paths: [String], problems: [PrivctlError] = [], onProgress: (Int) -> Void = { _ in },
        onContainerRead: (MailContainer, CalendarDay?, Set<Pseudonym>) -> Void = { _, _, _ in },
        onArchiveRewritten: (MailContainer, FileInfo) -> Void = { _, _ in }
    ) throws -> ErasureReceipt {
        let requestTime = Date()
        var receipt = ErasureReceipt(
            operation: configuration.operation, requestId: nil, requestTime: EventChain.timestamp(requestTime),
            subjects: configuration.subjects.map(\.rawValue), day: configuration.day.description,
            dryRun: configuration.dryRun, paths: paths, items: [], verification: nil, eventIds: [], residue: [])
        receipt.failed += problems.map { "\($0.path): \($0.problem); not searched" }

        // 1. Find, and 2. decide. A dry run keeps only each finding's line of the receipt, made
        // as soon as its container was read: memory grows by that line per message found, not
        // by the message as found (an mbox message's bytes among it).
        var plans: [(MailContainer, [(Finding, Decision)])] = []
        var examined = 0
        for container in containers {
            do {
                let scan = try find(in: container) { examined += $0; onProgress(examined) }
                receipt.failed += scan.unread.map { "\($0.path): \($0.problem); not searched" }
                if scan.unread.isEmpty { onContainerRead(container, scan.nextDue, scan.named) }
                guard !scan.findings.isEmpty || removesServerLogs(from: container) else {
                    if !configuration.dryRun { removeLeftovers(of: container) }
                    continue
                }
                let plan = scan.findings.map { ($0, decide($0)) }
                for (finding, decision) in plan {
                    // --verbose: each decision and why, before anything changes.
                    logger.debug("decided", metadata: [
                        "path": "\(escapingControls(finding.stored.displayPath))", "category": "\(finding.classification.category)",
                        "decision": "\(configuration.dryRun ? "would be " : "")\(decision.verb)",
                        "why": "\(escapingControls(decision.reason))",
                        "found-in": "\(escapingControls(finding.foundIn.joined(separator: "; ")))",
                    ])
                }
                if configuration.dryRun {
                    receipt.items += plan.map { item(for: $0.0, decision: $0.1, event: nil, blockedAt: nil) }
                } else {
                    plans.append((container, plan))
                }
            } catch {
                // A container that cannot be read (a corrupt archive, a link) is reported; the others go on.
                receipt.failed.append("\(Self.describe(error, at: container.path)); not searched")
            }
        }
        if configuration.dryRun { return receipt }
        guard let ledger else { throw LedgerError("erasure needs a ledger to record what it does") }
        receipt.recovered = try completeInterruptedRuns(ledger: ledger)

        // 3. The request, on record before anything changes (expire and scrub act on the
        //    policy, apply on requests already on record).
        var requestID: String?
        if case .subject = configuration.selection {
            let request = requestEvent(at: requestTime, paths: paths)
            try ledger.append([request])
            requestID = request.id.rawValue
            receipt.requestId = request.id.rawValue
            receipt.eventIds.append(request.id.rawValue)
        }

        // 4. Act per container, record, verify.
        var checks: [String] = []
        var passed = receipt.failed.isEmpty
        for (container, plan) in plans {
            let outcome: ContainerOutcome
            let prepared = prepare(container, plan: plan, requestID: requestID)
            // The evidence before the act: if it cannot be written, nothing is changed.
            let intent = prepared.intent
            if !intent.steps.isEmpty { try journal?.record(intent) }
            do {
                outcome = try act(on: container, prepared: prepared)
            } catch let error as PrivctlError where error.code == .locked {
                try journal?.remove(intent.id)
                // Nothing of this mailbox was changed; the request stays on record for the next run.
                receipt.skipped.append(error.description)
                receipt.items += unchangedItems(plan, reason: "the mailbox is locked by another program; skipped")
                continue
            } catch {
                // The format changes nothing when it throws; the journal entry goes.
                try journal?.remove(intent.id)
                receipt.failed.append("\(Self.describe(error, at: container.path)); \(container.path) is unchanged")
                receipt.items += unchangedItems(plan, reason: Self.describe(error, at: container.path))
                passed = false
                continue
            }
            do {
                try ledger.append(outcome.events)
            } catch {
                // The changes are made; the journal keeps their events for the next run.
                throw LedgerError(
                    "\(container.path) was changed, but its \(outcome.events.count) event(s) could not be recorded (\(error)); "
                        + "they wait in the erasure journal and the next erase, expire, apply or scrub records them")
            }
            try journal?.remove(intent.id)
            if let index { try forget(outcome.forgottenIdentities, in: container.path, index: index) }
            receipt.eventIds += outcome.events.map(\.id.rawValue)
            receipt.items += outcome.items
            receipt.failed += outcome.report.problems.map(\.description)
            checks += outcome.report.checks
            passed = passed && outcome.report.passed
            if container.format.isBackup, let rewrite = outcome.report.rewrite {
                receipt.archives.append(ErasureReceipt.ArchiveReport(
                    archive: container.path, rewritten: true, membersRemoved: rewrite.partsRemoved, membersCut: rewrite.partsCut,
                    messagesRemoved: outcome.events.filter { $0.kind == .erase }.count,
                    bytesRemoved: rewrite.bytesRemoved, oldSize: rewrite.oldSize, newSize: rewrite.newSize))
                if outcome.report.passed, let committed = rewrite.committed { onArchiveRewritten(container, committed) }
            }
        }
        // Dovecot's indexes in every folder searched, not only where mail was found: a cache can
        // outlive the messages (erased by an earlier run), and --purge-caches must still reach it.
        if case .subject(let query) = configuration.selection, !query.addresses.isEmpty {
            for container in containers {
                receipt.residue += container.format.residue(
                    in: container, occurs: { bytes in query.addresses.contains { $0.occurs(in: bytes) || $0.occursInEnvelope(bytes) } },
                    purge: configuration.purgeCaches)
            }
        }
        receipt.verification = ErasureReceipt.Verification(passed: passed, checks: checks)
        return receipt
    }

    /// Removes what a killed earlier run left beside a container that this run does not change
    /// (a change cleans up itself); a failure is logged, the run goes on.
    private func removeLeftovers(of container: MailContainer) {
        do {
            try container.format.removeLeftovers(of: container)
        } catch {
            logger.warning("could not remove what an interrupted run left", metadata: [
                "path": "\(escapingControls(container.path))", "problem": "\(error)",
            ])
        }
    }

    // MARK: - Find

    /// What searching one container found.
    struct ContainerScan {
        var findings: [Finding] = []
        /// Messages that could not be read (too large, a link, a FIFO, permissions).
        var unread: [PrivctlError] = []
        /// Scrub: the first day on which a message not acted on now becomes due, and everyone
        /// the container's messages name.
        var nextDue: CalendarDay?
        var named: Set<Pseudonym> = []
    }

    private func find(in container: MailContainer, progress: (Int) -> Void) throws -> ContainerScan {
        var scan = ContainerScan()
        var occurrences: [String: Int] = [:]
        func handle(_ batch: [StoredMessage]) throws {
            let results = parallelMap(batch) { self.examine($0) }
            for (stored, result) in zip(batch, results) {
                switch result {
                case .unread(let problem):
                    scan.unread.append(problem)
                case .examined(let hash, let finding, let facts):
                    if let facts {
                        if let due = facts.nextDue, scan.nextDue.map({ due < $0 }) ?? true { scan.nextDue = due }
                        scan.named.formUnion(facts.named)
                    }
                    var identity = stored.identity
                    if stored.identifiedByContent, let hash {
                        let n = occurrences[hash, default: 0]
                        occurrences[hash] = n + 1
                        identity = MessageIdentity.mbox(path: container.path, contentHash: hash, occurrence: n)
                    }
                    if var finding {
                        finding.identity = identity
                        scan.findings.append(finding)
                    }
                }
            }
            progress(batch.count)
        }
        try container.forEachBatch(limits: configuration.limits, handle)
        return scan
    }

    /// Removes the scan-index rows of messages erased or blocked from `container`: the row of
    /// each identity where it names this folder or a file no longer there (a message moved
    /// here since the last classify), and the row of its copy in this folder (see
    /// `MessageIdentity.copy`). A row of the same unique name for a file still in another
    /// folder belongs to that file and stays.
    private func forget(_ identities: [String], in container: String, index: MessageIndex) throws {
        guard !identities.isEmpty else { return }
        let keys = identities + identities.map { MessageIdentity.copy(of: $0, in: container) }
        let rows = try index.lookup(keys)
        var gone = rows.values.filter { $0.container == container || !$0.fileIsStillThere }.map(\.key)
        // A copy erased as a message file named on its own (`~/Maildir/.Sent/cur/FILE`): the
        // row of the copy whose file this was.
        let sub = FileSystem.split(FileSystem.split(container).directory).name
        for identity in identities where identity.hasPrefix("maildir:") && (sub == "cur" || sub == "new") {
            gone += try index.copyRows(of: identity)
                .filter { !$0.item.isEmpty && $0.container + "/" + $0.item == container && !$0.fileIsStillThere }.map(\.key)
        }
        try index.remove(gone)
    }

    /// What ``examine(_:)`` made of one message.
    enum Examination: Sendable {
        /// It could not be read: never silently skipped.
        case unread(PrivctlError)
        /// Its content hash (when it was needed) and, when it is selected, the finding; for a
        /// scrub, what the scrub index keeps of it (``ScrubFacts``).
        case examined(String?, Finding?, scrub: ScrubFacts? = nil)
    }

    /// What a scrub learns of one message for the scrub index (``ScrubIndex``).
    struct ScrubFacts: Sendable {
        /// The first day on which it becomes due, if it is not now.
        var nextDue: CalendarDay?
        /// Everyone it names, in headers and decoded text, as pseudonyms.
        var named: Set<Pseudonym>
    }

    /// Looks at one message: its content hash (always for mbox, where it is the identity) and,
    /// when it is selected, the finding. Runs on a worker thread.
    func examine(_ stored: StoredMessage) -> Examination {
        let raw: [UInt8]
        do {
            raw = try stored.readBytes(limits: configuration.limits)
        } catch {
            return .unread(error)
        }
        // Messages cut out of a file by byte range (mbox) are found again by content.
        var needsHash = stored.identifiedByContent || stored.byteRange != nil
        if case .blockEnded = configuration.selection { needsHash = true }
        if case .subject(let query) = configuration.selection, !query.contentHashes.isEmpty { needsHash = true }
        var hash: String? = needsHash ? ContentHash.sha256(raw) : nil
        let bytes = stored.parseableBytes(raw)
        let context = MessageContext(
            folder: stored.container.folder, ownDomains: configuration.policy.ownDomains,
            deliveryDate: stored.deliveredAt ?? Date(timeIntervalSince1970: 0))
        // The people in the header, worked out once for the start events and the finding.
        var headerPeople: Set<Pseudonym>?
        func people(_ message: MailMessage) -> Set<Pseudonym> {
            if let headerPeople { return headerPeople }
            let found = configuration.key.headerPseudonyms(of: message).everyone
            headerPeople = found
            return found
        }
        // The days of the start events on record for a message (none when none is recorded).
        func withEventDays(_ message: MailMessage) -> MessageContext {
            guard !configuration.startEvents.isEmpty else { return context }
            var dated = context
            dated.recordedEventDays = configuration.startEvents.days(
                subjects: people(message), messageIDHash: message.messageID.map(configuration.key.messageIDHash))
            return dated
        }

        var foundIn: [String] = []
        var matched: Set<Pseudonym> = []
        var dueReason: String?
        var scrubFacts: ScrubFacts?
        var message: MailMessage?
        var classification: Classification?
        switch configuration.selection {
        case .subject(let query):
            // Most messages are decided by a search of the raw bytes plus, when they have
            // encoded text parts or encoded-words, a search of those decoded; only a message
            // found is looked at whole (where she occurs, its classification).
            guard let matcher else { return .examined(hash, nil) }
            let rawHit = matcher.occursRaw(in: bytes)
            guard let parsed = try? MailMessage(bytes: bytes) else {
                // Not a message privctl can parse, but her address is in it: it is hers all the same.
                if rawHit { foundIn = ["message bytes (the message cannot be parsed)"] }
                if let hash, query.contentHashes.contains(hash) { foundIn.append("content hash") }
                break
            }
            let singleMessages = !query.messageIDs.isEmpty || !query.contentHashes.isEmpty
            guard rawHit || singleMessages || matcher.occursDecoded(in: parsed) else { return .examined(hash, nil) }
            foundIn = matcher.evidence(in: parsed, contentHash: hash)
            message = parsed
        case .due:
            message = try? MailMessage(bytes: bytes)
            let result = message.map { classifier.classify($0, context: withEventDays($0)) }
                ?? classifier.classifyUnreadable(context: context, reason: "unreadable")
            guard let expiresOn = result.expiresOn, expiresOn <= configuration.day,
                configuration.policy.category(result.category).map(result.schedule.endAction) == .erase
            else { return .examined(hash, nil) }
            classification = result
            foundIn = ["retention period of \(result.category) ended; due since \(expiresOn)"]
            dueReason = "the retention period ended: \(result.category), erase from \(expiresOn)"
        case .requests(let pending):
            if let parsed = try? MailMessage(bytes: bytes) {
                (foundIn, matched, _) = requestedIn(parsed, pending: pending)
                message = parsed
            } else {
                // Not a message privctl can parse, but an address in it is hers: hers all the
                // same, as for erase --subject.
                (foundIn, matched, _) = requestedIn(unparsable: bytes, pending: pending)
            }
        case .scrub(let pending):
            message = try? MailMessage(bytes: bytes)
            let result = message.map { classifier.classify($0, context: withEventDays($0)) }
                ?? classifier.classifyUnreadable(context: context, reason: "unreadable")
            classification = result
            var named: Set<Pseudonym> = []
            if let message {
                (foundIn, matched, named) = requestedIn(message, pending: pending)
            } else {
                (foundIn, matched, named) = requestedIn(unparsable: bytes, pending: pending)
            }
            // Past its retention, including the time copies may stay in backups.
            let end = result.schedule.backupExpiresOn ?? result.expiresOn
            let erasedAtEnd = configuration.policy.category(result.category).map(result.schedule.endAction) == .erase
            if foundIn.isEmpty {
                guard let end, end <= configuration.day, erasedAtEnd else {
                    return .examined(hash, nil, scrub: ScrubFacts(nextDue: erasedAtEnd ? end : nil, named: named))
                }
                foundIn = ["backup retention of \(result.category) ended on \(end)"]
                dueReason = "the retention period ended, backups included: \(result.category), \(end)"
                scrubFacts = ScrubFacts(nextDue: nil, named: [])  // erased now
            } else if let until = result.retainUntil, until >= configuration.day {
                // Requested but under a duty: blocked now, erased the day after the duty ends.
                scrubFacts = ScrubFacts(nextDue: until.adding(days: 1), named: named)
            } else {
                scrubFacts = ScrubFacts(nextDue: nil, named: [])  // erased now
            }
        case .blockEnded(let ends):
            guard let hash, let until = ends[hash], until < configuration.day else { return .examined(hash, nil) }
            message = try? MailMessage(bytes: bytes)
            foundIn = ["blocked until \(until)"]
            dueReason = "blocked until \(until) under a legal retention duty, which has ended"
        }
        guard !foundIn.isEmpty else { return .examined(hash, nil) }
        if hash == nil { hash = ContentHash.sha256(raw) }
        let requested: Bool = {
            if case .scrub = configuration.selection { return dueReason == nil }
            return false
        }()
        let subjects = message.map(people) ?? []
        if classification == nil {
            classification = message.map { classifier.classify($0, context: withEventDays($0)) }
                ?? classifier.classifyUnreadable(context: context, reason: "unreadable")
        }
        var light = stored
        light.bytes = nil  // the bytes are read again when acting; a finding must stay small
        return .examined(hash, Finding(
            stored: light, contentHash: hash!, foundIn: foundIn, messageID: message?.messageID,
            addressSubjects: subjects.sorted(), classification: classification!, identity: stored.identity,
            dueReason: dueReason, requested: requested, matchedSubjects: matched,
            preview: configuration.dryRun ? Self.preview(of: message) : nil), scrub: scrubFacts)
    }

    /// "2026-11-14  Erna <erna@gmx.de>  Kuchen am Samstag", each part shortened and made safe to print.
    static func preview(of message: MailMessage?) -> String {
        func short(_ text: String?) -> String {
            let safe = escapingControls(text ?? "-")
            return safe.count > 60 ? String(safe.prefix(59)) + "…" : safe
        }
        let day = message?.date.map { CalendarDay($0).description } ?? "no date"
        return "\(day)  \(short(message?.header.first("From")?.decodedText))  \(short(message?.subject))"
    }

    /// One line for an error.
    static func describe(_ error: any Error, at path: String) -> String {
        if let error = error as? PrivctlError { return error.path.isEmpty ? "\(path): \(error.problem)" : error.description }
        return "\(path): \(error)"
    }

    /// Where a message names someone with a pending request: the address fields and text parts
    /// whose addresses hash to one of `pending`, and which of them.
    /// ``requestedIn(_:pending:)`` for bytes that do not parse as a message: every address in
    /// them.
    private func requestedIn(unparsable bytes: [UInt8], pending: Set<Pseudonym>)
        -> (foundIn: [String], matched: Set<Pseudonym>, named: Set<Pseudonym>)
    {
        let named = Set(AddressExtractor.people(in: String(decoding: bytes, as: UTF8.self)).map { configuration.key.pseudonym(for: $0) })
        let matched = named.intersection(pending)
        return (matched.isEmpty ? [] : ["pending erasure request: message bytes (the message cannot be parsed)"], matched, named)
    }

    /// Where a message names someone with a pending request, whom, and everyone it names: the
    /// addresses of every header field (of the message and of messages attached to it, display
    /// names decoded), of its text parts and of its reports (delivery status), with the `@`
    /// also in its HTML and percent-encoded forms and each address also without its subaddress
    /// tag; what a search for her plain address finds (the scrub index keeps the last).
    private func requestedIn(_ message: MailMessage, pending: Set<Pseudonym>)
        -> (foundIn: [String], matched: Set<Pseudonym>, named: Set<Pseudonym>)
    {
        var found: [String] = []
        var matched = Set<Pseudonym>()
        var named = Set<Pseudonym>()
        func note(_ addresses: [String], as place: String) {
            let people = addresses.map { configuration.key.pseudonym(for: $0) }
            named.formUnion(people)
            let hits = people.filter(pending.contains)
            if !hits.isEmpty {
                if !found.contains(place) { found.append(place) }
                matched.formUnion(hits)
            }
        }
        for field in AddressField.allCases {
            // The address, and one written into the display name ("alice@example.org" <x@y>).
            note(message.addresses(field).flatMap { AddressExtractor.people(in: $0.address + " " + $0.name) }, as: field.rawValue)
        }
        // Every other header field of the message, and every field of the messages inside it
        // (a forwarded original, a bounced message's header).
        var entities: [(MIMEEntity, nested: Bool)] = [(message.root, false)]
        while let (entity, nested) = entities.popLast() {
            for field in entity.header.fields where nested || !Self.addressFieldNames.contains(field.name.lowercased()) {
                guard field.rawValue.contains(where: { $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "=") })
                else { continue }
                note(AddressExtractor.people(in: field.decodedText), as: nested ? "an attached message's \(field.name)" : field.name)
            }
            entities += entity.children.map { ($0, nested || entity.contentType.type.lowercased() == "message") }
        }
        for (n, part) in message.leafParts.enumerated() {
            let type = part.contentType.type.lowercased()
            let text: String?
            if type == "text" {
                text = message.text(of: part)
            } else if type == "message" || Self.isStructuredText(part.contentType) {
                // Delivery reports and the like (their fields name the recipients), and data
                // formats that are text (JSON, XML, form data).
                text = String(decoding: message.decodedBody(of: part), as: UTF8.self)
            } else {
                text = nil
            }
            guard let text else { continue }
            note(AddressExtractor.people(in: text), as: "text part \(n + 1) (\(part.contentType.essence.lowercased()))")
        }
        return (found.isEmpty ? [] : ["pending erasure request: " + found.joined(separator: ", ")], matched, named)
    }

    /// The names of the fields ``MailMessage/addresses(_:)`` parses, lower-cased.
    static let addressFieldNames = Set(AddressField.allCases.map { $0.rawValue.lowercased() })

    /// Attachments whose content is text in a data format: JSON, XML, form data, scripts.
    static func isStructuredText(_ type: MediaType) -> Bool {
        guard type.type.lowercased() == "application" else { return false }
        let subtype = type.subtype.lowercased()
        return ["json", "xml", "x-www-form-urlencoded", "javascript", "x-sh", "csv", "ld+json"].contains(subtype)
            || subtype.hasSuffix("+json") || subtype.hasSuffix("+xml")
    }

    // MARK: - Decide

    func decide(_ finding: Finding) -> Decision {
        let subjects = Set(configuration.subjects).union(finding.addressSubjects)
        if let hold = holds.first(where: {
            $0.covers(
                path: finding.stored.displayPath, messageIDHash: finding.messageID.map(configuration.key.messageIDHash),
                contentHash: finding.contentHash, subjects: subjects)
        }) {
            return .held(hold)
        }
        let category = configuration.policy.category(finding.classification.category)
        let law = category?.legalBasis.retentionLaw.map { " (\($0))" } ?? ""
        switch configuration.operation {
        case .expire:
            return .erase(reason: finding.dueReason ?? "the retention period ended")
        case .scrub:
            guard finding.requested else { return .erase(reason: finding.dueReason ?? "the retention period ended") }
            if let until = finding.classification.retainUntil, until >= configuration.day {
                return .block(
                    reason: "pending erasure request; legal retention duty until \(until)\(law): kept until then (GDPR Art. 17(3)(b))",
                    until: until)
            }
            return .erase(reason: "pending erasure request")
        case .block, .unblock:
            return .block(
                reason: "restricted at the data subject's request (GDPR Art. 18(1)); kept until unblocked",
                until: finding.classification.retainUntil)
        case .erase:
            if let until = finding.classification.retainUntil, until >= configuration.day {
                return .block(
                    reason: "legal retention duty until \(until)\(law): erasure not allowed yet (GDPR Art. 17(3)(b)); blocked instead",
                    until: until)
            }
            if let until = finding.classification.retainUntil {
                return .erase(reason: "the legal retention duty ended on \(until)\(law)")
            }
            return .erase(reason: "no legal retention duty applies to \(finding.classification.category)")
        }
    }

    // MARK: - Act

    /// What acting on one container did.
    struct ContainerOutcome {
        var report: ChangeReport
        var items: [ErasureReceipt.Item] = []
        var events: [PrivacyEvent] = []
        var forgottenIdentities: [String] = []
    }

    /// Whether a scrub removes server logs from this container: a backup whose logs are past
    /// their days in backups.
    private func removesServerLogs(from container: MailContainer) -> Bool {
        guard configuration.operation == .scrub, let day = container.format.backupDay(of: container) else { return false }
        return day.adding(days: configuration.logBackupDays) < configuration.day
    }

    /// A container's plan turned into changes and the events planned for them.
    struct PreparedContainer {
        var plan: [(Finding, Decision)]
        var changes: [MessageChange] = []
        /// Plan positions of the changes, in order.
        var changed: [Int] = []
        var kept: [StoredMessage] = []
        var removeLogs = false
        /// The event planned for each plan position that changes something.
        var planned: [Int: PrivacyEvent] = [:]
        var intent: ErasureIntent
    }

    /// Turns a container's plan into changes and plans their events (written to the journal
    /// before anything changes).
    private func prepare(_ container: MailContainer, plan: [(Finding, Decision)], requestID: String?) -> PreparedContainer {
        var prepared = PreparedContainer(
            plan: plan, intent: ErasureIntent(container: container.path, store: container.storePath, format: container.format.name, steps: []))
        let isBackup = container.format.isBackup
        for (position, (finding, decision)) in plan.enumerated() {
            let event: PrivacyEvent
            switch decision {
            case .erase(let reason):
                prepared.changes.append(MessageChange(message: finding.stored, contentHash: finding.contentHash, action: .erase))
                event = self.event(
                    .erase, finding, reason: isBackup ? reason + "; removed from the backup" : reason, requestID: requestID,
                    keepUntil: nil, location: nil, extra: [:])
            case .block(let reason, let until):
                prepared.changes.append(MessageChange(message: finding.stored, contentHash: finding.contentHash, action: .block))
                event = self.event(
                    .block, finding, reason: isBackup ? reason + "; the backup copy stays in the archive" : reason,
                    requestID: requestID, keepUntil: until, location: nil, extra: [:])
            case .held:
                prepared.kept.append(finding.stored)
                continue
            }
            prepared.changed.append(position)
            prepared.planned[position] = event
            // scrub and apply run again and again: a backup copy recorded as blocked is not again.
            let alreadyRecorded = isBackup && event.kind == .block
                && configuration.recordedBlocks.contains(Self.blockKey(container.path, finding.stored.item, finding.contentHash))
            if !alreadyRecorded {
                prepared.intent.steps.append(.init(
                    event: event, contentHash: finding.contentHash, leavesStore: !(isBackup && event.kind == .block)))
            }
        }
        prepared.removeLogs = removesServerLogs(from: container)
        return prepared
    }

    /// Has the container's format carry out the plan, then builds the events (with the planned
    /// ids) and receipt items from what it did.
    private func act(on container: MailContainer, prepared: PreparedContainer) throws -> ContainerOutcome {
        let residueCheck: (@Sendable ([UInt8]) -> Bool)?
        if case .subject(let query) = configuration.selection, !query.addresses.isEmpty {
            let scanners = query.addresses
            residueCheck = { bytes in scanners.contains { $0.occurs(in: bytes) } }
        } else {
            residueCheck = nil
        }
        let report: ChangeReport
        if prepared.changes.isEmpty && !prepared.removeLogs {
            removeLeftovers(of: container)
            report = ChangeReport(applied: [])
        } else {
            report = try container.format.apply(
                ChangeSet(prepared.changes, kept: prepared.kept, removeServerLogs: prepared.removeLogs), to: container,
                options: ChangeOptions(lockTimeout: configuration.lockTimeout, limits: configuration.limits, residueCheck: residueCheck))
        }
        var outcome = ContainerOutcome(report: report)
        var applied: [Int: ChangeReport.Applied] = [:]
        for (n, position) in prepared.changed.enumerated() { applied[position] = report.applied[n] }
        let store = BlockedStore(storePath: container.storePath)
        for (position, (finding, decision)) in prepared.plan.enumerated() {
            var event: PrivacyEvent?
            var blockedAt: String?
            if case .held = decision {
                outcome.items.append(item(for: finding, decision: decision, event: nil, blockedAt: nil))
                continue
            }
            guard let done = applied[position], done.done, var planned = prepared.planned[position] else {
                // Not changed (a refused blocked store, a message that changed meanwhile): named in
                // the receipt as left unchanged, with the reason; the failure itself is listed too.
                let reason = applied[position]?.problem?.problem ?? "not changed"
                logger.warning("message left unchanged", metadata: ["path": "\(finding.stored.displayPath)", "reason": "\(reason)"])
                var unchanged = item(for: finding, decision: decision, event: nil, blockedAt: nil)
                unchanged.action = .unchanged
                unchanged.reason = "was to be \(decision.verb), but: \(reason)"
                outcome.items.append(unchanged)
                continue
            }
            planned.details.merge(done.details) { _, new in new }
            if planned.kind == .block {
                if container.format.isBackup,
                    configuration.recordedBlocks.contains(Self.blockKey(container.path, finding.stored.item, finding.contentHash))
                {
                    continue
                }
                blockedAt = done.blockedAt
                if let target = done.blockedAt {
                    planned.location = DataLocation(
                        store: store.root, item: target, messageIDHash: finding.messageID.map(configuration.key.messageIDHash),
                        contentHash: finding.contentHash)
                    outcome.forgottenIdentities.append(finding.identity)
                }
            } else {
                outcome.forgottenIdentities.append(finding.identity)
            }
            event = planned
            outcome.events.append(planned)
            outcome.items.append(item(for: finding, decision: decision, event: event?.id.rawValue, blockedAt: blockedAt))
        }
        for part in report.removedParts {
            let day = container.format.backupDay(of: container).map(\.description) ?? "?"
            let reason = "server logs are kept in backups at most \(configuration.logBackupDays) days; the archive is of \(day)"
            let event = PrivacyEvent(
                host: configuration.host, kind: .erase, subjects: [], dataCategory: "server-log",
                purpose: "Operating and securing the servers; kept briefly for fault finding and abuse handling.",
                legalBasis: LegalBasis(.legitimateInterests),
                location: DataLocation(store: container.path, item: "!" + part.name, contentHash: part.contentHash),
                details: ["reason": reason, "archive": container.path, "request": "none: privctl scrub"])
            outcome.events.append(event)
            outcome.items.append(ErasureReceipt.Item(
                path: container.path + "!" + part.name, action: .erased, category: "server-log", retainUntil: nil,
                reason: reason, legalBasis: LegalBasis(.legitimateInterests).citation, sha256: part.contentHash,
                foundIn: ["server log member"], eventId: event.id.rawValue, blockedAt: nil))
        }
        return outcome
    }

    /// Records what runs that were killed, or could not write the ledger, did: each journal
    /// entry's changes that happened (the message is gone from its container) get their planned
    /// event; the entry then goes. Returns a line per entry for the receipt.
    private func completeInterruptedRuns(ledger: any Ledger) throws -> [String] {
        guard let journal else { return [] }
        var lines: [String] = []
        for intent in try journal.pending() {
            guard let format = MailStoreFormats.builtIn.first(where: { $0.name == intent.format }) else { continue }
            let container = MailContainer(format: format, path: intent.container, folder: "", storePath: intent.store)
            let live: ContentSnapshot
            do {
                live = try ContentSnapshot(of: container, limits: configuration.limits)
            } catch let error as PrivctlError where error.code == .notFound {
                live = ContentSnapshot()
            } catch {
                lines.append("\(intent.container): an interrupted run's changes cannot be checked yet (\(error)); kept in the journal")
                continue
            }
            let happened = intent.steps.filter { !$0.leavesStore || live.counts[$0.contentHash] == nil }.map { step in
                var event = step.event
                event.details["recordedBy"] = "a later run: the run that made this change was interrupted before recording it (write-ahead journal)"
                return event
            }
            try ledger.append(happened)
            try journal.remove(intent.id)
            lines.append("\(intent.container): \(happened.count) of \(intent.steps.count) planned change(s) of an interrupted run were made; recorded now")
        }
        return lines
    }

    /// Receipt items for what was found in a container that could not be changed at all: each
    /// message to erase or block, left unchanged, with the reason (held ones as held).
    private func unchangedItems(_ plan: [(Finding, Decision)], reason: String) -> [ErasureReceipt.Item] {
        plan.map { finding, decision in
            var entry = item(for: finding, decision: decision, event: nil, blockedAt: nil)
            if case .held = decision { return entry }
            entry.action = .unchanged
            entry.reason = "was to be \(decision.verb), but: \(reason)"
            return entry
        }
    }

    /// The key of a block event for ``Configuration/recordedBlocks``.
    static func blockKey(_ archive: String, _ item: String, _ hash: String) -> String {
        archive + "|" + item + "|" + hash
    }

    func event(
        _ kind: EventKind, _ finding: Finding, reason: String, requestID: String?, keepUntil: CalendarDay?,
        location: DataLocation?, extra: [String: String]
    ) -> PrivacyEvent {
        let category = configuration.policy.category(finding.classification.category)
        var details = extra
        details["request"] = requestID ?? "none: privctl \(configuration.operation.rawValue)"
        details["reason"] = reason
        details["foundIn"] = finding.foundIn.joined(separator: "; ")
        let item = finding.stored.item.isEmpty ? nil : finding.stored.item
        return PrivacyEvent(
            host: configuration.host, kind: kind,
            subjects: Array(Set(configuration.subjects).union(finding.addressSubjects)),
            dataCategory: finding.classification.category, purpose: category?.purpose ?? "",
            legalBasis: category?.legalBasis ?? LegalBasis(.legitimateInterests),
            location: location ?? DataLocation(
                store: finding.stored.container.path, item: item,
                messageIDHash: finding.messageID.map(configuration.key.messageIDHash), contentHash: finding.contentHash),
            keepUntil: keepUntil, legalDuty: kind == .block ? finding.classification.retainUntil != nil : nil,
            details: details)
    }

    private func requestEvent(at time: Date, paths: [String]) -> PrivacyEvent {
        let received = CalendarDay(time)
        var details = [
            "type": configuration.operation == .block ? "restriction (GDPR Art. 18)" : "erasure (GDPR Art. 17)",
            "received": received.description,
            // GDPR Art. 12(3): without undue delay, at the latest within one month of receipt.
            "deadline": received.adding(months: 1).description,
            "scope": paths.joined(separator: "\n"),
        ]
        details["reference"] = configuration.reference
        if case .subject(let query) = configuration.selection, !query.messageIDs.isEmpty || !query.contentHashes.isEmpty {
            details["messages"] = String(query.messageIDs.count + query.contentHashes.count)
        }
        return PrivacyEvent(
            time: time, host: configuration.host, kind: .request, subjects: configuration.subjects, dataCategory: "request",
            purpose: "A data subject's request, kept so that every later run and every restored backup applies it.",
            legalBasis: LegalBasis(.legalObligation, retentionLaw: "GDPR Art. 12(3), 17, 18"),
            location: DataLocation(store: paths.first ?? "*"), details: details)
    }

    func item(for finding: Finding, decision: Decision, event: String?, blockedAt: String?) -> ErasureReceipt.Item {
        let category = configuration.policy.category(finding.classification.category)
        let action: ErasureReceipt.Action
        let reason: String
        switch decision {
        case .erase(let why):
            action = .erased
            reason = why
        case .block(let why, _):
            action = .blocked
            reason = why
        case .held(let hold):
            action = .held
            reason = "legal hold \(hold.id): \(hold.reason)"
        }
        return ErasureReceipt.Item(
            path: finding.stored.displayPath, action: action, category: finding.classification.category,
            retainUntil: finding.classification.retainUntil?.description, reason: reason,
            legalBasis: category?.legalBasis.citation ?? "", sha256: finding.contentHash, foundIn: finding.foundIn,
            eventId: event, blockedAt: blockedAt,
            requestSubjects: finding.matchedSubjects.isEmpty ? nil : finding.matchedSubjects.map(\.rawValue).sorted(),
            preview: finding.preview)
    }

}
