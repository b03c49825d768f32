import FileSystem
import Foundation
import Logging
import MailParsing
import MailStores
import PrivacyEvents
import RetentionPolicy
import SQLiteLedger

/// One `classify` pass over mail stores: find the messages, classify the new and changed ones,
/// and record what changed in the ledger.
///
/// How one message travels: a store (``MaildirFolder``, ``MboxFile``) hands out batches of
/// ``StoredMessage``s; the scan index says which are unchanged since the last run under the same
/// policy (those are not read or parsed); the others are read, hashed, parsed and classified on
/// every core; then, in store order on one thread, each result is reported, its retain event is
/// appended to the ledger when it is new or its category or dates changed, and the index is
/// updated. Messages that vanished from a container since the last run get an erase event
/// ("removed outside privctl") and leave the index.
public final class ClassifyRun: Sendable {
    /// What a run needs.
    public struct Configuration: Sendable {
        public var policy: RetentionPolicy
        public var key: PseudonymKey
        public var host: String
        /// The day "past retention" is judged on (`--at`).
        public var evaluationDay: CalendarDay
        /// Batch size: messages handed to the workers at once.
        public var batchSize = 256
        /// Whether results need the classifier's explanation (`--explain`). The index does not
        /// keep explanations, so then every message is parsed.
        public var explain = false
        /// How much is read into memory at once (`--max-message-size`).
        public var limits: ReadLimits = .standard
        /// The events retention periods start at, from the ledger (`privctl decide`).
        public var startEvents = StartEvents()
        /// The most scan-index rows of one container read at once (about 1.4 KB of memory
        /// each: 70 MB at the default); the rows of a larger folder are looked up batch by batch.
        public var folderRowsLimit = 50_000
        /// Whether the caller needs every message handed to `onMessage` (`--json`, `--due`,
        /// `--explain`). When it does not, a folder unchanged since it was last indexed whole is
        /// counted from the index's totals, without a row per message.
        public var eachMessage = true

        /// What every run needs; the settings above keep their defaults until set.
        public init(policy: RetentionPolicy, key: PseudonymKey, host: String, evaluationDay: CalendarDay) {
            self.policy = policy
            self.key = key
            self.host = host
            self.evaluationDay = evaluationDay
        }
    }

    /// What a run did.
    public struct Summary: Sendable {
        /// Per category, in policy order (categories without messages left out).
        public var categories: [CategorySummary]
        public var messages = 0
        public var bytes = 0
        /// Messages read and parsed (the rest came from the scan index).
        public var parsed = 0
        /// Messages taken from the scan index: unchanged since the last run.
        public var unchanged = 0
        public var unreadable = 0
        /// Messages and containers that could not be read at all (a link, a FIFO, too large,
        /// permissions): the run did not cover them.
        public var notRead = 0
        /// The events recorded for the messages read, by kind (retain, and transfer for mail
        /// sent to others); erase events for vanished messages are counted in ``vanished``.
        public var recordedEvents: [EventKind: Int] = [:]
        /// Retain events recorded.
        public var retainEvents: Int { recordedEvents[.retain] ?? 0 }
        /// Messages gone since the last run (erase events recorded).
        public var vanished = 0
        public var containers = 0
        public var seconds: Double = 0
        /// Messages past retention on the evaluation day.
        public var due: Int { categories.reduce(0) { $0 + $1.due } }
    }

    /// Progress so far, for a terminal display.
    public struct Progress: Sendable {
        public var messages: Int
        public var bytes: Int
        public var container: String
    }

    private let configuration: Configuration
    private let classifier: Classifier
    private let ledger: (any Ledger)?
    private let index: MessageIndex?
    /// The fingerprint index rows and folder listings are recorded under: the policy's, and the
    /// start events' when there are any (a decision recorded changes dates: rows are then
    /// classified again, as after a policy change).
    private let policyFingerprint: String
    private let logger: Logger

    /// A run; with `ledger` and `index` nil it records nothing and parses everything (a
    /// read-only look, as `--no-record` asks).
    public init(configuration: Configuration, ledger: (any Ledger)?, index: MessageIndex?, logger: Logger = Logger(label: "privctl.classify")) {
        self.configuration = configuration
        self.classifier = Classifier(policy: configuration.policy)
        self.ledger = ledger
        self.index = index
        self.policyFingerprint =
            configuration.policy.fingerprint
            + (configuration.startEvents.fingerprint.isEmpty ? "" : "+" + configuration.startEvents.fingerprint)
        self.logger = logger
    }

