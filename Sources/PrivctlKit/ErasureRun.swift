import Archives
import Erasure
import Foundation
import Logging
import MailParsing
import MailStores
import PrivacyEvents
import RetentionPolicy
import SQLiteLedger

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
    public enum Operation: String, Sendable {
        /// Erase, or block where a legal duty forbids erasure.
        case erase
        /// Block (restrict) everything found.
        case block
        /// Erase what the policy says is due (cron), except what a hold keeps.
        case expire
        /// Apply pending erasure requests and the backup retention to archives (cron).
        case scrub
    }

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

        public init(
            policy: RetentionPolicy, key: PseudonymKey, host: String, operation: Operation, selection: Selection,
            subjects: [Pseudonym], day: CalendarDay, dryRun: Bool, lockTimeout: TimeInterval = 30,
            purgeCaches: Bool = false, recordedBlocks: Set<String> = []
        ) {
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
        /// For a message in a backup archive: the member holding it.
        var archiveMember: Int?
        /// scrub: whether a pending erasure request names someone in it.
        var requested = false
        /// scrub and apply: the pending pseudonyms found in it.
        var matchedSubjects: Set<Pseudonym> = []
    }

    /// What is done with a finding.
    enum Decision: Sendable {
        case erase(reason: String)
        case block(reason: String, until: CalendarDay?)
        case held(LegalHold)
    }

    let configuration: Configuration
    private let matcher: SubjectMatcher?
    private let classifier: Classifier
    private let ledger: (any Ledger)?
    private let index: MessageIndex?
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
        self.holds = holds
        self.logger = logger
    }

    /// Runs over `containers` (found under `paths`).
    ///
    /// - Throws: ``ErasureError`` or a ledger error when acting or recording fails; what was
    ///   done before is recorded, what was not is unchanged.
    public func run(containers: [MailContainer], paths: [String], onProgress: (Int) -> Void = { _ in }) throws -> ErasureReceipt {
        let requestTime = Date()
        var receipt = ErasureReceipt(
            operation: configuration.operation.rawValue, requestId: nil, requestTime: EventChain.timestamp(requestTime),
            subjects: configuration.subjects.map(\.rawValue), day: configuration.day.description,
            dryRun: configuration.dryRun, paths: paths, items: [], verification: nil, eventIds: [], residue: [])

        // 1. Find.
        var found: [(container: MailContainer, findings: [Finding])] = []
        var archives: [String: [ArchiveMail.Member]] = [:]
        var examined = 0
        for container in containers {
            let findings: [Finding]
            if container.kind == .archive {
                do {
                    let scan = try findInArchive(container) { examined += $0; onProgress(examined) }
                    findings = scan.findings
                    archives[container.path] = scan.members
                } catch {
                    // A corrupt or unreadable archive is reported; the others go on.
                    receipt.failed.append("\(container.path): \(Self.describe(error))")
                    continue
                }
            } else {
                findings = try find(in: container) { examined += $0; onProgress(examined) }
            }
            if !findings.isEmpty || (configuration.operation == .scrub && container.kind == .archive) {
                found.append((container, findings))
            }
        }

        // 2. Decide.
        let plans = found.map { entry in (entry.container, entry.findings.map { ($0, decide($0)) }) }
        if configuration.dryRun {
            receipt.items = plans.flatMap { _, plan in plan.map { item(for: $0.0, decision: $0.1, event: nil, blockedAt: nil) } }
            return receipt
        }
        guard let ledger else { throw LedgerError("erasure needs a ledger to record what it does") }

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

        // 4. Act per mailbox, record, verify.
        var checks: [String] = []
        var passed = true
        for (container, plan) in plans {
            if container.kind == .archive {
                do {
                    let result = try actOnArchive(
                        container, plan: plan, members: archives[container.path] ?? [], requestID: requestID)
                    try ledger.append(result.outcome.events)
                    try index?.remove(result.outcome.forgottenIdentities)
                    receipt.eventIds += result.outcome.events.map(\.id.rawValue)
                    receipt.items += result.outcome.items
                    receipt.archives.append(result.report)
                    checks += result.checks
                    passed = passed && result.passed
                } catch {
                    receipt.failed.append("\(container.path): \(Self.describe(error)); the archive is unchanged")
                    passed = false
                }
                continue
            }
            let before = try snapshot(container)
            var outcome = Outcome()
            do {
                try act(on: container, plan: plan, requestID: requestID, into: &outcome)
            } catch let error as ErasureError where error.problem.contains("locked by another program") {
                // Nothing of this mailbox was changed; the request stays on record for the next run.
                receipt.skipped.append(error.description)
                continue
            } catch {
                // What was done before the failure is recorded; the other mailboxes go on.
                try ledger.append(outcome.events)
                try index?.remove(outcome.forgottenIdentities)
                receipt.eventIds += outcome.events.map(\.id.rawValue)
                receipt.items += outcome.items
                receipt.failed.append("\(error)")
                passed = false
                continue
            }
            try ledger.append(outcome.events)
            receipt.eventIds += outcome.events.map(\.id.rawValue)
            receipt.items += outcome.items
            try index?.remove(outcome.forgottenIdentities)
            let verification = try verify(container, before: before, removed: outcome.removedHashes, blocked: outcome.blockedHashes)
            checks += verification.checks
            passed = passed && verification.passed
            receipt.residue += try residue(in: container)
        }
        receipt.verification = ErasureReceipt.Verification(passed: passed, checks: checks)
        return receipt
    }

    // MARK: - Find

    private func find(in container: MailContainer, progress: (Int) -> Void) throws -> [Finding] {
        var findings: [Finding] = []
        var occurrences: [String: Int] = [:]
        func handle(_ batch: [StoredMessage]) throws {
            let results = parallelMap(batch) { self.examine($0) }
            for (stored, result) in zip(batch, results) {
                guard case .some(let (hash, finding)) = result else { continue }
                var identity = stored.identity
                if container.kind == .mbox, let hash {
                    let n = occurrences[hash, default: 0]
                    occurrences[hash] = n + 1
                    identity = MessageIdentity.mbox(path: container.path, contentHash: hash, occurrence: n)
                }
                if var finding {
                    finding.identity = identity
                    findings.append(finding)
                }
            }
            progress(batch.count)
        }
        try container.forEachBatch(handle)
        return findings
    }

    /// Looks at one message: its content hash (always for mbox, where it is the identity) and,
    /// when it is selected, the finding. Runs on a worker thread.
    func examine(_ stored: StoredMessage) -> (String?, Finding?)? {
        guard let raw = try? stored.readBytes() else { return nil }
        let isMbox = stored.container.kind == .mbox || (stored.container.kind == .archive && stored.item.contains("#"))
        var needsHash = isMbox
        if case .blockEnded = configuration.selection { needsHash = true }
        if case .subject(let query) = configuration.selection, !query.contentHashes.isEmpty { needsHash = true }
        var hash: String? = needsHash ? ContentHash.sha256(raw) : nil
        let bytes = isMbox ? MboxFile.unescape(raw) : raw
        let context = MessageContext(
            folder: stored.container.folder, ownDomains: configuration.policy.ownDomains,
            deliveryDate: stored.deliveredAt ?? Date(timeIntervalSince1970: 0))

        var foundIn: [String] = []
        var matched: Set<Pseudonym> = []
        var dueReason: String?
        var message: MailMessage?
        var classification: Classification?
        switch configuration.selection {
        case .subject(let query):
            // Most messages are decided by a search of the raw bytes plus, when they have
            // encoded text parts or encoded-words, a look at the decoded text.
            guard let matcher else { return (hash, nil) }
            let rawHit = matcher.occursRaw(in: bytes)
            guard let parsed = try? MailMessage(bytes: bytes) else {
                // Not a message privctl can parse, but her address is in it: it is hers all the same.
                if rawHit { foundIn = ["message bytes (the message cannot be parsed)"] }
                if let hash, query.contentHashes.contains(hash) { foundIn.append("content hash") }
                break
            }
            let singleMessages = !query.messageIDs.isEmpty || !query.contentHashes.isEmpty
            guard rawHit || singleMessages || matcher.needsDecoding(parsed) else { return (hash, nil) }
            foundIn = matcher.evidence(in: parsed, contentHash: hash)
            message = parsed
        case .due:
            message = try? MailMessage(bytes: bytes)
            let result = message.map { classifier.classify($0, context: context) }
                ?? classifier.classifyUnreadable(context: context, reason: "unreadable")
            guard let expiresOn = result.expiresOn, expiresOn <= configuration.day,
                configuration.policy.category(result.category)?.atEnd == .erase
            else { return (hash, nil) }
            classification = result
            foundIn = ["retention period of \(result.category) ended; due since \(expiresOn)"]
            dueReason = "the retention period ended: \(result.category), erase from \(expiresOn)"
        case .requests(let pending):
            guard let parsed = try? MailMessage(bytes: bytes) else { return (hash, nil) }
            (foundIn, matched) = requestedIn(parsed, pending: pending)
            message = parsed
        case .scrub(let pending):
            message = try? MailMessage(bytes: bytes)
            let result = message.map { classifier.classify($0, context: context) }
                ?? classifier.classifyUnreadable(context: context, reason: "unreadable")
            classification = result
            if let message, !pending.isEmpty {
                (foundIn, matched) = requestedIn(message, pending: pending)
            }
            if foundIn.isEmpty {
                // Past its retention, including the time copies may stay in backups.
                let end = result.schedule.backupExpiresOn ?? result.expiresOn
                guard let end, end <= configuration.day, configuration.policy.category(result.category)?.atEnd == .erase
                else { return (hash, nil) }
                foundIn = ["backup retention of \(result.category) ended on \(end)"]
                dueReason = "the retention period ended, backups included: \(result.category), \(end)"
            }
        case .blockEnded(let ends):
            guard let hash, let until = ends[hash], until < configuration.day else { return (hash, nil) }
            message = try? MailMessage(bytes: bytes)
            foundIn = ["blocked until \(until)"]
            dueReason = "blocked until \(until) under a legal retention duty, which has ended"
        }
        guard !foundIn.isEmpty else { return (hash, nil) }
        if hash == nil { hash = ContentHash.sha256(raw) }
        let requested: Bool = {
            if case .scrub = configuration.selection { return dueReason == nil }
            return false
        }()
        var subjects = Set<Pseudonym>()
        for field in [AddressField.from, .sender, .replyTo, .to, .cc, .bcc] {
            for address in message?.addresses(field) ?? [] where address.address.contains("@") {
                subjects.insert(configuration.key.pseudonym(for: address.address))
            }
        }
        if classification == nil {
            classification = message.map { classifier.classify($0, context: context) }
                ?? classifier.classifyUnreadable(context: context, reason: "unreadable")
        }
        var light = stored
        light.bytes = nil  // the bytes are read again when acting; a finding must stay small
        return (hash, Finding(
            stored: light, contentHash: hash!, foundIn: foundIn, messageID: message?.messageID,
            addressSubjects: subjects.sorted(), classification: classification!, identity: stored.identity,
            dueReason: dueReason, requested: requested, matchedSubjects: matched))
    }

    /// One line for an error.
    static func describe(_ error: any Error) -> String {
        if let error = error as? ArchiveError { return error.problem }
        if let error = error as? ErasureError { return error.problem }
        if let error = error as? StoreError { return error.problem }
        return "\(error)"
    }

    /// Where a message names someone with a pending request: the address fields and text parts
    /// whose addresses hash to one of `pending`, and which of them.
    private func requestedIn(_ message: MailMessage, pending: Set<Pseudonym>) -> (foundIn: [String], matched: Set<Pseudonym>) {
        var found: [String] = []
        var matched = Set<Pseudonym>()
        for field in AddressField.allCases {
            let hits = message.addresses(field).map { configuration.key.pseudonym(for: $0.address) }.filter(pending.contains)
            if !hits.isEmpty {
                found.append(field.rawValue)
                matched.formUnion(hits)
            }
        }
        for (n, part) in message.leafParts.enumerated() where part.contentType.type.lowercased() == "text" {
            guard let text = message.text(of: part) else { continue }
            let hits = AddressExtractor.addresses(in: text).map { configuration.key.pseudonym(for: $0) }.filter(pending.contains)
            if !hits.isEmpty {
                found.append("text part \(n + 1) (\(part.contentType.essence.lowercased()))")
                matched.formUnion(hits)
            }
        }
        return (found.isEmpty ? [] : ["pending erasure request: " + found.joined(separator: ", ")], matched)
    }

    // MARK: - Decide

    func decide(_ finding: Finding) -> Decision {
        let subjects = Set(configuration.subjects).union(finding.addressSubjects)
        if let hold = holds.first(where: {
            $0.covers(
                path: finding.stored.displayPath, messageID: finding.messageID, contentHash: finding.contentHash,
                subjects: subjects)
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
        case .block:
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

    struct Outcome {
        var items: [ErasureReceipt.Item] = []
        var events: [PrivacyEvent] = []
        var removedHashes: [String] = []
        var blockedHashes: [String] = []
        var forgottenIdentities: [String] = []
    }

    private func act(
        on container: MailContainer, plan: [(Finding, Decision)], requestID: String?, into outcome: inout Outcome
    ) throws {
        let blocked = BlockedStore(storePath: container.kind == .maildirFolder ? container.storePath : container.path)
        func record(_ finding: Finding, _ decision: Decision, blockedAt: String?, details: [String: String]) {
            var event: PrivacyEvent?
            switch decision {
            case .held:
                break
            case .erase(let reason):
                event = self.event(.erase, finding, reason: reason, requestID: requestID, keepUntil: nil, location: nil, extra: details)
                outcome.removedHashes.append(finding.contentHash)
            case .block(let reason, let until):
                event = self.event(
                    .block, finding, reason: reason, requestID: requestID, keepUntil: until,
                    location: blockedAt.map { DataLocation(store: blocked.root, item: $0, messageID: finding.messageID, contentHash: finding.contentHash) },
                    extra: details)
                outcome.removedHashes.append(finding.contentHash)
                outcome.blockedHashes.append(finding.contentHash)
            }
            if let event { outcome.events.append(event) }
            if case .held = decision {} else { outcome.forgottenIdentities.append(finding.identity) }
            outcome.items.append(item(for: finding, decision: decision, event: event?.id.rawValue, blockedAt: blockedAt))
        }

        switch container.kind {
        case .maildirFolder, .messageFile:
            let eraser = MaildirEraser(storePath: container.kind == .maildirFolder ? container.storePath : DurableFile.directory(of: container.path))
            for (finding, decision) in plan {
                guard let path = finding.stored.filePath else { continue }
                switch decision {
                case .held:
                    record(finding, decision, blockedAt: nil, details: [:])
                case .erase:
                    let result = try eraser.erase(path)
                    var details = ["overwritten": result.overwritten ? "yes" : "no"]
                    if result.removedPaths.count > 1 { details["hardLinksRemoved"] = "\(result.removedPaths.count - 1)" }
                    if result.linksLeftElsewhere > 0 { details["linksOutsideStore"] = "\(result.linksLeftElsewhere)" }
                    record(finding, decision, blockedAt: nil, details: details)
                case .block:
                    let target = container.kind == .maildirFolder
                        ? try blocked.block(maildirFile: path) : try blocked.block(file: path)
                    record(finding, decision, blockedAt: target, details: ["livePath": path])
                }
            }
        case .archive:
            break  // see actOnArchive
        case .mbox:
            let remove = Set(plan.compactMap { finding, decision -> String? in
                if case .held = decision { return nil }
                return finding.contentHash
            })
            let blockHashes = Set(plan.compactMap { finding, decision -> String? in
                if case .block = decision { return finding.contentHash }
                return nil
            })
            let rewriter = MboxRewriter(path: container.path, lockTimeout: configuration.lockTimeout)
            let result = try rewriter.remove(contentHashes: remove) { removed in
                let toBlock = removed.filter { blockHashes.contains($0.contentHash) }
                try MboxAppender(path: blocked.blockedMbox, lockTimeout: configuration.lockTimeout)
                    .append(toBlock.map(\.storedBytes))
            }
            let removedHashes = Set(result.removed.map(\.contentHash))
            for (finding, decision) in plan {
                if case .held = decision {
                    record(finding, decision, blockedAt: nil, details: [:])
                    continue
                }
                // A message the rewrite did not find (changed since it was found) is not claimed.
                guard removedHashes.contains(finding.contentHash) else {
                    logger.warning("message changed before it could be removed", metadata: ["path": "\(finding.stored.displayPath)"])
                    continue
                }
                if case .block = decision {
                    record(finding, decision, blockedAt: blocked.blockedMbox, details: ["livePath": finding.stored.displayPath])
                } else {
                    record(finding, decision, blockedAt: nil, details: ["mboxSizeBefore": "\(result.oldSize)", "mboxSizeAfter": "\(result.newSize)"])
                }
            }
        }
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
                store: finding.stored.container.path, item: item, messageID: finding.messageID,
                contentHash: finding.contentHash),
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
        let action: String
        let reason: String
        switch decision {
        case .erase(let why):
            action = "erased"
            reason = why
        case .block(let why, _):
            action = "blocked"
            reason = why
        case .held(let hold):
            action = "held"
            reason = "legal hold \(hold.id): \(hold.reason)"
        }
        return ErasureReceipt.Item(
            path: finding.stored.displayPath, action: action, category: finding.classification.category,
            retainUntil: finding.classification.retainUntil?.description, reason: reason,
            legalBasis: category?.legalBasis.citation ?? "", sha256: finding.contentHash, foundIn: finding.foundIn,
            eventId: event, blockedAt: blockedAt,
            requestSubjects: finding.matchedSubjects.isEmpty ? nil : finding.matchedSubjects.map(\.rawValue).sorted())
    }

    // MARK: - Verify

    /// The content hashes of every message of a container, as a multiset.
    private func snapshot(_ container: MailContainer) throws -> [String: Int] {
        var hashes: [String: Int] = [:]
        func handle(_ batch: [StoredMessage]) {
            for hash in parallelMap(batch, { (try? $0.readBytes()).map(ContentHash.sha256) }) {
                if let hash { hashes[hash, default: 0] += 1 }
            }
        }
        try container.forEachBatch(handle)
        return hashes
    }

    private func verify(
        _ container: MailContainer, before: [String: Int], removed: [String], blocked: [String]
    ) throws -> ErasureReceipt.Verification {
        let after = try snapshot(container)
        var expected = before
        for hash in removed {
            // Identical copies of a removed message were removed with it.
            expected[hash] = nil
        }
        var checks: [String] = []
        var passed = true
        let missing = expected.filter { after[$0.key, default: 0] < $0.value }
        let remaining = removed.filter { after[$0] != nil }
        let total = after.values.reduce(0, +)
        if missing.isEmpty {
            checks.append("\(container.path): all \(expected.values.reduce(0, +)) other messages unchanged")
        } else {
            passed = false
            checks.append("\(container.path): FAILED: \(missing.count) other messages changed or missing")
        }
        if remaining.isEmpty {
            checks.append("\(container.path): none of the \(Set(removed).count) removed messages remains")
        } else {
            passed = false
            checks.append("\(container.path): FAILED: \(remaining.count) removed messages are still there")
        }
        let extra = total - expected.values.reduce(0, +)
        if extra > 0 { checks.append("\(container.path): \(extra) messages arrived meanwhile (not touched)") }
        if !blocked.isEmpty {
            let store = BlockedStore(storePath: container.kind == .maildirFolder ? container.storePath : container.path)
            let kept = try blockedHashes(store, kind: container.kind)
            let absent = blocked.filter { kept[$0] == nil }
            if absent.isEmpty {
                checks.append("\(store.root): holds all \(blocked.count) blocked messages")
            } else {
                passed = false
                checks.append("\(store.root): FAILED: \(absent.count) blocked messages are not there")
            }
        }
        return ErasureReceipt.Verification(passed: passed, checks: checks)
    }

    private func blockedHashes(_ store: BlockedStore, kind: MailContainer.Kind) throws -> [String: Int] {
        var hashes: [String: Int] = [:]
        if kind == .mbox {
            guard FileManager.default.fileExists(atPath: store.blockedMbox) else { return [:] }
            let container = MailContainer(kind: .mbox, url: URL(fileURLWithPath: store.blockedMbox), folder: "")
            try MboxFile(container).forEachBatch { batch in
                for message in batch { hashes[ContentHash.sha256(message.bytes ?? []), default: 0] += 1 }
            }
        } else {
            for file in store.blockedMaildirFiles() + store.blockedSingleFiles() {
                if let bytes = FileManager.default.contents(atPath: file.blocked) {
                    hashes[ContentHash.sha256([UInt8](bytes)), default: 0] += 1
                }
            }
        }
        return hashes
    }

    // MARK: - Residue

    /// Dovecot's files in a touched Maildir folder that still hold one of the addresses.
    private func residue(in container: MailContainer) throws -> [String] {
        guard container.kind == .maildirFolder, case .subject(let query) = configuration.selection,
            !query.addresses.isEmpty
        else { return [] }
        var lines: [String] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: container.path)) ?? []
        for name in names.sorted() where name.hasPrefix("dovecot.index") || name == "dovecot.list.index.log" {
            let path = container.path + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let bytes = [UInt8](data)
            guard query.addresses.contains(where: { $0.occurs(in: bytes) }) else { continue }
            if configuration.purgeCaches, name == "dovecot.index.cache" {
                if unlink(path) == 0 {
                    lines.append("\(path): held the address in Dovecot's header cache; deleted (Dovecot rebuilds it)")
                    continue
                }
            }
            lines.append(
                "\(path): Dovecot's index still holds the address of an expunged message; clear it with "
                    + "`doveadm force-resync -u USER '\(container.folder)'` or run privctl erase again with --purge-caches")
        }
        return lines
    }
}
