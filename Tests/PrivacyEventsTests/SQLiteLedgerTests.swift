import Foundation
import GRDB
import TestSupport
import Testing

@testable import PrivacyEvents
@testable import SQLiteLedger

/// What only the SQLite backend does. Appending, reading, filtering, the append-only triggers
/// and verification are `LedgerBehaviourTests` (Tests/PostgresLedgerTests), run on every backend.
@Suite struct SQLiteLedgerTests {
    let key = PseudonymKey(bytes: Array(repeating: 3, count: 32))

    func event(_ kind: EventKind, item: String) -> PrivacyEvent {
        PrivacyEvent(
            host: "mx1", kind: kind, subjects: [key.pseudonym(for: "alice@example.org")], dataCategory: "accounting-document",
            purpose: "bookkeeping", legalBasis: LegalBasis(.legalObligation, retentionLaw: "AO §147(1) Nr. 4"),
            location: DataLocation(store: "/srv/mail/anna/Maildir", item: item, messageID: "<1@x>"),
            keepUntil: CalendarDay(iso: "2027-12-31"), legalDuty: true)
    }

    /// Threads of one process, each with its own connection to the same file (SQLite's locking
    /// within a process; the processes of `LedgerBehaviourTests` race across processes).
    @Test func concurrentAppendsFromManyThreadsKeepOneChain() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        _ = try SQLiteLedger(url: url)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            // Separate connections, as separate processes would have.
            let ledger = try! SQLiteLedger(url: url)
            for i in 0..<50 { try! ledger.append([event(.retain, item: "w\(worker)/\(i)")]) }
        }
        let ledger = try SQLiteLedger(url: url)
        #expect(try ledger.count() == 200)
        let verification = try ledger.verify()
        #expect(verification.isIntact)
        #expect(verification.eventCount == 200)
    }

    /// A chain read in segments, one per core, verifies as one; a break at a segment's first
    /// row is found by the link between segments.
    @Test func chainsAreVerifiedInSegments() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        for i in 0..<40 { try ledger.append((0..<10).map { event(.retain, item: "cur/\(i)-\($0)") }) }
        let whole = try ledger.verify()
        let segmented = try ledger.verify(segmentMinimum: 50)
        #expect(whole.isIntact && segmented.isIntact)
        #expect(segmented.eventCount == 400)
        #expect(segmented.heads == whole.heads)
        // A ledger whose rows were rewritten behind the triggers' back.
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER event_append_only_update")
            try db.execute(sql: "UPDATE event SET previous_hash = hash WHERE sequence = 201")
        }
        let broken = try ledger.verify(segmentMinimum: 50)
        #expect(broken.problems == (try ledger.verify()).problems)
        #expect(broken.problems.contains { $0.contains("(sequence 201) does not link to the event before it") })
        #expect(broken.problems.contains { $0.contains("(sequence 201) was changed") })
    }

    /// A ledger written before rows were compact (schema v6: ids, hashes and times as text, the
    /// subject index as text pairs) opens as the same ledger: every event reads back byte for
    /// byte, the chain verifies with the same head, subject look-ups find the same events, and
    /// appends continue the chain. Ids and hashes are then stored as bytes, times as numbers;
    /// an id that is not a UUID stays text. A subject index row that named no event still does.
    @Test func aLedgerOfTheTextSchemaMigratesToCompactRows() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        let bob = key.pseudonym(for: "bob@example.org")
        var events = (0..<1_100).map { event($0 % 3 == 0 ? .collect : .retain, item: "cur/\($0)") }
        events[4].subjects.append(bob)
        events[7].id = EventID(rawValue: "imported-7")
        var links: [ChainedEvent] = []
        try Self.writeTextSchemaLedger(at: url, events: events, orphan: true, links: &links)

        let ledger = try SQLiteLedger(url: url)
        var read: [ChainedEvent] = []
        try ledger.forEachEvent(matching: .all) { read.append($0) }
        #expect(read == links)
        let verification = try ledger.verify()
        #expect(verification.eventCount == 1_100)
        #expect(verification.heads == ["mx1": links.last!.hash])
        #expect(verification.problems == ["subject index names event no-such-event, which is not in the ledger"])
        var bobs: [Int64] = []
        try ledger.forEachEvent(matching: EventFilter(subject: bob)) { bobs.append($0.sequence) }
        #expect(bobs == [5])
        #expect(try ledger.count() == 1_100)

        let stored = try ledger.database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT typeof(id), length(id), typeof(time), length(hash), length(previous_hash) FROM event ORDER BY sequence")
        }
        #expect(stored[0] == ["typeof(id)": "blob", "length(id)": 16, "typeof(time)": "integer", "length(hash)": 32, "length(previous_hash)": 32])
        #expect(stored[7]["typeof(id)"] == "text")
        let pseudonyms = try ledger.database.pool.read { db in try Row.fetchAll(db, sql: "SELECT typeof(pseudonym) AS t, length(pseudonym) AS n FROM subject") }
        #expect(pseudonyms.count == 2 && pseudonyms.allSatisfy { $0["t"] == "blob" && $0["n"] == 32 })

        // Enough events to train a dictionary on: every payload is now stored compressed.
        let payloads = try ledger.database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT count(*) AS n, sum(typeof(payload) = 'blob') AS blobs, sum(length(payload)) AS bytes FROM event")!
        }
        #expect(payloads["blobs"] == 1_100)
        #expect((payloads["bytes"] as Int) * 2 < links.reduce(0) { $0 + $1.payload.utf8.count })

        try ledger.append([event(.erase, item: "cur/1")])
        #expect(try ledger.verify().eventCount == 1_101)
        read = []
        try ledger.forEachEvent(matching: .all) { read.append($0) }
        #expect(Array(read.prefix(1_100)) == links)
        #expect(read.last?.previousHash == links.last?.hash)
    }

    /// A chain's links cost no bytes: each event's previous hash is stored as none, standing
    /// for the hash of its host's event before it. Every read gives the previous hash it was
    /// made with (whole, filtered, by host, in segments), rows written earlier with the hash
    /// stored read as before, and `verify` still finds an event changed or removed, naming
    /// what it can know.
    @Test func theChainsLinksAreStoredAsNoBytes() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        func hostEvent(_ host: String, _ kind: EventKind, _ n: Int) -> PrivacyEvent {
            var e = event(kind, item: "cur/\(host)-\(n)")
            e = PrivacyEvent(
                host: host, kind: kind, subjects: n % 7 == 0 ? [key.pseudonym(for: "bob@example.org")] : e.subjects,
                dataCategory: e.dataCategory, purpose: e.purpose, legalBasis: e.legalBasis, location: e.location)
            return e
        }
        var links: [ChainedEvent] = []
        for batch in 0..<6 {
            links += try ledger.append((0..<50).flatMap { n in
                [hostEvent("mx1", n % 10 == 0 ? .erase : .retain, batch * 50 + n), hostEvent("mx2", .collect, batch * 50 + n)]
            })
        }
        // Rows written before (a converted ledger) keep their previous hash: the first 20 of mx1.
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER event_append_only_update")
            for link in links.filter({ $0.event.host == "mx1" && $0.sequence <= 20 }) {
                try db.execute(
                    sql: "UPDATE event SET previous_hash = ? WHERE host = 'mx1' AND sequence = ?",
                    arguments: [CompactValue.hex(link.previousHash), link.sequence])
            }
        }
        let empty = try ledger.database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE typeof(previous_hash) = 'blob' AND length(previous_hash) = 0")
        }
        #expect(empty == 600 - 20)
        let byID = Dictionary(uniqueKeysWithValues: links.map { ($0.event.id, $0) })
        for filter in [
            EventFilter.all, EventFilter(kinds: [.erase]), EventFilter(subject: key.pseudonym(for: "bob@example.org")),
            EventFilter(host: "mx2"), EventFilter(kinds: [.retain], host: "mx1", limit: 30),
        ] {
            var read: [ChainedEvent] = []
            try ledger.forEachEvent(matching: filter) { read.append($0) }
            #expect(!read.isEmpty)
            #expect(read.allSatisfy { byID[$0.event.id] == $0 }, "\(filter)")
        }
        for minimum in [Int64(50_000), 40] {
            let verification = try ledger.verify(segmentMinimum: minimum)
            #expect(verification.isIntact, "\(verification.problems)")
            #expect(verification.heads == ["mx1": links.last { $0.event.host == "mx1" }!.hash, "mx2": links.last!.hash])
        }

        // An event changed with its hash made again: it matches itself, but the event after it
        // no longer matches.
        let changed = links.first { $0.event.host == "mx2" && $0.sequence == 150 }!
        let forged = changed.payload.replacingOccurrences(of: "cur/mx2", with: "cur/mx9")
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(
                sql: "UPDATE event SET payload = ?, hash = ? WHERE host = 'mx2' AND sequence = 150",
                arguments: [forged, CompactValue.hex(EventChain.hash(previousHash: changed.previousHash, payload: forged))])
        }
        for minimum in [Int64(50_000), 40] {
            let problems = try ledger.verify(segmentMinimum: minimum).problems
            #expect(problems.count == 1, "\(problems)")
            #expect(problems.contains { $0.contains("host mx2") && $0.contains("(sequence 151) was changed, or the event before it was") })
        }
        // An event removed: the one after it does not link, and is not said to be changed.
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER event_append_only_delete")
            try db.execute(sql: "DROP TRIGGER event_subject_append_only_delete")
            try db.execute(sql: "DELETE FROM event_subject WHERE event = (SELECT row FROM event WHERE host = 'mx1' AND sequence = 100)")
            try db.execute(sql: "DELETE FROM event WHERE host = 'mx1' AND sequence = 100")
        }
        for minimum in [Int64(50_000), 40] {
            let problems = try ledger.verify(segmentMinimum: minimum).problems.filter { $0.contains("host mx1") }
            #expect(problems.count == 2, "\(problems)")
            #expect(problems.contains { $0.contains("has sequence 101, expected 100") })
            #expect(problems.contains { $0.contains("(sequence 101) does not link to the event before it") })
        }
        // Reading goes on past the gap, with no previous hash for the event after it.
        var afterGap: ChainedEvent?
        try ledger.forEachEvent(matching: EventFilter(host: "mx1")) { if $0.sequence == 101 { afterGap = $0 } }
        #expect(afterGap?.previousHash == "")
    }

    /// Without an index of the subject index by event (schema v11), `verify` still names the
    /// one event whose subject index disagrees with its payload, in a ledger of two hosts whose
    /// rows interleave, read whole or in segments; no other event is named.
    @Test func aSubjectIndexThatDisagreesIsFoundEventByEventWithoutAnIndexByEvent() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        var links: [ChainedEvent] = []
        for n in 0..<120 {
            links += try ledger.append(["mx1", "mx2"].map { host in
                let e = event(.retain, item: "cur/\(host)-\(n)")
                return PrivacyEvent(
                    host: host, kind: .retain, subjects: n % 3 == 0 ? [] : e.subjects, dataCategory: e.dataCategory,
                    purpose: e.purpose, legalBasis: e.legalBasis, location: e.location)
            })
        }
        let indexes = try ledger.database.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'event_subject'")
        }
        #expect(indexes.isEmpty)
        let damaged = links.first { $0.event.host == "mx2" && $0.sequence == 80 }!
        #expect(!damaged.event.subjects.isEmpty)
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER event_subject_append_only_delete")
            try db.execute(sql: "DELETE FROM event_subject WHERE event = (SELECT row FROM event WHERE host = 'mx2' AND sequence = 80)")
        }
        for minimum in [Int64(50_000), 30] {
            let problems = try ledger.verify(segmentMinimum: minimum).problems
            #expect(problems == ["event \(damaged.event.id.rawValue): its subject index disagrees with its recorded subjects"], "\(minimum)")
        }
        // A subject number that is not a whole number finds no event: reported as well.
        let halved = links.first { $0.event.host == "mx1" && $0.sequence == 50 }!
        #expect(!halved.event.subjects.isEmpty)
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER event_subject_append_only_update")
            try db.execute(sql: "UPDATE event_subject SET event = event + 0.5 WHERE event = (SELECT row FROM event WHERE host = 'mx1' AND sequence = 50)")
        }
        // And an event moved far ahead (its row renumbered by hand): it lost its index rows, and
        // every event after it is still looked up right.
        let moved = links.first { $0.event.host == "mx1" && $0.sequence == 20 }!
        #expect(!moved.event.subjects.isEmpty)
        let movedRow = try ledger.database.pool.writeWithoutTransaction { db in
            let row = try Int64.fetchOne(db, sql: "SELECT row FROM event WHERE host = 'mx1' AND sequence = 20")!
            try db.execute(sql: "DROP TRIGGER event_append_only_update")
            try db.execute(sql: "UPDATE event SET row = 1000000 WHERE row = ?", arguments: [row])
            return row
        }
        for minimum in [Int64(50_000), 30] {
            let problems = try ledger.verify(segmentMinimum: minimum).problems
            let disagreeing = problems.filter { $0.contains("its subject index disagrees") }
            #expect(Set(disagreeing) == Set([damaged, halved, moved].map { "event \($0.event.id.rawValue): its subject index disagrees with its recorded subjects" }), "\(problems)")
            #expect(problems.contains("subject index names event row \(movedRow), which is not in the ledger"))
        }
    }

    /// Sequences written by hand as text, as a fraction or as the largest number: `verify`
    /// reports each and reads on (no trap, no overflow), reading events says which ledger to
    /// verify, and no event is appended after one that sorts last.
    @Test(arguments: ["'abc'", "10.5", "9223372036854775807", "-9223372036854775808"])
    func sequencesPrivctlNeverWritesAreReportedNotTrappedOn(_ value: String) throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        for n in 0..<4 { try ledger.append((0..<10).map { event(.retain, item: "cur/\(n)-\($0)") }) }
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER event_append_only_update")
            try db.execute(sql: "UPDATE event SET sequence = \(value) WHERE sequence = 40")
        }
        for minimum in [Int64(50_000), 10] {
            let verification = try ledger.verify(segmentMinimum: minimum)
            #expect(!verification.isIntact)
            #expect(verification.eventCount >= 39, "\(verification.problems)")
            if value == "9223372036854775807" {
                #expect(verification.problems.contains { $0.contains("has sequence 9223372036854775807, expected 40") })
            } else if value.hasPrefix("-") {
                #expect(verification.problems.contains { $0.contains("has sequence -9223372036854775808, expected 1") })
            } else {
                #expect(verification.problems.contains { $0.contains("has a sequence stored as") && $0.contains("which privctl never writes") })
            }
        }
        if value == "'abc'" || value == "10.5" {
            #expect(throws: LedgerError.self) { try ledger.forEachEvent(matching: .all) { _ in } }
        } else {
            var read = 0
            try ledger.forEachEvent(matching: .all) { _ in read += 1 }
            #expect(read == 40)
        }
        if value == "9223372036854775807" {
            // Nothing follows the largest sequence there is.
            #expect(throws: LedgerError.self) { try ledger.append([event(.retain, item: "cur/after")]) }
        }
        if value == "'abc'" {
            // Text sorts after every number: the chain's last event has no sequence to follow.
            #expect(throws: LedgerError.self) { try ledger.append([event(.retain, item: "cur/after")]) }
        }
    }

    /// Times written by hand past any calendar: reported as changed columns, never trapped on.
    @Test(arguments: ["-9223372036854775808", "-9223372036854775807", "9223372036854775807"])
    func timesPastAnyCalendarAreReported(_ value: String) throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        try ledger.append((0..<10).map { event(.retain, item: "cur/\($0)") })
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER event_append_only_update")
            try db.execute(sql: "UPDATE event SET time = \(value) WHERE sequence = 5")
        }
        let problems = try ledger.verify().problems
        #expect(problems.count == 1 && problems[0].contains("(sequence 5) has columns that disagree"), "\(problems)")
    }

    /// The scan index of a ledger written before schema v7 (every value as text) reads back
    /// the same rows after the conversion, stored compact: hashes, sealed Message-IDs and
    /// pseudonyms as bytes, days as numbers. Values that are not what privctl writes stay text
    /// and read back as they were. The folder counts (by category, due on a day) are the same.
    @Test func theScanIndexOfTheTextSchemaMigratesToCompactRows() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        let subjects = PseudonymList([key.pseudonym(for: "alice@example.org"), key.pseudonym(for: "bob@example.org")])
        let rows = [
            IndexedMessage(
                key: "maildir:/srv/Maildir:1.M1", container: "/srv/Maildir", item: "cur/1.M1:2,S", size: 1234,
                contentHash: nil, policy: "31981d950d30d02e", category: "inquiry", rule: "inquiry",
                messageDay: CalendarDay(iso: "2025-03-04")!, retainUntil: CalendarDay(iso: "2027-03-04"),
                expiresOn: CalendarDay(iso: "2027-03-05"), messageID: key.seal("<1@example.org>"), subjects: subjects),
            IndexedMessage(
                key: "mbox:/srv/box:ab", container: "/srv/box", item: "#3", size: 99,
                contentHash: String(repeating: "ab", count: 32), policy: "legacy-policy", category: "invoice", rule: "invoice",
                messageDay: CalendarDay(iso: "2019-12-31")!, retainUntil: nil, expiresOn: nil,
                messageID: "<written before sealing@example.org>", subjects: PseudonymList(packed: "")),
            IndexedMessage(
                key: "maildir:/srv/Maildir:2.M2", container: "/srv/Maildir", item: "new/2.M2", size: 5,
                contentHash: nil, policy: "31981d950d30d02e", category: "inquiry", rule: "inquiry",
                messageDay: CalendarDay(iso: "2024-01-01")!, retainUntil: nil, expiresOn: CalendarDay(iso: "2026-01-02"),
                messageID: nil, subjects: PseudonymList(packed: "not-a-hash \(subjects.packed)")),
        ]
        let queue = try DatabaseQueue(path: url.path)
        try LedgerDatabase.migrator.migrate(queue, upTo: "v6: folder listings")
        try queue.write { db in
            for m in rows {
                try db.execute(
                    sql: """
                        INSERT INTO message_index (key, container, item, size, content_hash, policy, category, rule,
                            message_day, retain_until, expires_on, message_id, subjects)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        m.key, m.container, m.item, m.size, m.contentHash, m.policy, m.category, m.rule, m.messageDay.description,
                        m.retainUntil?.description, m.expiresOn?.description, m.messageID, m.subjects.packed,
                    ])
            }
        }
        try queue.close()
        let database = try LedgerDatabase(url: url)
        let index = MessageIndex(database: database)
        #expect(try index.lookup(rows.map(\.key)) == Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0) }))
        let types = try database.pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT typeof(policy), typeof(message_day), typeof(expires_on), typeof(message_id), length(message_id), typeof(subjects), length(subjects)
                FROM message_index WHERE size = 1234
                """)!
        }
        #expect(types == [
            "typeof(policy)": "integer", "typeof(message_day)": "integer", "typeof(expires_on)": "integer",
            "typeof(message_id)": "blob", "length(message_id)": 12 + 15 + 16, "typeof(subjects)": "blob", "length(subjects)": 64,
        ])
        let counts = try index.categoryCounts(in: "/srv/Maildir", dueOn: CalendarDay(iso: "2026-06-01")!)
        #expect(counts == [
            MessageIndex.CategoryCount(category: "inquiry", messages: 2, bytes: 1239, oldest: CalendarDay(iso: "2024-01-01")!, due: 1)
        ])
        // Written again through the index: the same rows.
        try index.record(rows)
        #expect(try index.lookup(rows.map(\.key)) == Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0) }))
    }

    /// A scan index row names its people by their numbers in the ledger's subject table (the
    /// numbers the events' subject index uses): a few bytes where the pseudonyms took 32 each.
    @Test func scanIndexRowsNameTheirPeopleByNumber() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        let ledger = try SQLiteLedger(url: url)
        try ledger.append([event(.retain, item: "cur/0")])  // alice gets number 1
        let alice = key.pseudonym(for: "alice@example.org"), bob = key.pseudonym(for: "bob@example.org")
        let row = IndexedMessage(
            key: "maildir:/srv/Maildir:1.M1", container: "/srv/Maildir", item: "cur/1.M1:2,S", size: 1234,
            contentHash: nil, policy: "31981d950d30d02e", category: "inquiry", rule: "inquiry",
            messageDay: CalendarDay(iso: "2025-03-04")!, retainUntil: nil, expiresOn: CalendarDay(iso: "2027-03-05"),
            messageID: key.seal("<1@example.org>"), subjects: PseudonymList([bob, alice]))
        var nobody = row
        nobody.key = "maildir:/srv/Maildir:2.M2"
        nobody.subjects = PseudonymList(packed: "")
        nobody.messageID = nil
        let index = MessageIndex(database: ledger.database)
        try index.record([row, nobody])
        let stored = try ledger.database.pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT length(subjects), hex(subject_numbers)
                FROM message_index WHERE size = 1234
                """)!
        }
        #expect(stored[0] as Int == 0)
        #expect(stored[1] as String == (row.subjects.pseudonyms.first == alice ? "0102" : "0201"), "alice is 1, bob new as 2")
        // Read back the same, also by a new index (nothing remembered) and by every query.
        let fresh = MessageIndex(database: try LedgerDatabase(url: url))
        for reader in [index, fresh] {
            #expect(try reader.lookup([row.key, nobody.key]) == [row.key: row, nobody.key: nobody])
            #expect(try reader.rows(in: "/srv/Maildir", limit: 10) == [row.key: row, nobody.key: nobody])
            #expect(try reader.copyRows(of: "maildir:/srv/Maildir:1.M1") == [])
        }
        // The ledger's own check is untouched by the index's use of the subject table.
        #expect(try ledger.verify().isIntact)
    }

    /// Once the ledger holds 1,000 events it trains a zstd dictionary on them, and stores every
    /// later payload compressed with it: in well under half the bytes, read back and verified
    /// as the canonical JSON the hash covers. A compressed payload or a dictionary changed by
    /// hand is found by `verify` (the event whose payload it was, by sequence), and reading such
    /// an event is an error that says so, never a wrong event.
    @Test func payloadsAreStoredCompressedOnceThereAreEnoughToLearnFrom() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        let ledger = try SQLiteLedger(url: url)
        var links: [ChainedEvent] = []
        for batch in 0..<15 {
            links += try ledger.append((0..<100).map { event(.retain, item: "cur/\(batch)-\($0)") })
        }
        let stored = try ledger.database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT typeof(payload) AS type, length(payload) AS bytes FROM event ORDER BY row")
        }
        #expect(try ledger.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM payload_dictionary") } == 1)
        #expect(stored.prefix(1_000).allSatisfy { $0["type"] == "text" })
        #expect(stored.suffix(500).allSatisfy { $0["type"] == "blob" })
        let compressed = stored.suffix(500).reduce(0) { $0 + ($1["bytes"] as Int) }
        let text = links.suffix(500).reduce(0) { $0 + $1.payload.utf8.count }
        #expect(compressed * 2 < text, "\(compressed) of \(text) bytes")

        var read: [ChainedEvent] = []
        try ledger.forEachEvent(matching: .all) { read.append($0) }
        #expect(read == links)
        #expect(read.allSatisfy { $0.payload == EventChain.payload(of: $0.event) })
        let verification = try ledger.verify()
        #expect(verification.isIntact && verification.eventCount == 1_500)
        #expect(verification.heads == ["mx1": links.last!.hash])

        // One byte of a compressed payload changed.
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER event_append_only_update")
            try db.execute(sql: """
                UPDATE event SET payload = substr(payload, 1, 20) || x'00' || substr(payload, 22) WHERE sequence = 1200
                """)
        }
        let problems = try ledger.verify().problems
        #expect(!problems.isEmpty && problems.allSatisfy { $0.contains("(sequence 1200)") || $0.contains("sequence 1201") }, "\(problems)")
        #expect(throws: (any Error).self) { try ledger.forEachEvent(matching: .all) { _ in } }

        // The dictionary changed: no compressed payload reads as it was hashed.
        let other = try SQLiteLedger(url: dir.url.appendingPathComponent("other.sqlite"))
        for batch in 0..<12 { try other.append((0..<100).map { event(.retain, item: "new/\(batch)-\($0)") }) }
        let blobs = try other.database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE typeof(payload) = 'blob'")
        }
        #expect(blobs == 200)
        try other.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER payload_dictionary_append_only_update")
            // Its content (at the end; the start is zstd's tables) zeroed.
            try db.execute(sql: "UPDATE payload_dictionary SET content = substr(content, 1, length(content) - 4096) || zeroblob(4096)")
        }
        let reopened = try SQLiteLedger(url: dir.url.appendingPathComponent("other.sqlite"))
        #expect(!(try reopened.verify().isIntact))
    }

    /// What was wrong in a ledger of the text schema stays wrong after the conversion: a hash
    /// or an id stored as bytes by hand (as bytes in the new schema they would read back as the
    /// very text they encode) is still reported; a time kept as text is still found by the
    /// filters it matched.
    @Test func tamperingInATextSchemaLedgerIsStillFoundAfterTheConversion() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        let events = (0..<5).map { event(.retain, item: "cur/\($0)") }
        var links: [ChainedEvent] = []
        try Self.writeTextSchemaLedger(at: url, events: events, orphan: false, links: &links)
        let queue = try DatabaseQueue(path: url.path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DROP TRIGGER event_append_only_update")
            try db.execute(sql: "UPDATE event SET hash = ? WHERE sequence = 2", arguments: [Data(Hex.decode(links[1].hash)!)])
            try db.execute(sql: "UPDATE event SET id = ? WHERE sequence = 4", arguments: [Data(repeating: 1, count: 16)])
            try db.execute(sql: "UPDATE event SET time = '2031-01-01T00:00:00Z' WHERE sequence = 5")
        }
        try queue.close()
        let ledger = try SQLiteLedger(url: url)
        let problems = try ledger.verify().problems
        #expect(problems.contains { $0.contains("(sequence 2) was changed") }, "\(problems)")
        #expect(problems.contains { $0.contains("(sequence 4) has columns that disagree") }, "\(problems)")
        var late: [Int64] = []
        try ledger.forEachEvent(matching: EventFilter(since: EventChain.date(fromTimestamp: "2030-01-01T00:00:00.000Z"))) {
            late.append($0.sequence)
        }
        #expect(late == [5])
        var early: [Int64] = []
        try ledger.forEachEvent(matching: EventFilter(until: EventChain.date(fromTimestamp: "2030-01-01T00:00:00.000Z"))) {
            early.append($0.sequence)
        }
        #expect(early == [1, 2, 3, 4])
    }

    /// A value stored in another form than privctl writes it (a hash or a pseudonym as text
    /// where privctl keeps bytes) is reported by `verify`: the same value, but look-ups by it
    /// would miss. So is a subject index row whose subject number names no pseudonym.
    @Test func verifyReportsValuesStoredInAnotherForm() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        try ledger.append((0..<4).map { event(.retain, item: "cur/\($0)") })
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: """
                DROP TRIGGER event_append_only_update; DROP TRIGGER subject_append_only_update;
                UPDATE event SET hash = lower(hex(hash)) WHERE sequence = 2;
                UPDATE subject SET pseudonym = lower(hex(pseudonym));
                INSERT INTO event_subject (subject, event) SELECT 99999, row FROM event WHERE sequence = 3;
                """)
        }
        let problems = try ledger.verify().problems
        #expect(problems.contains { $0.contains("(sequence 2) has columns stored as text") }, "\(problems)")
        #expect(problems.contains { $0.contains("look-ups by --subject miss its events") }, "\(problems)")
        #expect(problems.contains { $0.contains("whose subject is not in the subject table") }, "\(problems)")
    }

    /// A compressed payload states its length; one that states more than 32 times its stored
    /// size is not decompressed (a few bytes in the file cannot make `verify` hold gigabytes),
    /// and a payload that would compress more than that is stored as text.
    @Test func aPayloadCannotClaimMoreThanItsShareOfTheFile() throws {
        let samples = (0..<200).map { EventChain.payload(of: event(.retain, item: "cur/\($0)")) }
        let content = try #require(PayloadDictionary.train(on: samples))
        let dictionary = try #require(PayloadDictionary(id: 1, content: content))
        let codec = PayloadCodec()
        let stored = try #require(codec.compress(samples[0], with: dictionary))
        #expect(codec.decompress(stored) { _ in dictionary } == samples[0])
        // A megabyte that compresses to a few hundred bytes: not stored so, not read so.
        let repetitive = "{\"text\":\"" + String(repeating: "a", count: 1 << 20) + "\"}"
        #expect(codec.compress(repetitive, with: dictionary) == nil)
        let bomb = try #require(codec.compress(repetitive, with: dictionary, capped: false))
        #expect(bomb.count < 1_000)
        #expect(codec.decompress(bomb) { _ in dictionary } == nil)
    }

    /// Pages a conversion left free (a conversion interrupted after its transaction, before
    /// the file was rewritten) are given back the next time the ledger is opened.
    @Test func freePagesLeftByAConversionAreGivenBackOnTheNextOpen() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        do {
            let database = try LedgerDatabase(url: url)
            try database.pool.writeWithoutTransaction { db in
                try db.execute(sql: "CREATE TABLE old_rows (data BLOB)")
                for _ in 0..<20 { try db.execute(sql: "INSERT INTO old_rows VALUES (zeroblob(1000000))") }
                try db.execute(sql: "DROP TABLE old_rows")
            }
            #expect(try database.pool.read { try Int.fetchOne($0, sql: "PRAGMA freelist_count") ?? 0 } > 4_000)
        }
        let reopened = try LedgerDatabase(url: url)
        #expect(try reopened.pool.read { try Int.fetchOne($0, sql: "PRAGMA freelist_count") ?? 0 } == 0)
    }

    /// Writes a ledger as privctl did before schema v7: the migrations up to v6, rows in text.
    static func writeTextSchemaLedger(at url: URL, events: [PrivacyEvent], orphan: Bool, links: inout [ChainedEvent]) throws {
        let queue = try DatabaseQueue(path: url.path)
        try LedgerDatabase.migrator.migrate(queue, upTo: "v6: folder listings")
        try queue.write { db in
            var head: (sequence: Int64, hash: String)?
            for event in events {
                let link = EventChain.link(event, after: head)
                try db.execute(
                    sql: """
                        INSERT INTO event (id, host, sequence, time, kind, category, payload, previous_hash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        event.id.rawValue, event.host, link.sequence, EventChain.timestamp(event.time), event.kind.rawValue,
                        event.dataCategory, link.payload, link.previousHash, link.hash,
                    ])
                for subject in event.subjects {
                    try db.execute(
                        sql: "INSERT INTO event_subject (subject, event_id) VALUES (?, ?)", arguments: [subject.rawValue, event.id.rawValue])
                }
                head = (link.sequence, link.hash)
                links.append(link)
            }
        }
        guard orphan else { return }
        // A row the ledger's owner added by hand (SQLite enforces the foreign key only where asked).
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(
                sql: "INSERT INTO event_subject (subject, event_id) VALUES (?, 'no-such-event')",
                arguments: [events[0].subjects[0].rawValue])
        }
    }

    /// Each run reads the start, hold, request and block events first: through an index, not
    /// by scanning every event (a run over an unchanged store must not grow with the ledger).
    @Test func theRareKindsAreReadThroughAnIndex() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        try ledger.append([event(.retain, item: "cur/1"), event(.start, item: "cur/1")])
        let plan = try ledger.database.pool.read { db in
            try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN SELECT payload FROM event WHERE kind IN (?) AND \(LedgerDatabase.rareKinds) ORDER BY host, sequence",
                arguments: ["start"])
                .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX event_kind") }, "\(plan)")
        var starts: [String] = []
        try ledger.forEachEvent(matching: EventFilter(kinds: [.start])) { starts.append($0.event.location.item ?? "") }
        #expect(starts == ["cur/1"])
        // Only the rare kinds are in it (a message's collect and retain events are not), and
        // every kind is still found.
        let indexed = try ledger.database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM event INDEXED BY event_kind WHERE \(LedgerDatabase.rareKinds)")
        }
        #expect(indexed == 1)
        var retained: [String] = []
        try ledger.forEachEvent(matching: EventFilter(kinds: [.retain, .start])) { retained.append($0.event.kind.rawValue) }
        #expect(retained == ["retain", "start"])
    }

    /// An event's kind and category are stored once each, in `event_name`, and named by number
    /// in its row (`collect` 1, `retain` 2 always): a byte where the text took seven to twenty.
    /// Filters by kind and category find the same events, also in a ledger opened anew.
    @Test func kindsAndCategoriesAreStoredOnceAndNamedByNumber() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        let ledger = try SQLiteLedger(url: url)
        var spam = event(.erase, item: "cur/3")
        spam.dataCategory = "spam"
        try ledger.append([event(.retain, item: "cur/1"), event(.collect, item: "cur/2"), spam, event(.retain, item: "cur/4")])
        let stored = try ledger.database.pool.read { db in
            (
                try Row.fetchAll(db, sql: "SELECT typeof(kind) AS k, typeof(category) AS c, kind, category FROM event ORDER BY row"),
                try Row.fetchAll(db, sql: "SELECT id, text FROM event_name ORDER BY id").map { "\($0[0] as Int64)=\($0[1] as String)" }
            )
        }
        #expect(stored.0.allSatisfy { $0["k"] == "integer" && $0["c"] == "integer" })
        #expect(stored.0.map { $0["kind"] as Int64 } == [2, 1, 4, 2])
        #expect(stored.1 == ["1=collect", "2=retain", "3=accounting-document", "4=erase", "5=spam"])
        for reader in [ledger, try SQLiteLedger(url: url)] {
            var items: [String] = []
            try reader.forEachEvent(matching: EventFilter(kinds: [.retain])) { items.append($0.event.location.item ?? "") }
            #expect(items == ["cur/1", "cur/4"])
            items = []
            try reader.forEachEvent(matching: EventFilter(category: "spam")) { items.append($0.event.location.item ?? "") }
            #expect(items == ["cur/3"])
            items = []
            try reader.forEachEvent(matching: EventFilter(kinds: [.block], category: "no-such-category")) { items.append($0.event.location.item ?? "") }
            #expect(items.isEmpty)
            #expect(try reader.verify().isIntact)
        }
    }

    /// A ledger of schema v11 (kinds and categories as text) converts on open: the same rows
    /// under the same numbers (deltas and the subject index name rows by number), the texts
    /// named, and the file rewritten without the old rows' pages.
    @Test func aLedgerOfSchemaV11ConvertsToKindsAndCategoriesByNumber() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        let queue = try DatabaseQueue(path: url.path)
        try LedgerDatabase.migrator.migrate(queue, upTo: "v11: no subject index by event")
        var links: [ChainedEvent] = []
        var spam = event(.transfer, item: "cur/9")
        spam.dataCategory = "spam"
        let events = (0..<30).map { event($0 % 3 == 0 ? .collect : .retain, item: "cur/\($0)") } + [spam]
        try queue.write { db in
            var head: (sequence: Int64, hash: String)?
            for (n, event) in events.enumerated() {
                let link = EventChain.link(event, after: head)
                // Rows numbered from 5 with gaps, as a ledger that lost a rolled-back append has.
                let row = Int64(5 + 2 * n)
                try db.execute(
                    sql: """
                        INSERT INTO event (row, id, host, sequence, time, kind, category, payload, previous_hash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, x'', ?)
                        """,
                    arguments: [
                        row, CompactValue.id(event.id.rawValue), event.host, link.sequence, EventChain.milliseconds(of: event.time),
                        event.kind.rawValue, event.dataCategory, link.payload, CompactValue.hex(link.hash),
                    ])
                try db.execute(sql: "INSERT OR IGNORE INTO subject (pseudonym) VALUES (?)", arguments: [CompactValue.hex(event.subjects[0].rawValue)])
                try db.execute(sql: "INSERT INTO event_subject (subject, event) VALUES (1, ?)", arguments: [row])
                head = (link.sequence, link.hash)
                links.append(link)
            }
        }
        try queue.close()
        let ledger = try SQLiteLedger(url: url)
        let converted = try ledger.database.pool.read { db in
            (
                try Int64.fetchAll(db, sql: "SELECT row FROM event ORDER BY row"),
                try String.fetchAll(db, sql: "SELECT DISTINCT typeof(kind) || ' ' || typeof(category) FROM event"),
                try String.fetchAll(db, sql: "SELECT text FROM event_name ORDER BY id"),
                try String.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = ?", arguments: [LedgerDatabase.rewriteAfterConversion]),
                try Int.fetchOne(db, sql: "PRAGMA freelist_count")
            )
        }
        let expectedRows: [Int64] = (0..<31).map { 5 + 2 * Int64($0) }
        #expect(converted.0 == expectedRows)
        #expect(converted.1 == ["integer integer"])
        #expect(converted.2 == ["collect", "retain", "accounting-document", "spam", "transfer"])
        #expect(converted.3 == nil, "rewritten, and so marked")
        #expect(converted.4 == 0)
        let verification = try ledger.verify()
        #expect(verification.isIntact, "\(verification.problems)")
        #expect(verification.eventCount == 31)
        var read: [ChainedEvent] = []
        try ledger.forEachEvent(matching: EventFilter()) { read.append($0) }
        #expect(read.map(\.hash) == links.map(\.hash))
        var kinds: [String] = []
        try ledger.forEachEvent(matching: EventFilter(kinds: [.transfer, .collect], category: "spam")) { kinds.append($0.event.kind.rawValue) }
        #expect(kinds == ["transfer"])
        // Appends go on numbering after the converted rows, and the chain stays one.
        try ledger.append([event(.retain, item: "cur/after")])
        #expect(try ledger.verify().isIntact)
    }

    /// `verify` compares an event's kind and category with its payload: a category changed in
    /// its row, a name changed in `event_name`, a number that names nothing and a kind written
    /// as text by hand are each found at the events they touch.
    @Test func kindsAndCategoriesChangedByHandAreFoundByVerify() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        var spam = event(.retain, item: "cur/4")
        spam.dataCategory = "spam"
        try ledger.append((1...3).map { event(.retain, item: "cur/\($0)") } + [spam, event(.collect, item: "cur/5")])
        try ledger.database.pool.write { db in
            try db.execute(sql: "DROP TRIGGER event_append_only_update; DROP TRIGGER event_name_append_only_update")
        }
        /// The problems `verify` reports after `sql`, which `undo` then takes back.
        func problems(after sql: String, undo: String) throws -> [String] {
            try ledger.database.pool.write { try $0.execute(sql: sql) }
            defer { try? ledger.database.pool.write { try $0.execute(sql: undo) } }
            return try ledger.verify().problems
        }
        let disagree = "has columns that disagree with its recorded content"
        var found = try problems(
            after: "UPDATE event SET category = (SELECT id FROM event_name WHERE text = 'spam') WHERE sequence = 2",
            undo: "UPDATE event SET category = (SELECT id FROM event_name WHERE text = 'accounting-document') WHERE sequence = 2")
        #expect(found.count == 1 && found[0].contains("(sequence 2) \(disagree)"), "\(found)")
        found = try problems(
            after: "UPDATE event_name SET text = 'invoice' WHERE text = 'accounting-document'",
            undo: "UPDATE event_name SET text = 'accounting-document' WHERE text = 'invoice'")
        #expect(found.count == 4 && found.allSatisfy { $0.contains(disagree) }, "\(found)")
        found = try problems(after: "UPDATE event SET kind = 99 WHERE sequence = 5", undo: "UPDATE event SET kind = 1 WHERE sequence = 5")
        #expect(found.count == 1 && found[0].contains("(sequence 5) \(disagree)"), "\(found)")
        found = try problems(after: "UPDATE event SET kind = 'retain' WHERE sequence = 1", undo: "UPDATE event SET kind = 2 WHERE sequence = 1")
        #expect(found == [
            "host mx1: event \(try firstID(of: ledger)) (sequence 1) has columns stored as text that privctl stores as bytes or numbers"
        ])
        #expect(try ledger.verify().isIntact)
    }

    /// A privctl from before schema v12 that still runs while a newer one converts the file
    /// appends kinds and categories as text, which filters would not find: its insert fails.
    @Test func anOlderPrivctlCannotAppendToAConvertedLedger() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        try ledger.append([event(.retain, item: "cur/1"), event(.hold, item: "cur/2")])
        let copy = "INSERT INTO event (row, id, host, sequence, time, kind, category, payload, previous_hash, hash) SELECT row + 10, "
        for columns in ["'retain', category", "kind, 'accounting-document'"] {
            #expect {
                try ledger.database.pool.write { db in
                    try db.execute(
                        sql: copy + "randomblob(16), host, sequence + 10, time, \(columns), payload, previous_hash, hash FROM event WHERE sequence = 1")
                }
            } throws: { error in
                "\(error)".contains("a newer privctl converted this ledger (kinds and categories by number): upgrade privctl")
            }
        }
        // Numbers, as privctl writes them: appended.
        try ledger.database.pool.write { db in
            try db.execute(sql: copy + "randomblob(16), host, sequence + 10, time, kind, category, payload, previous_hash, hash FROM event WHERE sequence = 1")
        }
        #expect(try ledger.count() == 3)
    }

    /// Subject numbers are remembered from one append to the next only once the append that
    /// gave them committed: a number given in an append that failed names no subject, and the
    /// next append gives the subject a number again.
    @Test func aSubjectNumberFromAFailedAppendIsNotUsedAgain() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        try ledger.append([event(.retain, item: "cur/0")])
        // A chain no append can continue: host mx2, its sequence stored as text.
        try ledger.database.pool.write { db in
            try db.execute(sql: """
                INSERT INTO event (row, id, host, sequence, time, kind, category, payload, previous_hash, hash)
                SELECT row + 10, randomblob(16), 'mx2', 'x', time, kind, category, payload, previous_hash, hash FROM event
                """)
        }
        let bob = key.pseudonym(for: "bob@example.org")
        var first = event(.retain, item: "cur/1"), second = event(.retain, item: "cur/2")
        first.subjects = [bob]
        second.host = "mx2"
        // Bob is numbered for the first event, then the second fails: nothing of it stays.
        #expect(throws: LedgerError.self) { try ledger.append([first, second]) }
        var again = event(.retain, item: "cur/3")
        again.subjects = [bob]
        try ledger.append([again])
        var found: [String] = []
        try ledger.forEachEvent(matching: EventFilter(subject: bob)) { found.append($0.event.location.item ?? "") }
        #expect(found == ["cur/3"])
        let unnamed = try ledger.database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM event_subject i WHERE NOT EXISTS (SELECT 1 FROM subject s WHERE s.id = i.subject)")
        }
        #expect(unnamed == 0)
    }

    /// Text is bound as GRDB binds it, as a C string: a host name with a NUL in it (which
    /// privctl's settings refuse, but the library takes) is stored as every read through GRDB
    /// finds it, so the chain's head is found again and the next append continues it.
    @Test func aHostWithANulIsStoredAsItIsLookedUp() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        var first = event(.retain, item: "cur/1"), second = event(.retain, item: "cur/2")
        first.host = "ab\u{0}cd"
        second.host = "ab\u{0}cd"
        try ledger.append([first])
        try ledger.append([second])
        #expect(try ledger.count() == 2)
        let sequences = try ledger.database.pool.read { db in try Int64.fetchAll(db, sql: "SELECT sequence FROM event ORDER BY row") }
        #expect(sequences == [1, 2])
    }

    private func firstID(of ledger: SQLiteLedger) throws -> String {
        var id = ""
        try ledger.forEachEvent(matching: EventFilter(limit: 1)) { id = $0.event.id.rawValue }
        return id
    }

    /// A folder listing row that does not read as one (damaged, edited by hand) is no listing:
    /// the folder is then read as usual; nothing crashes.
    @Test func aDamagedFolderListingIsNoListing() throws {
        let dir = try TemporaryDirectory()
        let database = try LedgerDatabase(url: dir.url.appendingPathComponent("ledger.sqlite"))
        let index = MessageIndex(database: database)
        var digest = ListingDigest(salt: (1, 2))
        digest.add(item: "cur/1.a", size: 10)
        for damage in ["digest = 'abc'", "messages = 'x'", "salt = x'00'", "policy = x'00'", "messages = -1", "digest = 1.5"] {
            try index.recordListings([("/m/.Technik", digest)], policy: "p")
            #expect(try index.listing(of: "/m/.Technik")?.digest == digest)
            try database.pool.write { db in try db.execute(sql: "UPDATE folder_listing SET \(damage)") }
            #expect(try index.listing(of: "/m/.Technik") == nil, "\(damage)")
        }
    }
}