    /// Classifies every message under `paths` (located here; what cannot be searched there
    /// counts as unreadable) and of `containers` (found with ``StoreLocator``).
    ///
    /// `onMessage` gets each message in store order; `onUnreadable` each message that could not
    /// be read or parsed (never fatal); `onProgress` a report after each batch.
    /// - Throws: `PrivctlError` for a path that is not mail, `LedgerError` when recording fails.
    public func run(
        paths: [String] = [], containers: [MailContainer] = [],
        onMessage: (ClassifiedMessage) throws -> Void = { _ in },
        onUnreadable: (UnreadableMessage) -> Void = { _ in },
        onProgress: (Progress) -> Void = { _ in }
    ) throws -> Summary {
        let scan = try MailStoreFormats.scan(paths)
        for problem in scan.problems { onUnreadable(UnreadableMessage(path: problem.path, reason: problem.problem, wasRead: false)) }
        let containers = scan.containers + containers
        let started = Date()
        let writer = ledger.flatMap { ledger in index.map { LedgerWriter(ledger: ledger, index: $0) } }
        var totals: [String: CategorySummary] = [:]
        var summary = Summary(categories: [])
        summary.containers = containers.count
        summary.unreadable = scan.problems.count
        summary.notRead = scan.problems.count
        // What this run saw, per container: hashes of identities, to find what disappeared.
        // (Containers by their paths' bytes: `.café` with `é` and with `e` + U+0301 are two
        // folders to the file system, and to privctl. Identities whose names differ only so
        // are told apart as copies, see `identifyCopies`.)
        var seen: [[UInt8]: Set<Int>] = [:]
        var unreadContainers = Set<[UInt8]>()
        // Folders counted from the index (nothing in them changed) and folders read whole
        // without a problem, with what they listed: kept for the next run once all is written.
        var unchangedContainers = Set<[UInt8]>()
        var listed: [(container: String, digest: ListingDigest)] = []
        // Every message identity this run gave out (hashes): a second file with the same
        // unique name is a copy (see `process`).
        var claimed = Set<Int>()

        for container in containers {
            if writer != nil, !configuration.eachMessage, !configuration.explain, let index,
                let counts = try unchangedFolder(container, index: index)
            {
                var messages = 0, bytes = 0
                for count in counts {
                    totals[count.category, default: CategorySummary(category: count.category)].add(count)
                    messages += count.messages
                    bytes += count.bytes
                }
                summary.messages += messages
                summary.bytes += bytes
                summary.unchanged += messages
                unchangedContainers.insert(Array(container.path.utf8))
                onProgress(Progress(messages: summary.messages, bytes: summary.bytes, container: container.path))
                continue
            }
            var listing = ListingDigest.random()
            var wholeAndClean = true
            var seenHere = Set<Int>()
            var occurrences: [String: Int] = [:]  // per mbox: identical messages are told apart by order
            // The container's rows in one query, so that an unchanged folder costs one lookup,
            // not one per message (`--explain` parses everything and needs none).
            let indexed = configuration.explain ? nil : try index?.rows(in: container.path, limit: configuration.folderRowsLimit)
            // The folder's copies (see `identifyCopies`), by the file each names: among the rows
            // just read, or in one query when the folder's rows were not read whole.
            let copyRows = try indexed.map { $0.values.filter { $0.key.contains("/copy") } }
                ?? index?.copyRows(in: container.path) ?? []
            var copiesHere: [[UInt8]: IndexedMessage] = [:]
            for row in copyRows { copiesHere[Array(row.item.utf8)] = row }
            func handle(_ batch: [StoredMessage]) throws {
                let unreadableBefore = summary.unreadable
                let results = try self.process(
                    batch, indexed: indexed, copiesHere: copiesHere, writer: writer, occurrences: &occurrences,
                    claimed: &claimed, summary: &summary, onUnreadable: onUnreadable)
                if summary.unreadable != unreadableBefore { wholeAndClean = false }
                if wholeAndClean { for stored in batch { listing.add(item: stored.item, size: stored.size) } }
                for (identity, message) in results {
                    seenHere.insert(identity.hashValue)
                    guard let message else { wholeAndClean = false; continue }
                    totals[message.category, default: CategorySummary(category: message.category)]
                        .add(message, on: self.configuration.evaluationDay)
                    summary.messages += 1
                    summary.bytes += message.size
                    try onMessage(message)
                }
                onProgress(Progress(messages: summary.messages, bytes: summary.bytes, container: container.path))
            }
            do {
                try container.forEachBatch(size: configuration.batchSize, limits: configuration.limits, handle)
            } catch let error as PrivctlError {
                // A container that cannot be read (a link, a corrupt archive) is reported, and
                // nothing of it counts as gone: it was not looked at.
                summary.unreadable += 1
                summary.notRead += 1
                onUnreadable(UnreadableMessage(path: error.path.isEmpty ? container.path : error.path, reason: error.problem, wasRead: false))
                unreadContainers.insert(Array(container.path.utf8))
                continue
            }
            seen[Array(container.path.utf8), default: []].formUnion(seenHere)
            if wholeAndClean { listed.append((container.path, listing)) }
        }
        if let writer {
            summary.recordedEvents = try writer.finish()
            // Only now, with every row written: a message moved between folders was re-indexed
            // under its new folder, wherever that folder came in the scan, and is not gone.
            // (A folder taken as unchanged from its listing is left out: what it holds was there
            // at the last run, its copies included, and its messages were not seen one by one.)
            var present = PresentMessages(containers: containers.filter { !unchangedContainers.contains(Array($0.path.utf8)) })
            for container in containers {
                let path = Array(container.path.utf8)
                guard !unreadContainers.contains(path) && !unchangedContainers.contains(path) else { continue }
                summary.vanished += try recordVanished(
                    in: container.path, seen: seen, store: container.storePath, present: &present)
            }
            // Folders of these stores that were indexed before and are gone now, deleted with
            // everything in them: their messages are gone too. Only a folder whose path no
            // longer exists counts (one still there but not read is not gone).
            if let index {
                let scanned = Set(containers.map { Array($0.path.utf8) })
                let stores = Set(containers.map(\.storePath))
                for path in try index.containers() where !scanned.contains(Array(path.utf8)) {
                    guard stores.contains(where: { FileSystem.isBelow(path, $0) }) else { continue }
                    let gone: Bool
                    do { gone = try FileSystem.info(atPath: path) == nil } catch { gone = false }
                    if gone {
                        let store = stores.first { FileSystem.isBelow(path, $0) }
                        summary.vanished += try recordVanished(in: path, seen: seen, store: store, present: &present)
                    }
                }
                // Last, with every row written and every vanished one removed: what each folder
                // read whole listed, so that the next run can take it as unchanged (and no
                // listing of a folder left without rows: renamed, deleted, emptied).
                try index.forgetListingsWithoutRows()
                try index.recordListings(listed, policy: policyFingerprint)
            }
        }
        let order = configuration.policy.categories.map(\.id)
        summary.categories = totals.values.sorted {
            (order.firstIndex(of: $0.category) ?? .max, $0.category) < (order.firstIndex(of: $1.category) ?? .max, $1.category)
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Whether a worker computes each message's pseudonyms: for the ledger, for a line per
    /// message (`--json` shows them), or for start events recorded for someone.
    private var needsPseudonyms: Bool {
        ledger != nil || configuration.eachMessage || !configuration.startEvents.isEmpty
    }

    /// Whether a row or listing recorded under `recorded` stands. With the start events out of
    /// reach, one of the same policy stands, whatever events it was classified with.
    private func current(_ recorded: String) -> Bool {
        recorded == policyFingerprint
            || configuration.startEvents.isUnknown && recorded.hasPrefix(configuration.policy.fingerprint + "+")
    }

    /// The index's totals for `container` when it lists exactly what it listed when it was last
    /// indexed whole, under a policy that still stands, and the index holds a row for each of
    /// those messages; nil otherwise (the folder is then read as usual).
    private func unchangedFolder(_ container: MailContainer, index: MessageIndex) throws -> [MessageIndex.CategoryCount]? {
        guard let (recorded, policy) = try index.listing(of: container.path), current(policy) else { return nil }
        var now = ListingDigest(salt: recorded.salt)
        guard (try? container.format.list(container, into: &now)) == true, now == recorded else { return nil }
        let counts = try index.categoryCounts(in: container.path, dueOn: configuration.evaluationDay)
        // A message of this folder indexed under another since (the same unique name in two
        // folders) leaves fewer rows than the listing: read the folder.
        guard counts.reduce(0, { $0 + $1.messages }) == recorded.count else { return nil }
        return counts
    }

    // MARK: - One batch

    /// What a worker made of one message.
    private enum Outcome: Sendable {
        /// Classified; `problem` when the bytes were read but could not be parsed (then the
        /// message is in the fallback category, for review, and is also reported).
        case classified(ClassifiedMessage, contentHash: String?, problem: UnreadableMessage? = nil)
        /// The bytes could not be read at all (the file vanished, permissions).
        case unreadable(UnreadableMessage)
    }

    /// Classifies one batch and queues what to record; returns each message's identity and
    /// result (nil when it could not be read) in store order.
    ///
    /// `indexed` holds the container's rows when they were read at once; messages not among them
    /// (new, or moved here from another folder) are looked up by key.
    private func process(
        _ batch: [StoredMessage], indexed: [String: IndexedMessage]?, copiesHere: [[UInt8]: IndexedMessage],
        writer: LedgerWriter?, occurrences: inout [String: Int], claimed: inout Set<Int>, summary: inout Summary,
        onUnreadable: (UnreadableMessage) -> Void
    ) throws -> [(identity: String, message: ClassifiedMessage?)] {
        // mbox messages are identified by content: hash them first (in parallel), then look up.
        var messages = batch
        if batch.contains(where: \.identifiedByContent) {
            let hashes = parallelMap(batch) { ContentHash.sha256($0.bytes ?? []) }
            for i in messages.indices where messages[i].identifiedByContent {
                let n = occurrences[hashes[i], default: 0]
                occurrences[hashes[i]] = n + 1
                messages[i].identity = MessageIdentity.mbox(
                    path: messages[i].container.path, contentHash: hashes[i], occurrence: n)
            }
        }
        let unlisted = indexed.map { rows in messages.map(\.identity).filter { rows[$0] == nil } } ?? messages.map(\.identity)
        var looked = try index?.lookup(unlisted) ?? [:]
        func known(_ identity: String) -> IndexedMessage? { indexed?[identity] ?? looked[identity] }
        if let index {
            try identifyCopies(
                &messages, indexed: indexed, copiesHere: copiesHere, looked: &looked, claimed: &claimed, writer: writer, index: index)
        }
        // Unchanged under the same policy (and start events, see `policyFingerprint`): no
        // reading, no parsing.
        var outcomes = [Outcome?](repeating: nil, count: messages.count)
        var toParse: [Int] = []
        var renamed: [(key: String, item: String)] = []
        for (i, stored) in messages.enumerated() {
            // A message file of a Maildir named on its own (no item of its own) whose row names
            // this very file is that row's message, where the row has it: taken as it is, not
            // moved to a container of its own (its folder decides its category, not "cur").
            let rowNamesThisFile = { (row: IndexedMessage) in
                stored.item.isEmpty && !row.item.isEmpty && stored.filePath == row.container + "/" + row.item
            }
            if !configuration.explain, let row = known(stored.identity), row.size == stored.size,
                current(row.policy), row.container == stored.container.path || rowNamesThisFile(row)
            {
                if row.item != stored.item && !rowNamesThisFile(row) { renamed.append((stored.identity, stored.item)) }
                var message = ClassifiedMessage(
                    path: stored.displayPath, container: stored.container.path,
                    category: row.category, rule: row.rule, explanation: [],
                    messageDay: row.messageDay, retainUntil: row.retainUntil, expiresOn: row.expiresOn,
                    subjectList: row.subjects, size: stored.size, fromIndex: true, recorded: false)
                message.sealedMessageID = row.messageID.map { ($0, configuration.key) }
                outcomes[i] = .classified(message, contentHash: row.contentHash, problem: nil)
            } else {
                toParse.append(i)
            }
        }
        let parsed = parallelMap(toParse.map { messages[$0] }) { self.classify($0) }
        for (slot, outcome) in zip(toParse, parsed) { outcomes[slot] = outcome }
        summary.parsed += toParse.count
        summary.unchanged += messages.count - toParse.count

        // In store order: report, decide what to record, queue the recording.
        var results: [(identity: String, message: ClassifiedMessage?)] = []
        var events: [PrivacyEvent] = []
        var rows: [IndexedMessage] = []
        for (stored, outcome) in zip(messages, outcomes) {
            switch outcome! {
            case .unreadable(let problem):
                summary.unreadable += 1
                summary.notRead += 1
                logger.debug(
                    "unreadable message", metadata: ["path": "\(escapingControls(problem.path))", "reason": "\(escapingControls(problem.reason))"])
                onUnreadable(problem)
                results.append((stored.identity, nil))
            case .classified(var message, let contentHash, let problem):
                if let problem {
                    summary.unreadable += 1
                    onUnreadable(problem)
                }
                if !message.fromIndex {
                    let previous = known(stored.identity)
                    let changed = previous.map {
                        $0.category != message.category || $0.retainUntil != message.retainUntil
                            || $0.expiresOn != message.expiresOn
                    } ?? true
                    // One time for all of its events: recorded together (and a retain event
                    // then repeats its collect event's time, stored as the difference from it).
                    let recordedAt = Date()
                    // Where it lives, worked out once for all of its events (the Message-ID's
                    // keyed hash is an HMAC).
                    let location = writer != nil && (previous == nil || changed)
                        ? self.location(of: message, stored: stored, contentHash: contentHash) : nil
                    // Collection happened once: recorded when the message is first seen, first.
                    if previous == nil, let location {
                        events.append(collectEvent(for: message, stored: stored, at: location, time: recordedAt))
                    }
                    if changed, let location {
                        events.append(retainEvent(for: message, at: location, previous: previous, time: recordedAt))
                        message.recorded = true
                    }
                    // --verbose: each decision, and whether it is new to the ledger.
                    logger.debug("classified", metadata: [
                        "path": "\(escapingControls(message.path))", "category": "\(message.category)", "rule": "\(message.rule)",
                        "keep-until": "\(message.retainUntil?.description ?? "-")",
                        "erase-on": "\(message.expiresOn?.description ?? "-")",
                        "ledger": "\(writer == nil ? "not recorded" : message.recorded ? (previous == nil ? "new" : "changed") : "unchanged")",
                    ])
                    // A transfer happened once: recorded when the sent message is first seen.
                    if previous == nil, let location {
                        events += message.transfers.map { transferEvent($0, of: message, at: location, time: recordedAt) }
                    }
                    if writer != nil {
                        rows.append(IndexedMessage(
                            key: stored.identity, container: stored.container.path, item: stored.item, size: stored.size,
                            contentHash: contentHash, policy: policyFingerprint, category: message.category,
                            rule: message.rule,
                            messageDay: message.messageDay, retainUntil: message.retainUntil,
                            expiresOn: message.expiresOn, messageID: message.messageID.map(configuration.key.seal),
                            subjects: message.subjectList))
                    }
                }
                results.append((stored.identity, message))
            }
        }
        // Each event's canonical JSON made here, on every core: the writer links them one by one.
        if let writer { try writer.submit(events: parallelMap(events) { EncodedEvent($0) }, rows: rows, renamed: renamed) }
        return results
    }

    /// Copies: a message file whose unique name another file of the store has too (a copy that
    /// kept its name, as `cp`, a restore or Dovecot's maildir_copy_preserve_filename make; cur/X
    /// beside new/X; or a name that differs only in Unicode normalisation) is a message of its
    /// own, known by its name and its folder (`MessageIdentity.copy`), collected once.
    ///
    /// Which file is which: a file the index already knows as a copy in this folder stays that
    /// copy, also when its flags changed (its old name is gone); the file the index has under
    /// the plain name, where it still is, keeps it; a file whose name the index has for a file
    /// no longer there is that message moved (before this run or during it: a second sighting
    /// in this run whose first is gone); a copy moved to another folder keeps its row's history
    /// under its new key. Names and folders compare as bytes (NFC and NFD names are equal Swift
    /// strings and two files).
    private func identifyCopies(
        _ messages: inout [StoredMessage], indexed: [String: IndexedMessage]?, copiesHere: [[UInt8]: IndexedMessage],
        looked: inout [String: IndexedMessage], claimed: inout Set<Int>, writer: LedgerWriter?, index: MessageIndex
    ) throws {
        let candidates = messages.indices.filter { !messages[$0].identifiedByContent }
        guard !candidates.isEmpty else { return }
        let taken = Set(copiesHere.values.map(\.key))
        func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }
        // The row names this file: as a message of its folder, or (a message file of a Maildir
        // named on its own) by its path.
        func isFile(_ row: IndexedMessage, _ m: StoredMessage) -> Bool {
            (same(row.container, m.container.path) && same(row.item, m.item))
                || (!row.item.isEmpty && m.filePath.map { same(row.container + "/" + row.item, $0) } == true)
        }
        // Names seen before in this run: where the first sighting is now, from the index once the
        // writer has written what came before (one wait per batch, and only for such names).
        let repeated = candidates.filter { claimed.contains(messages[$0].identity.hashValue) }.map { messages[$0].identity }
        var current: [String: IndexedMessage] = [:]
        if !repeated.isEmpty {
            try writer?.flush()
            current = try index.lookup(repeated)
        }
        for i in candidates {
            let plain = messages[i].identity
            let here = messages[i].container.path
            // Known as a copy in this folder: the row that names this very file.
            if !copiesHere.isEmpty, let row = copiesHere[Array(messages[i].item.utf8)], MessageIdentity.isCopy(row.key, of: plain),
                claimed.insert(row.key.hashValue).inserted
            {
                messages[i].identity = row.key
                looked[row.key] = row  // a large folder's rows were not read whole
                continue
            }
            let seenBefore = claimed.contains(plain.hashValue)
            let row = seenBefore ? current[plain] : (indexed?[plain] ?? looked[plain])
            let isCopy: Bool
            if let row {
                isCopy = !isFile(row, messages[i]) && row.fileIsStillThere
            } else {
                isCopy = seenBefore  // the first sighting left no row (it could not be read)
            }
            guard isCopy else {
                if seenBefore, let row { looked[plain] = row }
                claimed.insert(plain.hashValue)
                continue
            }
            // A copy of a Maildir named on its own (`~/Maildir/.Sent/cur/FILE`): the copy row
            // that names this file, wherever the index keeps it.
            if let path = messages[i].filePath, messages[i].item.isEmpty, let row = try index.copyRows(of: plain)
                .first(where: { !$0.item.isEmpty && same($0.container + "/" + $0.item, path) }),
                claimed.insert(row.key.hashValue).inserted
            {
                messages[i].identity = row.key
                looked[row.key] = row
                continue
            }
            // A copy of this folder whose flags changed (the mail client renamed `:2,S` to
            // `:2,RS`): the folder's copy row of this message whose file is gone.
            if let row = copiesHere.values.filter({
                MessageIdentity.isCopy($0.key, of: plain) && !claimed.contains($0.key.hashValue) && !$0.fileIsStillThere
            }).min(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                claimed.insert(row.key.hashValue)
                messages[i].identity = row.key
                looked[row.key] = row
                continue
            }
            // A new copy here: the first number no other file of this run or of this folder's
            // copy rows has.
            var number = 1
            var identity = MessageIdentity.copy(of: plain, in: here)
            while taken.contains(identity) || !claimed.insert(identity.hashValue).inserted {
                number += 1
                identity = MessageIdentity.copy(of: plain, in: here, number: number)
            }
            messages[i].identity = identity
            if let moved = try index.copyRows(of: plain).first(where: {
                !claimed.contains($0.key.hashValue) && !$0.fileIsStillThere
            }) {
                // A copy moved here from another folder: its history goes with it, under its key here.
                looked[identity] = moved
                try index.remove([moved.key])
            }
        }
    }

    /// Reads, parses and classifies one message. Runs on a worker thread.
    private func classify(_ stored: StoredMessage) -> Outcome {
        let raw: [UInt8]
        do {
            raw = try stored.readBytes(limits: configuration.limits)
        } catch {
            return .unreadable(UnreadableMessage(path: stored.displayPath, reason: error.problem, wasRead: false))
        }
        let bytes = stored.parseableBytes(raw)
        var context = MessageContext(
            folder: stored.container.folder, ownDomains: configuration.policy.ownDomains,
            // Unknown delivery time: the classifier then counts from today, never from 1970.
            deliveryDate: stored.deliveredAt ?? Date(timeIntervalSince1970: 0))
        // Only mbox messages are hashed: their identity is their content. A Maildir message's
        // identity is its unique name, and hashing every byte of a store would cost more than
        // reading and classifying it.
        let contentHash = stored.identifiedByContent ? ContentHash.sha256(raw) : nil
        let message: MailMessage
        do {
            message = try MailMessage(bytes: bytes)
        } catch {
            let classification = classifier.classifyUnreadable(context: context, reason: error.reason)
            let problem = UnreadableMessage(path: stored.displayPath, reason: error.reason, wasRead: true)
            return .classified(
                classified(stored, classification, messageID: nil, subjects: []), contentHash: contentHash, problem: problem)
        }
        // The people's pseudonyms (an HMAC each) only where something uses them: the ledger,
        // a line per message, or start events recorded for someone.
        let (subjects, senders) = needsPseudonyms ? configuration.key.headerPseudonyms(of: message) : ([], [])
        let messageIDHash = message.messageID.map(configuration.key.messageIDHash)
        context.recordedEventDays = configuration.startEvents.days(subjects: subjects, messageIDHash: messageIDHash)
        let classification = classifier.classify(message, context: context, explaining: configuration.explain)
        var result = classified(stored, classification, messageID: message.messageID, subjects: subjects.sorted())
        result.messageIDHash = messageIDHash
        result.isSent = context.isSent
        result.senders = senders.sorted()
        if stored.deliveredAt == nil { result.receivedAt = message.receivedDate }
        if context.isSent, ledger != nil { result.transfers = transfers(of: message) }
        return .classified(result, contentHash: contentHash)
    }

    /// For a message in a sent folder: per recipient outside our own domains (the policy's and
    /// the sender's), the people named in its header other than the recipient's own and ours.
    private func transfers(of message: MailMessage) -> [ClassifiedMessage.Transfer] {
        func domain(_ address: String) -> String {
            address.split(separator: "@").last.map { $0.lowercased() } ?? ""
        }
        // Each field is read once, each address hashed once.
        var byField: [AddressField: [String]] = [:]
        for field in [AddressField.from, .sender, .replyTo, .to, .cc, .bcc] {
            byField[field] = message.addresses(field).map(\.address).filter { $0.contains("@") }.map(PseudonymKey.normalise)
        }
        var own = Set(configuration.policy.ownDomains)
        for address in byField[.from, default: []] + byField[.sender, default: []] { own.insert(domain(address)) }
        func isOwn(_ d: String) -> Bool { own.contains { d == $0 || d.hasSuffix("." + $0) } }
        var outsiders: [String: Set<Pseudonym>] = [:]  // domain -> the people at it
        for address in byField.values.joined() where !isOwn(domain(address)) {
            outsiders[domain(address), default: []].insert(configuration.key.pseudonym(for: address))
        }
        var byRecipient: [String: (registered: Bool, domains: Set<String>)] = [:]
        for address in byField[.to, default: []] + byField[.cc, default: []] + byField[.bcc, default: []] {
            let d = domain(address)
            guard !d.isEmpty, !isOwn(d) else { continue }
            let registered = configuration.policy.recipient(forDomain: d)
            byRecipient[registered?.id ?? d, default: (registered != nil, [])].domains.insert(d)
        }
        var result: [ClassifiedMessage.Transfer] = []
        for (label, entry) in byRecipient.sorted(by: { $0.key < $1.key }) {
            var subjects = Set<Pseudonym>()
            for (d, people) in outsiders where !entry.domains.contains(d) { subjects.formUnion(people) }
            if !subjects.isEmpty {
                result.append(.init(recipient: label, registered: entry.registered, subjects: subjects.sorted()))
            }
        }
        return result
    }

    private func classified(
        _ stored: StoredMessage, _ classification: Classification, messageID: String?, subjects: [Pseudonym]
    ) -> ClassifiedMessage {
        ClassifiedMessage(
            path: stored.displayPath, container: stored.container.path, plainMessageID: messageID,
            category: classification.category, rule: classification.rule, explanation: classification.explanation,
            messageDay: classification.messageDay, retainUntil: classification.retainUntil,
            expiresOn: classification.expiresOn, subjectList: PseudonymList(subjects), size: stored.size, fromIndex: false,
            recorded: false)
    }

    // MARK: - Events

    /// Where a message's events say it is: its store and item, its Message-ID's keyed hash and,
    /// for an mbox message, its content hash.
    private func location(of message: ClassifiedMessage, stored: StoredMessage, contentHash: String?) -> DataLocation {
        DataLocation(
            store: stored.container.path, item: stored.item.isEmpty ? nil : stored.item,
            messageIDHash: messageIDHash(of: message), contentHash: contentHash)
    }

    /// The keyed hash of a message's Message-ID: made when it was parsed, or now (one taken
    /// from the scan index).
    private func messageIDHash(of message: ClassifiedMessage) -> String? {
        message.messageIDHash ?? message.messageID.map(configuration.key.messageIDHash)
    }

    private func retainEvent(
        for message: ClassifiedMessage, at location: DataLocation, previous: IndexedMessage?, time: Date
    ) -> PrivacyEvent {
        let category = configuration.policy.category(message.category)
        var details = ["rule": message.rule, "policy": configuration.policy.fingerprint]
        if let expiresOn = message.expiresOn { details["expiresOn"] = expiresOn.description }
        if let previous { details["previousCategory"] = previous.category }
        let duty = category?.duty ?? false
        return PrivacyEvent(
            time: time, host: configuration.host, kind: .retain, subjects: message.subjects, dataCategory: message.category,
            purpose: category?.purpose ?? "", legalBasis: category?.legalBasis ?? LegalBasis(.legitimateInterests),
            location: location,
            keepUntil: duty ? message.retainUntil : message.expiresOn?.adding(days: -1), legalDuty: duty,
            details: details)
    }

    /// The message's collection (GDPR Art. 15(1)(g): its source), recorded the first time
    /// privctl sees it, before its first retain event: received into the mailbox, or written by
    /// its owner (a Sent folder; where it went is in the transfer events), when (the store's own
    /// delivery time: Maildir file name, mbox `From ` line, file or archive member time; else the
    /// topmost Received field; else the message day), whose data (everyone in its header) and
    /// why (the category's purpose and legal basis).
    private func collectEvent(for message: ClassifiedMessage, stored: StoredMessage, at location: DataLocation, time: Date) -> PrivacyEvent {
        let category = configuration.policy.category(message.category)
        var details = [
            "source": message.isSent ? "written by the mailbox owner" : "received",
            "policy": configuration.policy.fingerprint,
        ]
        // Who it came from, by pseudonym: the report tells "from you" from "from others".
        if !message.senders.isEmpty { details["from"] = message.senders.map(\.rawValue).joined(separator: " ") }
        if let delivered = stored.deliveredAt {
            details["collectedAt"] = EventChain.timestamp(delivered)
            details["collectedAtFrom"] = stored.container.format.name
        } else if let received = message.receivedAt {
            details["collectedAt"] = EventChain.timestamp(received)
            details["collectedAtFrom"] = "Received header"
        } else {
            details["collectedAt"] = message.messageDay.description
            details["collectedAtFrom"] = "message day"
        }
        return PrivacyEvent(
            time: time, host: configuration.host, kind: .collect, subjects: message.subjects, dataCategory: message.category,
            purpose: category?.purpose ?? "", legalBasis: category?.legalBasis ?? LegalBasis(.legitimateInterests),
            location: location,
            details: details)
    }

    private func transferEvent(
        _ transfer: ClassifiedMessage.Transfer, of message: ClassifiedMessage, at location: DataLocation, time: Date
    ) -> PrivacyEvent {
        let category = configuration.policy.category(message.category)
        let registered = transfer.registered ? configuration.policy.recipients.first { $0.id == transfer.recipient } : nil
        return PrivacyEvent(
            time: time, host: configuration.host, kind: .transfer, subjects: transfer.subjects, dataCategory: message.category,
            purpose: registered?.purpose ?? category?.purpose ?? "",
            legalBasis: registered?.legalBasis ?? category?.legalBasis ?? LegalBasis(.legitimateInterests),
            location: location,
            recipient: transfer.recipient,
            details: [
                "source": "sent mail", "recipientKind": registered?.kind.rawValue ?? "unregistered",
                "policy": configuration.policy.fingerprint,
            ])
    }

    /// Erase events for messages of `container` that were indexed before but not seen now.
    ///
    /// Counting first keeps this free for an unchanged container; only when it has more rows
    /// than messages seen are its keys read and compared.
    ///
    /// A message the server or a mail client moved, during this run, into a folder of the same
    /// store that the run had already read is not gone: the store's folders are listed again
    /// (once per run, and only when something seems gone), and such a row stays for the next
    /// run to find the message where it is now.
    private func recordVanished(
        in container: String, seen allSeen: [[UInt8]: Set<Int>], store: String?, present: inout PresentMessages
    ) throws -> Int {
        let seen = allSeen[Array(container.utf8)] ?? []
        guard let index, let ledger, try index.count(in: container) > seen.count else { return 0 }
        var goneKeys: [String] = []
        try index.forEachKey(in: container) { key in
            if !seen.contains(key.hashValue) { goneKeys.append(key) }
        }
        var gone = try index.lookup(goneKeys).values.sorted { $0.item < $1.item }
        if !gone.isEmpty, let store {
            gone = try gone.filter { try !present.arrivedUnseen($0.key, inStore: store, seen: allSeen) }
        }
        guard !gone.isEmpty else { return 0 }
        let events = gone.map { row in
            PrivacyEvent(
                host: configuration.host, kind: .erase, subjects: row.subjects.pseudonyms, dataCategory: row.category,
                purpose: configuration.policy.category(row.category)?.purpose ?? "",
                legalBasis: configuration.policy.category(row.category)?.legalBasis ?? LegalBasis(.legitimateInterests),
                location: DataLocation(
                    store: row.container, item: row.item.isEmpty ? nil : row.item,
                    messageIDHash: row.messageID.flatMap(configuration.key.unseal).map(configuration.key.messageIDHash),
                    contentHash: row.contentHash),
                details: ["reason": "no longer in the store: removed outside privctl", "observedBy": "classify"])
        }
        // Events first: if recording fails, the rows stay and the next run tries again.
        try ledger.append(events)
        try index.remove(gone.map(\.key))
        return gone.count
    }
}

/// What the folders of a run's stores hold now, listed again when messages seem gone at the
/// end of a run (see `recordVanished`): each store once.
private struct PresentMessages {
    let containers: [MailContainer]
    private var byStore: [String: [(path: String, identities: [String: Int])]] = [:]

