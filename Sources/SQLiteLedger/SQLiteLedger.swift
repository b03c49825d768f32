import Dispatch
import Foundation
import GRDB
import Synchronization
import PrivacyEvents

/// The embedded ledger: events in a SQLite file, one hash chain per host.
///
/// Appends run in `BEGIN IMMEDIATE` transactions, so several processes on one machine may append
/// at once: each waits for the write lock, reads its chain's head and links after it. Triggers
/// reject UPDATE and DELETE on the event tables.
public final class SQLiteLedger: Ledger {
    /// The database the ledger lives in.
    public let database: LedgerDatabase
    /// The payload dictionaries read so far (``PayloadDictionaries``).
    let dictionaries = PayloadDictionaries()

    public init(database: LedgerDatabase) {
        self.database = database
    }

    /// Opens the ledger file at `url` (created on first use).
    public convenience init(url: URL) throws(LedgerError) {
        self.init(database: try LedgerDatabase(url: url))
    }

    @discardableResult
    public func append(_ events: [PrivacyEvent]) throws -> [ChainedEvent] {
        try append(encoded: events.map(EncodedEvent.init))
    }

    @discardableResult
    public func append(encoded events: [EncodedEvent]) throws -> [ChainedEvent] {
        guard !events.isEmpty else { return [] }
        do {
            return try database.pool.writeWithoutTransaction { db in
                var written: [ChainedEvent] = []
                var numbers: SubjectNumbers?
                try db.inTransaction(.immediate) {
                    var heads: [String: (sequence: Int64, hash: String)] = [:]
                    // The statements run for every event bind their values directly (`DirectStatement`).
                    let exists = try DirectStatement(db, sql: "SELECT 1 FROM event WHERE id = ?")
                    let insert = try DirectStatement(db, sql: """
                        INSERT INTO event (row, id, host, sequence, time, kind, category, payload, previous_hash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                    let subjects = try SubjectNumbers(db, remembered: database.subjectNumbers)
                    numbers = subjects
                    var names = try EventNames(db)
                    let dictionary = try dictionaries.forAppending(db)
                    let codec = PayloadCodec()
                    // Rows are numbered here (a delta names its base by distance), after the last.
                    let lastRow = try Int64.fetchOne(db, sql: "SELECT max(row) FROM event") ?? 0
                    guard lastRow < Int64.max / 2 else {
                        throw LedgerError("the ledger \(database.url.path) numbers its rows up to \(lastRow), which privctl never does: run privctl ledger verify")
                    }
                    var nextRow = max(lastRow, 0) + 1
                    // The last event of this append stored whole: the base of deltas after it
                    // (stored without its id and time, or not: a delta is made only from a base
                    // stored as it is).
                    var base: (row: Int64, payload: PayloadDelta.Base, elided: Bool)?
                    let insertSubject = try DirectStatement(
                        db, sql: "INSERT OR IGNORE INTO event_subject (subject, event) VALUES (?, ?)")
                    for encoded in events {
                        let event = encoded.event
                        let id = CompactValue.id(event.id.rawValue)
                        if try exists.run(id) { continue }
                        let head: (sequence: Int64, hash: String)?
                        if let known = heads[event.host] {
                            head = known
                        } else if let row = try Row.fetchOne(
                            db, sql: "SELECT sequence, hash FROM event WHERE host = ? ORDER BY sequence DESC LIMIT 1",
                            arguments: [event.host])
                        {
                            // A sequence privctl did not write (text, a fraction): no link can be made.
                            guard let sequence = Self.sequence(row["sequence"]) else {
                                throw LedgerError(
                                    "the ledger \(database.url.path) has an event of \(event.host) whose sequence is not a whole number, "
                                        + "which privctl never writes: run privctl ledger verify")
                            }
                            guard sequence < Int64.max else {
                                throw LedgerError(
                                    "the ledger \(database.url.path) has an event of \(event.host) with the largest sequence there is, "
                                        + "which privctl never writes: run privctl ledger verify")
                            }
                            head = (sequence, CompactValue.hexText(row["hash"]))
                        } else {
                            head = nil
                        }
                        let link = EventChain.link(encoded, after: head)
                        let row = nextRow
                        nextRow += 1
                        // Compressed, without the id and time its row holds (`PayloadElision`);
                        // as a delta from the base where it repeats most of it, else whole.
                        let stored: DatabaseValue
                        let milliseconds = EventChain.milliseconds(of: event.time)
                        let elided = dictionary == nil ? nil : PayloadElision.elide(
                            link.payload, id: CompactValue.idText(id), time: EventChain.timestamp(milliseconds: milliseconds))
                        let text = elided ?? link.payload, isElided = elided != nil
                        if let dictionary, let base, base.elided == isElided,
                            let delta = PayloadDelta.make(text, base: base.payload),
                            let compressed = codec.compress(
                                delta: delta.delta, baseDistance: row - base.row, with: dictionary, elided: isElided)
                        {
                            stored = compressed.databaseValue
                        } else if let dictionary, let compressed = codec.compress(text, with: dictionary, elided: isElided) {
                            stored = compressed.databaseValue
                            base = (row, PayloadDelta.Base(text), isElided)
                        } else {
                            stored = link.payload.databaseValue
                            base = (row, PayloadDelta.Base(link.payload), false)
                        }
                        // The previous hash is the hash of the host's event before: stored as no
                        // bytes, which says so (``previousHash(stored:host:sequence:before:_:)``).
                        let previous = link.previousHash == (head?.hash ?? EventChain.genesis)
                            ? Data().databaseValue : CompactValue.hex(link.previousHash)
                        try insert.run(
                            row.databaseValue, id, event.host.databaseValue, link.sequence.databaseValue, milliseconds.databaseValue,
                            try names.number(of: event.kind.rawValue, db).databaseValue,
                            try names.number(of: event.dataCategory, db).databaseValue,
                            stored, previous, CompactValue.hex(link.hash))
                        for subject in event.subjects {
                            try insertSubject.run(try subjects.number(of: subject).databaseValue, row.databaseValue)
                        }
                        heads[event.host] = (link.sequence, link.hash)
                        written.append(link)
                    }
                    return .commit
                }
                numbers?.commit()
                return written
            }
        } catch {
            throw LedgerError("cannot append to the ledger \(database.url.path): \(LedgerDatabase.describe(error))")
        }
    }

    public func forEachEvent(matching filter: EventFilter, _ body: (ChainedEvent) throws -> Void) throws {
        var clauses: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        // Kinds and categories are stored by number (``EventNames``).
        if let kinds = filter.kinds, !kinds.isEmpty {
            clauses.append("kind IN (SELECT id FROM event_name WHERE text IN (" + kinds.map { _ in "?" }.joined(separator: ",") + "))")
            arguments += kinds.map(\.rawValue).sorted()
            // Only the rare kinds are in the kind index: said in its own words, so that SQLite
            // sees the index holds every event asked for.
            if kinds.isDisjoint(with: [.collect, .retain]) { clauses.append(LedgerDatabase.rareKinds) }
        }
        if let subject = filter.subject {
            clauses.append("""
                row IN (SELECT i.event FROM event_subject i JOIN subject s ON s.id = i.subject WHERE s.pseudonym = ?)
                """)
            arguments.append(CompactValue.hex(subject.rawValue))
        }
        if let category = filter.category {
            clauses.append("category = (SELECT id FROM event_name WHERE text = ?)")
            arguments.append(category)
        }
        if let host = filter.host {
            clauses.append("host = ?")
            arguments.append(host)
        }
        // Times are milliseconds; one kept as text (written so by another program, and left so
        // by the conversion) compares as the text it is.
        if let since = filter.since {
            clauses.append("((typeof(time) = 'integer' AND time >= ?) OR (typeof(time) = 'text' AND time >= ?))")
            arguments += [EventChain.milliseconds(of: since), EventChain.timestamp(since)]
        }
        if let until = filter.until {
            clauses.append("((typeof(time) = 'integer' AND time < ?) OR (typeof(time) = 'text' AND time < ?))")
            arguments += [EventChain.milliseconds(of: until), EventChain.timestamp(until)]
        }
        var sql = "SELECT sequence, payload, previous_hash, hash, row, host, id, time FROM event"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY host, sequence"
        if let limit = filter.limit { sql += " LIMIT \(limit)" }
        try database.pool.read { db in
            let codec = PayloadCodec()
            let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
            var before: (host: String, sequence: Int64, hash: String)?
            while let row = try rows.next() {
                let host: String = row["host"]
                guard let sequence = Self.sequence(row["sequence"]) else {
                    throw LedgerError(
                        "the ledger \(database.url.path) has an event of \(host) whose sequence is not a whole number "
                            + "(privctl never writes one); run privctl ledger verify")
                }
                func unreadable(_ problem: String) -> LedgerError {
                    LedgerError(
                        "the ledger \(database.url.path) has an event that cannot be read (sequence \(sequence), \(problem)); "
                            + "run privctl ledger verify")
                }
                let stored: DatabaseValue = row["payload"]
                guard
                    let payload = try dictionaries.payload(
                        stored, row: row["row"], id: CompactValue.idText(row["id"]), time: CompactValue.timeText(row["time"]),
                        codec: codec, db)
                else {
                    throw unreadable("its payload does not decompress")
                }
                let hash = CompactValue.hexText(row["hash"])
                let previousHash = try Self.previousHash(stored: row["previous_hash"], host: host, sequence: sequence, before: before, db)
                before = (host, sequence, hash)
                // A payload stored as the difference from another row, or without the id and
                // time its row holds, is read only as what was hashed: a changed base, a delta
                // pointed at another row, or a changed id or time column would otherwise make
                // this event read as one that was never recorded. (`verify` checks every event.)
                // Where the event before is missing, the hash cannot be checked: a delta is
                // then not read, one stored whole is (`verify` reports the missing event).
                if case .blob(let data) = stored.storage, PayloadCodec.isDelta(data.first) || PayloadCodec.isElided(data.first),
                    previousHash.isEmpty
                        ? PayloadCodec.isDelta(data.first) : !EventChain.isHash(hash, previousHash: previousHash, payload: payload)
                {
                    throw unreadable(
                        PayloadCodec.isDelta(data.first)
                            ? "its payload is stored as the difference from another event, and they no longer match"
                            : "its payload is stored without its id and time, and its row's no longer match what was recorded")
                }
                let event: PrivacyEvent
                do { event = try EventChain.event(fromPayload: payload) } catch { throw unreadable("its payload is not an event") }
                try body(ChainedEvent(sequence: sequence, event: event, payload: payload, previousHash: previousHash, hash: hash))
            }
        }
    }

    public func verify() throws -> LedgerVerification {
        try verify(segmentMinimum: Self.segmentMinimum)
    }

    /// A stored sequence as privctl writes it, a whole number; nil for anything else.
    static func sequence(_ value: DatabaseValue) -> Int64? {
        if case .int64(let number) = value.storage { return number }
        return nil
    }

    /// The previous hash of the event `sequence` of `host` as stored: no bytes (what privctl
    /// stores since schema v10) stand for the hash of the host's event `sequence - 1`, or the
    /// chain's start (``EventChain/genesis``) for sequence 1; any other value as it is. `before`
    /// is the event read just before, if any.
    ///
    /// So the chain's links cost no bytes, and `verify` still finds every change: an event
    /// changed no longer hashes to what the event after it was hashed with, and where the event
    /// before is missing the hash is unknown (empty: ``ChainVerifier`` then reports the link
    /// broken, and does not check the hash).
    static func previousHash(
        stored: DatabaseValue, host: String, sequence: Int64, before: (host: String, sequence: Int64, hash: String)?, _ db: Database
    ) throws -> String {
        guard case .blob(let data) = stored.storage, data.isEmpty else { return CompactValue.hexText(stored) }
        if sequence == 1 { return EventChain.genesis }
        guard sequence > 1 else { return "" }  // no event comes before (sequences written by hand)
        if let before, before.host == host, before.sequence == sequence - 1 { return before.hash }
        let earlier = try DatabaseValue.fetchOne(
            db, sql: "SELECT hash FROM event WHERE host = ? AND sequence = ?", arguments: [host, sequence - 1])
        return earlier.map(CompactValue.hexText) ?? ""
    }

    /// ``verify()`` with chains cut into segments of at least `segmentMinimum` events.
    func verify(segmentMinimum: Int64) throws -> LedgerVerification {
        // Each host's chain, cut into segments that are read and checked at once on every core
        // (``ChainVerifier/absorb(_:)`` checks the links between them). The bounds come from
        // one read; events are never changed, and later ones lie beyond them.
        // (Events whose sequence is not a whole number, written so by hand, are in no chain:
        // each is reported, and the chain misses it.)
        // (Those are found by reading the whole table, beside the segments: see below.)
        let chains = try database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT host, min(sequence), max(sequence) FROM event WHERE typeof(sequence) = 'integer' GROUP BY host ORDER BY host
                """).map { (host: $0[0] as String, low: $0[1] as Int64, high: $0[2] as Int64) }
        }
        var segments: [(host: String, low: Int64, high: Int64, first: Bool)] = []
        for chain in chains {
            // A span too wide to cut (sequences written by hand) is read as one segment.
            let (span, overflow) = chain.high.subtractingReportingOverflow(chain.low)
            let pieces = overflow || span > Int64.max / 2 ? 1 : max(1, min(Int64(Self.verifyThreads), (span + 1) / segmentMinimum))
            let length = pieces == 1 ? 0 : (span + pieces) / pieces
            for part in 0..<pieces {
                let low = chain.low + part * length
                segments.append((chain.host, low, pieces == 1 ? chain.high : min(chain.high, low + length - 1), part == 0))
            }
        }
        let parts = segments
        // First the chains with the subject index compared as a whole (``SubjectDigest``): the
        // payloads' (event, subject) pairs against the index's rows, read in one pass beside
        // the segments. Only when they differ is the index checked event by event, to say where.
        // The events in no chain are looked for beside them too (a read of the whole table,
        // which before the segments kept a core waiting).
        let index = Background { try self.subjectIndexDigest() }
        let unchainedEvents = Background { try self.unchainedEvents() }
        var fast = try ChainVerifier.joining(parts.count) { try self.verify(segment: parts[$0], subjectsBy: .digest).0 }
        let unchained = try unchainedEvents.value()
        let subjectForms = try subjectFormProblems()
        if try index.value() == fast.payloadSubjects {
            for problem in unchained + subjectForms { fast.report(problem) }
            return fast.result
        }
        let reached = Mutex(0)  // rows of the subject index read beside the events
        var verifier = try ChainVerifier.joining(parts.count) { n in
            let (part, subjects) = try self.verify(segment: parts[n], subjectsBy: .event)
            reached.withLock { $0 += subjects }
            return part
        }
        try database.pool.read { db in
            // Rows of the subject index that name no event: none when every row was reached
            // through an event (a row is unique per subject and event). Only when the counts
            // differ is the index searched for them, a lookup per row. (A row removed and
            // another added keep the count, but the event that lost its row disagrees with
            // its index above.)
            let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM event_subject") ?? 0
            guard rows != reached.withLock({ $0 }) else { return }
            // (Rows a ledger converted from text held for events it did not hold keep the id
            // they named, in subject_index_orphan.)
            let orphans = try Row.fetchCursor(db, sql: """
                SELECT DISTINCT i.event, x.event_id FROM event_subject i LEFT JOIN subject_index_orphan x ON x.event = i.event
                WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.row = i.event) ORDER BY 2, 1
                """)
            while let orphan = try orphans.next() {
                let name = (orphan[1] as String?) ?? "row \(orphan[0] as Int64)"
                verifier.report("subject index names event \(name), which is not in the ledger")
            }
            // A subject number the index uses that names no pseudonym.
            let unnamed = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM event_subject i WHERE NOT EXISTS (SELECT 1 FROM subject s WHERE s.id = i.subject)
                """) ?? 0
            if unnamed > 0 {
                verifier.report("subject index has \(unnamed) rows whose subject is not in the subject table")
            }
        }
        for problem in unchained + subjectForms { verifier.report(problem) }
        return verifier.result
    }

    /// Pseudonyms of the subject table stored as text where privctl stores bytes: the same
    /// pseudonym, but `--subject` look-ups would no longer find its events.
    private func subjectFormProblems() throws -> [String] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, pseudonym FROM subject WHERE typeof(pseudonym) <> 'blob' ORDER BY id").compactMap { row in
                let value: DatabaseValue = row[1]
                guard case .string(let text) = value.storage, case .string = CompactValue.hex(text).storage else {
                    return "subject \(row[0] as Int64) is stored as text that privctl stores as bytes: look-ups by --subject miss its events"
                }
                return nil
            }
        }
    }

    /// How ``verify(segment:subjectsBy:)`` checks the subject index.
    private enum SubjectCheck {
        /// Each event's rows beside it (a lookup per event).
        case event
        /// The payloads' pairs summed, for comparison with ``subjectIndexDigest()``.
        case digest
    }

    /// The subject index's (event row, subject) pairs as a ``SubjectDigest``, in one pass over
    /// it (each subject's pseudonym in its payload text).
    private func subjectIndexDigest() throws -> SubjectDigest {
        try database.pool.read { db in
            var digest = SubjectDigest()
            // Each pseudonym as stored (bytes, or text), as the payloads' side sums it: no text
            // is made per row. The subject table is read first, into slots by number (the
            // index's rows then need no join: a lookup per row cost more than the rest); a row
            // whose subject number names no pseudonym sums as missing, which no payload has.
            let highest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM subject") ?? 0
            var slots = [UInt8](repeating: 0, count: Int(max(0, min(highest, 4_000_000)) + 1) * 32)
            var inSlot = [Bool](repeating: false, count: slots.count / 32)
            var others: [Int64: (SubjectDigest.StoredForm, Data)] = [:]
            let subjects = try Row.fetchCursor(db, sql: "SELECT id, pseudonym, typeof(pseudonym) = 'blob' FROM subject")
            while let row = try subjects.next() {
                let id: Int64 = row[0]
                let bytes = row[2] as Bool
                let data = row.dataNoCopy(atIndex: 1) ?? Data()
                if bytes, data.count == 32, id >= 0, id < Int64(inSlot.count) {
                    let start = Int(id) * 32
                    for (offset, byte) in data.enumerated() { slots[start + offset] = byte }
                    inSlot[Int(id)] = true
                } else {
                    others[id] = (bytes ? .bytes : .text, Data(data))
                }
            }
            let rows = try Row.fetchCursor(db, sql: "SELECT event, subject FROM event_subject")
            try slots.withUnsafeBytes { slots in
                while let row = try rows.next() {
                    // A number that is not a whole number (written by hand) names no event and
                    // no subject for look-ups: it sums as missing, which no payload has.
                    let eventValue: DatabaseValue = row[0], subjectValue: DatabaseValue = row[1]
                    guard case .int64(let event) = eventValue.storage, case .int64(let subject) = subjectValue.storage else {
                        withUnsafeBytes(of: Int64.min.littleEndian) { key in
                            digest.add(event: key, storedSubject: UnsafeRawBufferPointer(start: nil, count: 0), form: .missing)
                        }
                        continue
                    }
                    withUnsafeBytes(of: event.littleEndian) { key in
                        if subject >= 0, subject < Int64(inSlot.count), inSlot[Int(subject)] {
                            let start = Int(subject) * 32
                            let slot = UnsafeRawBufferPointer(rebasing: slots[start..<(start + 32)])
                            digest.add(event: key, storedSubject: slot, form: .bytes)
                        } else if let (form, data) = others[subject] {
                            data.withUnsafeBytes { digest.add(event: key, storedSubject: $0, form: form) }
                        } else {
                            digest.add(event: key, storedSubject: UnsafeRawBufferPointer(start: nil, count: 0), form: .missing)
                        }
                    }
                }
            }
            return digest
        }
    }

    /// Events whose sequence is not a whole number (written so by hand): in no chain, each a
    /// problem, in the order of their rows.
    private func unchainedEvents() throws -> [String] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT host, id, typeof(sequence) FROM event WHERE typeof(sequence) <> 'integer' ORDER BY row
                """).map { row -> String in
                    let host: String = row[0], type: String = row[2]
                    return "host \(host): event \(CompactValue.idText(row[1])) has a sequence stored as \(type), which privctl never writes"
                }
        }
    }

    /// Work done on another thread while the caller goes on; ``value()`` waits for it.
    private final class Background<Value: Sendable>: @unchecked Sendable {
        private let group = DispatchGroup()
        private let lock = NSLock()
        private var result: Result<Value, any Error>?

        init(_ work: @escaping @Sendable () throws -> Value) {
            DispatchQueue.global().async(group: group) { [self] in
                let outcome = Result { try work() }
                lock.withLock { result = outcome }
            }
        }

        func value() throws -> Value {
            group.wait()
            return try lock.withLock { result! }.get()
        }
    }

    /// Segments of a chain are this long at least: shorter chains are read in one.
    static let segmentMinimum: Int64 = 50_000
    /// Segments of one chain read at once.
    static let verifyThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Checks the events of one host from `low` to `high` (sequences), in chain order; returns
    /// the verdict and the number of subject-index rows read beside them (none for `.digest`).
    private func verify(
        segment: (host: String, low: Int64, high: Int64, first: Bool), subjectsBy check: SubjectCheck
    ) throws -> (ChainVerifier, Int) {
        try database.pool.read { db in
            // For `.event`, each event's subjects, looked up in the segment's part of the index
            // (`SegmentSubjects`): memory stays flat however many events there are. Made before
            // the page cache grows below: building its copy sorts within that cache.
            let indexed = check == .event ? try SegmentSubjects(segment: segment, db) : nil
            defer { indexed?.close() }
            // The subject index is read beside the events, a page here and there: a larger
            // page cache keeps its upper levels in memory (32 MiB for this read; restored after).
            // (Reading the file through a mapping, `mmap_size`, saved a further second at
            // 1,000,000 events, but the mapped ledger then counts in the resident size: 2.4 GB.)
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -32768")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
            var verifier = segment.first ? ChainVerifier() : ChainVerifier(segmentOf: [segment.host])
            // Kinds and categories are stored by number; both are compared with the payload.
            let names = try EventNames(db)
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, host, sequence, time, kind, payload, previous_hash, hash, NULL AS subjects, row,
                           NOT (typeof(id) = 'blob' AND typeof(time) = 'integer' AND typeof(previous_hash) = 'blob'
                                AND typeof(hash) = 'blob' AND typeof(kind) = 'integer' AND typeof(category) = 'integer') AS loose,
                           typeof(payload) = 'blob' AS compressed, category
                    FROM event WHERE host = ? AND sequence BETWEEN ? AND ? AND typeof(sequence) = 'integer' ORDER BY sequence
                    """,
                arguments: [segment.host, segment.low, segment.high])
            // Columns by position: a lookup by name per value costs more than the check.
            var subjects = 0
            let codec = PayloadCodec()
            var stored: [String] = []
            var before: (host: String, sequence: Int64, hash: String)?
            while let row = try rows.next() {
                let id: String, time: String, previousHash: String, hash: String
                // No previous hash stored: the hash of the event before it.
                let previousValue: DatabaseValue = row[6]
                let linkedByPosition: Bool
                if case .blob(let data) = previousValue.storage { linkedByPosition = data.isEmpty } else { linkedByPosition = false }
                if row[10] as Bool {
                    // Not all in the compact form privctl writes: read as whatever they are.
                    let idValue: DatabaseValue = row[0], timeValue: DatabaseValue = row[3]
                    let hashValue: DatabaseValue = row[7]
                    (id, time) = (CompactValue.idText(idValue), CompactValue.timeText(timeValue))
                    hash = CompactValue.hexText(hashValue)
                    previousHash = try Self.previousHash(stored: previousValue, host: row[1], sequence: row[2], before: before, db)
                    // A value privctl would have stored compact, stored as text: the same value,
                    // but a look-up by id or a filter by time would miss it.
                    let kindValue: DatabaseValue = row[4], categoryValue: DatabaseValue = row[12]
                    let named = [kindValue, categoryValue].allSatisfy { if case .int64 = $0.storage { true } else { false } }
                    if !named || !CompactValue.isCompact(id: idValue, time: timeValue, hashes: [previousValue, hashValue]) {
                        let sequence: Int64 = row[2], host: String = row[1]
                        stored.append("host \(host): event \(id) (sequence \(sequence)) has columns stored as text that privctl stores as bytes or numbers")
                    }
                } else {
                    // Bytes and a number, read in place.
                    id = CompactValue.idText(raw: row.dataNoCopy(atIndex: 0) ?? Data())
                    time = EventChain.timestamp(milliseconds: row[3])
                    hash = (row.dataNoCopy(atIndex: 7) ?? Data()).withUnsafeBytes { Hex.encode(raw: $0) }
                    previousHash = linkedByPosition
                        ? try Self.previousHash(stored: previousValue, host: segment.host, sequence: row[2], before: before, db)
                        : (row.dataNoCopy(atIndex: 6) ?? Data()).withUnsafeBytes { Hex.encode(raw: $0) }
                }
                // A payload that does not decompress is checked as empty: its hash and columns
                // then disagree with it, and both are reported. (One stored without its id and
                // time gets them from the columns: changed there, its hash no longer matches.)
                let payload: String
                if row[11] as Bool, let data = row.dataNoCopy(atIndex: 5) {
                    payload = try dictionaries.payload(compressed: data, row: row[9], id: id, time: time, codec: codec, db) ?? ""
                } else {
                    payload = try dictionaries.payload(row[5], row: row[9], id: id, time: time, codec: codec, db) ?? ""
                }
                before = (segment.host, row[2], hash)
                // A number that names nothing reads as no text: the payload then disagrees.
                let kind = names.text(of: row[4]) ?? "", category = names.text(of: row[12]) ?? ""
                if check == .digest {
                    verifier.check(
                        id: id, host: row[1], sequence: row[2], kind: kind, time: time, category: category, payload: payload,
                        previousHash: previousHash, hash: hash, summingSubjectsUnder: row[9], linkedByPosition: linkedByPosition)
                    continue
                }
                let joined = try indexed?.subjects(ofRow: row[9])
                if let joined, !joined.isEmpty { subjects += 1 + joined.utf8.count(where: { $0 == UInt8(ascii: " ") }) }
                verifier.check(
                    id: id, host: row[1], sequence: row[2], kind: kind, time: time, category: category, payload: payload,
                    previousHash: previousHash, hash: hash, indexedSubjectsJoined: joined, linkedByPosition: linkedByPosition)
            }
            for problem in stored { verifier.report(problem) }
            return (verifier, subjects)
        }
    }

    public func hosts() throws -> [String] {
        try database.pool.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT host FROM event ORDER BY host") }
    }

    /// Number of events recorded.
    public func count() throws -> Int {
        try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event") ?? 0 }
    }
}

/// The payload dictionaries of one ledger file, read from `payload_dictionary` when first
/// needed and kept (a dictionary row never changes), and the rule of when the ledger trains its
/// first.
final class PayloadDictionaries: Sendable {
    private let known = Mutex<[Int64: PayloadDictionary]>([:])
    /// The number of events at which training last failed (too few or too alike to learn from):
    /// tried again when the ledger has twice as many.
    private let failedAt = Mutex<Int64>(0)

    /// The dictionary `id`, read from the table when first asked for; nil when there is none.
    func dictionary(_ id: Int64, _ db: Database) throws -> PayloadDictionary? {
        if let found = known.withLock({ $0[id] }) { return found }
        guard let content = try Data.fetchOne(db, sql: "SELECT content FROM payload_dictionary WHERE id = ?", arguments: [id]),
            let dictionary = PayloadDictionary(id: id, content: content)
        else { return nil }
        known.withLock { $0[id] = dictionary }
        return dictionary
    }

    /// A compressed payload's canonical JSON; nil when it does not decompress. `row` is the
    /// event's row: a delta's base is found from it, and a payload read whole is kept as the
    /// base of deltas after it (see `PayloadDelta`). `id` and `time` are the row's, as text:
    /// put back into a payload stored without them (``PayloadElision``).
    func payload(
        compressed data: Data, row: Int64?, id: @autoclosure () -> String, time: @autoclosure () -> String,
        codec: PayloadCodec, _ db: Database
    ) throws -> String? {
        guard let text = try storedText(compressed: data, row: row, codec: codec, db) else { return nil }
        guard PayloadCodec.isElided(data.first) else { return text }
        return PayloadElision.restore(text, id: id(), time: time())
    }

    /// The text a compressed payload holds, as stored (a delta merged with its base; without
    /// its id and time for formats 3 and 4); nil when it does not decompress. One read whole
    /// is kept as the base of deltas after it.
    private func storedText(compressed data: Data, row: Int64?, codec: PayloadCodec, _ db: Database) throws -> String? {
        var failure: (any Error)?
        let text = codec.decompress(
            data,
            dictionary: { id in
                // The codec's last (one thread's): no lock per payload.
                if let last = codec.lastDictionary, last.id == id { return last }
                do {
                    let found = try dictionary(id, db)
                    codec.lastDictionary = found
                    return found
                } catch {
                    failure = error
                    return nil
                }
            },
            base: { distance in
                // (A row number of a ledger changed by hand may be anything: no overflow.)
                guard let row, case (let baseRow, false) = row.subtractingReportingOverflow(distance) else { return nil }
                if let known = codec.base(at: baseRow) { return known }
                do { return try self.base(at: baseRow, codec: codec, db) } catch {
                    failure = error
                    return nil
                }
            })
        if let failure { throw failure }
        if let text, let row, !PayloadCodec.isDelta(data.first) { codec.remember(base: text, at: row) }
        return text
    }

    /// A stored payload as its canonical JSON: text as it is, a compressed one decompressed
    /// (``payload(compressed:row:id:time:codec:_:)``); nil when it does not decompress.
    func payload(
        _ stored: DatabaseValue, row: Int64?, id: @autoclosure () -> String, time: @autoclosure () -> String,
        codec: PayloadCodec, _ db: Database
    ) throws -> String? {
        switch stored.storage {
        case .string(let text):
            if let row { codec.remember(base: text, at: row) }
            return text
        case .blob(let data):
            return try payload(compressed: data, row: row, id: id(), time: time(), codec: codec, db)
        default:
            return nil
        }
    }

    /// The payload of `row` as the base of a delta, as stored: stored whole (a delta is never
    /// a base).
    private func base(at row: Int64, codec: PayloadCodec, _ db: Database) throws -> PayloadDelta.Base? {
        guard let stored = try DatabaseValue.fetchOne(db, sql: "SELECT payload FROM event WHERE row = ?", arguments: [row]) else {
            return nil
        }
        switch stored.storage {
        case .string(let text):
            codec.remember(base: text, at: row)
            return PayloadDelta.Base(text)
        case .blob(let data) where data.first == PayloadCodec.format || data.first == PayloadCodec.elidedFormat:
            return try storedText(compressed: data, row: row, codec: codec, db).map(PayloadDelta.Base.init)
        default:
            return nil
        }
    }

    /// The dictionary new payloads are compressed with, inside an append's transaction: the
    /// newest, or one trained now on the most recent payloads once the ledger holds
    /// ``PayloadDictionary/trainingEvents`` events; nil while it has none.
    func forAppending(_ db: Database) throws -> PayloadDictionary? {
        if let newest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM payload_dictionary") {
            return try dictionary(newest, db)
        }
        let events = try Int64.fetchOne(db, sql: "SELECT max(row) FROM event") ?? 0
        guard events >= Int64(PayloadDictionary.trainingEvents), events >= 2 * failedAt.withLock({ $0 }) else { return nil }
        return try Self.train(db, failure: { failedAt.withLock { $0 = events } }).flatMap { try dictionary($0, db) }
    }

    /// Trains a dictionary on the most recent payloads stored as text and adds it to the table;
    /// its id, or nil (after calling `failure`) when zstd could not train one.
    static func train(_ db: Database, failure: () -> Void = {}) throws -> Int64? {
        let payloads = try String.fetchAll(
            db, sql: "SELECT payload FROM event WHERE typeof(payload) = 'text' ORDER BY row DESC LIMIT ?",
            arguments: [PayloadDictionary.trainingSamples])
        // Each as it will be stored: a delta where one would be (see `append`).
        var samples: [String] = []
        var base: String?
        for payload in payloads.reversed() {
            if let base, let delta = PayloadDelta.make(payload, base: base) {
                samples.append(delta.delta)
            } else {
                samples.append(payload)
                base = payload
            }
        }
        guard let content = PayloadDictionary.train(on: samples) else {
            failure()
            return nil
        }
        try db.execute(sql: "INSERT INTO payload_dictionary (content) VALUES (?)", arguments: [content])
        return db.lastInsertedRowID
    }
}