/// A payload stored as the difference from the one stored whole before it (`PayloadDelta`).
@Suite struct PayloadDeltaTests {
    let key = PseudonymKey(bytes: Array(repeating: 5, count: 32))

    func pair(_ n: Int) -> [PrivacyEvent] {
        let location = DataLocation(store: "/srv/mail/anna/Maildir", item: "cur/\(n).mx:2,S", messageID: "<\(n)@example.org>")
        let people = [key.pseudonym(for: "p\(n)@example.org"), key.pseudonym(for: "q\(n)@example.net")]
        let basis = LegalBasis(.legalObligation, retentionLaw: "HGB §257")
        let time = Date()  // recorded together, as classify records a message's events
        return [
            PrivacyEvent(
                time: time, host: "mx1", kind: .collect, subjects: people, dataCategory: "business-letter", purpose: "letters \"quoted\", {braced}",
                legalBasis: basis, location: location, details: ["source": "received"]),
            PrivacyEvent(
                time: time, host: "mx1", kind: .retain, subjects: people, dataCategory: "business-letter", purpose: "letters \"quoted\", {braced}",
                legalBasis: basis, location: location, keepUntil: CalendarDay(iso: "2032-12-31"), legalDuty: true,
                details: ["rule": "letter"]),
        ]
    }