    init(containers: [MailContainer]) { self.containers = containers }

    /// Whether a file of the message `key` is now in a folder of `store` that this run read
    /// without seeing it there, as the message or as a copy of it (see `MessageIdentity.copy`):
    /// it arrived after that folder was read.
    mutating func arrivedUnseen(_ key: String, inStore store: String, seen: [[UInt8]: Set<Int>]) throws -> Bool {
        for (path, identities) in try folders(of: store) {
            guard let files = identities[key] else { continue }
            let seenHere = seen[Array(path.utf8)] ?? []
            let seenFiles = (seenHere.contains(key.hashValue) ? 1 : 0)
                + (1...(files + 1)).count { seenHere.contains(MessageIdentity.copy(of: key, in: path, number: $0).hashValue) }
            if seenFiles < files { return true }
        }
        return false
    }

    /// What each folder of `store` read in this run holds now (none of a format that cannot
    /// tell without reading, or of a folder that cannot be listed), listed once.
    private mutating func folders(of store: String) throws -> [(path: String, identities: [String: Int])] {
        if let known = byStore[store] { return known }
        var found: [(path: String, identities: [String: Int])] = []
        for container in containers where container.storePath == store {
            if let here = try? container.format.identities(in: container) { found.append((container.path, here)) }
        }
        byStore[store] = found
        return found
    }
}