    func members(_ text: String) -> [String]? {
        var text = text
        return text.withUTF8 { bytes in
            PayloadDelta.members(of: bytes).map { $0.map { String(decoding: bytes[$0.key], as: UTF8.self) } }
        }
    }

    @Test func aDeltaMergesBackIntoItsEventByteForByte() throws {
        let base = #"{"a":"x\"}{,@","b":[1,{"c":"]"}],"d":true,"e":"only the base's"}"#
        let event = #"{"a":"x\"}{,@","b":[1,{"c":"]"}],"d":false,"f":"@"}"#
        #expect(members(base) == [#""a""#, #""b""#, #""d""#, #""e""#])
        // (It inherits 22 of its 51 bytes: less than privctl stores as a delta.)
        #expect(PayloadDelta.make(event, base: base) == nil)
        let made = try #require(PayloadDelta.make(event, base: base, minimumShare: 0))
        #expect(made.delta == #"{"a":@,"b":@,"d":false,"f":"@"}"#)
        #expect(made.inheritedBytes == 22)
        var delta = made.delta
        let merged = delta.withUTF8 { PayloadDelta.apply($0, to: PayloadDelta.Base(base)) }
        #expect(merged.map { Array($0.utf8) } == Array(event.utf8))
        // Nothing in common: no delta.
        #expect(PayloadDelta.make(#"{"z":1}"#, base: base, minimumShare: 0) == nil)
        // A member inherited that the base does not have, or inherited again and again (a few
        // stored bytes standing for many times the base): not a payload.
        var missing = #"{"q":@}"#, broken = #"{"a":@"#
        var thrice = #"{"a":@,"a":@,"a":@}"#
        let large = #"{"a":""# + String(repeating: "x", count: 1_000) + #""}"#
        #expect(missing.withUTF8 { PayloadDelta.apply($0, to: PayloadDelta.Base(base)) } == nil)
        // Inherited out of the base's order: no delta privctl writes (merging stays one pass
        // over the base, however the members are named).
        var reversed = #"{"b":@,"a":@}"#
        #expect(reversed.withUTF8 { PayloadDelta.apply($0, to: PayloadDelta.Base(base)) } == nil)
        #expect(thrice.withUTF8 { PayloadDelta.apply($0, to: PayloadDelta.Base(large)) } == nil)
        #expect(broken.withUTF8 { PayloadDelta.apply($0, to: PayloadDelta.Base(base)) } == nil)
        // Names that differ only in Unicode normalisation are different values.
        let composed = #"{"item":"caf\#u{E9}","x":"same value"}"#, decomposed = #"{"item":"cafe\#u{301}","x":"same value"}"#
        var nfd = try #require(PayloadDelta.make(decomposed, base: composed, minimumShare: 0)).delta
        #expect(nfd.withUTF8 { PayloadDelta.apply($0, to: PayloadDelta.Base(composed)) }.map { Array($0.utf8) } == Array(decomposed.utf8))
    }

    /// A ledger that has trained its dictionary, then a message's collect and retain events:
    /// the retain event is stored as its difference from the collect event, reads back as it
    /// was appended however it is read, verifies, and a changed collect row shows in both.
    @Test func aRetainEventIsStoredAsItsDifferenceFromItsCollectEvent() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        var links: [ChainedEvent] = []
        for batch in 0..<11 { links += try ledger.append((0..<50).flatMap { pair(batch * 100 + $0) }) }
        let stored = try ledger.database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT (SELECT text FROM event_name WHERE id = kind) AS kind, sequence, hex(substr(payload, 1, 1)) AS format,
                       length(payload) AS bytes
                FROM event ORDER BY row
                """)
        }
        let last = stored.suffix(100)
        let collects = last.filter { $0["kind"] == "collect" }, retains = last.filter { $0["kind"] == "retain" }
        // Both without the id and time their rows hold (formats 3 and 4, `PayloadElision`).
        #expect(collects.allSatisfy { $0["format"] == "03" })
        #expect(retains.allSatisfy { $0["format"] == "04" }, "each retain a delta")
        let collectBytes = collects.reduce(0) { $0 + ($1["bytes"] as Int) }, retainBytes = retains.reduce(0) { $0 + ($1["bytes"] as Int) }
        #expect(retainBytes * 2 < collectBytes, "\(retainBytes) against \(collectBytes)")

        var read: [ChainedEvent] = []
        try ledger.forEachEvent(matching: .all) { read.append($0) }
        #expect(read == links)
        // Retain events alone: each delta's base read by its row.
        var retained: [ChainedEvent] = []
        try ledger.forEachEvent(matching: EventFilter(kinds: [.retain])) { retained.append($0) }
        #expect(retained == links.filter { $0.event.kind == .retain })
        var forOne: [ChainedEvent] = []
        try ledger.forEachEvent(matching: EventFilter(subject: key.pseudonym(for: "q1049@example.net"))) { forOne.append($0) }
        #expect(forOne.map(\.event.kind) == [.collect, .retain])
        #expect(try ledger.verify().isIntact)
        // Segments of 3 events: deltas whose base lies in the segment before.
        let segmented = try ledger.verify(segmentMinimum: 3)
        #expect(segmented.isIntact && segmented.eventCount == 1_100)

        // A byte of a collect row changed: its retain event no longer reads as hashed either.
        let collect = try #require(collects.last.map { $0["sequence"] as Int64 })
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER event_append_only_update")
            try db.execute(sql: "UPDATE event SET payload = substr(payload, 1, 30) || x'00' || substr(payload, 32) WHERE sequence = ?", arguments: [collect])
        }
        let problems = try ledger.verify().problems
        #expect(problems.contains { $0.contains("(sequence \(collect))") })
        #expect(problems.contains { $0.contains("(sequence \(collect + 1))") }, "\(problems)")
        #expect(throws: (any Error).self) { try ledger.forEachEvent(matching: EventFilter(kinds: [.retain])) { _ in } }
        // A delta pointed at another message's collect event: it merges, but into an event
        // that was never hashed, which is never read as one.
        let before = try #require(retains.dropLast().last.map { $0["sequence"] as Int64 })
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "UPDATE event SET payload = x'04' || substr(payload, 2, 1) || x'03' || substr(payload, 4) WHERE sequence = ?", arguments: [before])
        }
        #expect(try ledger.verify().problems.contains { $0.contains("(sequence \(before))") })
        do {
            try ledger.forEachEvent(matching: EventFilter(kinds: [.retain], since: nil)) { _ in }
            Issue.record("a retain event read from another message's collect event")
        } catch {
            #expect("\(error)".contains("sequence \(before)"), "\(error)")
        }
        // A delta pointed at another delta (a base is always stored whole): not read.
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "UPDATE event SET payload = x'04' || substr(payload, 2, 1) || x'02' || substr(payload, 4) WHERE sequence = ?", arguments: [collect - 1])
        }
        #expect(try ledger.verify().problems.contains { $0.contains("(sequence \(collect - 1))") })
    }

    /// A payload stored without its id and time (`PayloadElision`) reads back byte for byte,
    /// wherever the two members are and whatever else holds an `id`; one that does not hold
    /// both, or holds the marker already, is not elided.
    @Test func aPayloadWithoutItsIdAndTimeReadsBackByteForByte() throws {
        let id = "01a25239-bcdf-74c3-b1fa-2a62a12c7f02", time = "2026-12-07T20:37:25.343Z"
        for payload in [
            #"{"details":{"id":"01a25239-bcdf-74c3-b1fa-2a62a12c7f02"},"host":"vm","id":"01a25239-bcdf-74c3-b1fa-2a62a12c7f02","kind":"retain","time":"2026-12-07T20:37:25.343Z"}"#,
            #"{"time":"2026-12-07T20:37:25.343Z","id":"01a25239-bcdf-74c3-b1fa-2a62a12c7f02"}"#,
            #"{"host":"é","id":"01a25239-bcdf-74c3-b1fa-2a62a12c7f02","purpose":"\"id\":#","time":"2026-12-07T20:37:25.343Z"}"#,
        ] {
            let stored = try #require(PayloadElision.elide(payload, id: id, time: time), "\(payload)")
            #expect(stored.utf8.count == payload.utf8.count - id.utf8.count - time.utf8.count - 2)
            #expect(PayloadElision.restore(stored, id: id, time: time).map { Array($0.utf8) } == Array(payload.utf8))
            // Other columns put other values back: no longer the payload that was hashed.
            #expect(PayloadElision.restore(stored, id: id, time: "2026-12-07T20:37:25.344Z") != payload)
        }
        #expect(PayloadElision.elide(#"{"id":"\#(id)","time":"2026-12-07T20:37:25.000Z"}"#, id: id, time: time) == nil)
        #expect(PayloadElision.elide(#"{"id":"\#(id)"}"#, id: id, time: time) == nil)
        #expect(PayloadElision.restore(#"{"id":#}"#, id: id, time: time) == nil)
    }

    /// An event after one deleted by hand: its hash cannot be checked (the event before is
    /// missing), and one stored whole without its id and time is still read; `verify`
    /// reports the missing event.
    @Test func anEventAfterAMissingOneIsStillRead() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        for batch in 0..<11 { try ledger.append((0..<50).flatMap { pair(batch * 100 + $0) }) }
        let collect = try ledger.database.pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM event WHERE hex(substr(payload, 1, 1)) = '03'")!
        }
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER event_append_only_delete")
            try db.execute(sql: "DELETE FROM event WHERE sequence = ?", arguments: [collect - 1])
        }
        var read: [Int64] = []
        try ledger.forEachEvent(matching: EventFilter(kinds: [.collect])) { read.append($0.sequence) }
        #expect(read.contains(collect))
        #expect(try ledger.verify().problems.contains { $0.contains("(sequence \(collect)) does not link to the event before it") })
    }

    /// An id or time column changed by hand in a row stored without them: the value put back
    /// is the changed one, which no longer hashes to the event's hash, and `verify` says so.
    @Test func anIdOrTimeChangedInARowStoredWithoutThemIsFoundByVerify() throws {
        let dir = try TemporaryDirectory()
        let ledger = try SQLiteLedger(url: dir.url.appendingPathComponent("ledger.sqlite"))
        for batch in 0..<11 { try ledger.append((0..<50).flatMap { pair(batch * 100 + $0) }) }
        let (collect, retain) = try ledger.database.pool.read { db in
            (
                try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM event WHERE hex(substr(payload, 1, 1)) = '03'")!,
                try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM event WHERE hex(substr(payload, 1, 1)) = '04'")!
            )
        }
        try ledger.database.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER event_append_only_update")
            try db.execute(sql: "UPDATE event SET time = time + 1 WHERE sequence = ?", arguments: [retain])
            try db.execute(sql: "UPDATE event SET id = zeroblob(16) WHERE sequence = ?", arguments: [collect - 2])
        }
        let problems = try ledger.verify().problems
        #expect(problems.contains { $0.contains("(sequence \(retain)) was changed") }, "\(problems)")
        #expect(
            problems.contains { $0.contains("event 00000000-0000-0000-0000-000000000000 (sequence \(collect - 2)) was changed") },
            "\(problems)")
        // Never read as an event with the changed id or time.
        do {
            try ledger.forEachEvent(matching: EventFilter(kinds: [.collect])) { _ in }
            Issue.record("an event read with an id it was not recorded with")
        } catch {
            #expect("\(error)".contains("(sequence \(collect - 2), its payload is stored without its id and time"), "\(error)")
        }
    }
}
