import Foundation
import PostgresLedger
import PrivacyEvents
import SQLiteLedger
import TestSupport
import Testing

/// The ledger's behaviours, against every backend: the same events, the same chains, the same
/// verification. (SQLite alone where PostgreSQL is not installed.)
@Suite struct LedgerBehaviourTests {
    let make = EventMaker()

    @Test(arguments: Backend.available)
    func appendsChainsAndReadsBack(_ backend: Backend) throws {
        let fixture = try LedgerFixture(backend)
        let ledger = try fixture.open()
        let written = try ledger.append([make.event(.retain), make.event(.block), make.event(.erase)])
        #expect(written.map(\.sequence) == [1, 2, 3])
        #expect(written[0].previousHash == EventChain.genesis)
        #expect(written[1].previousHash == written[0].hash)
        var read: [ChainedEvent] = []
        try ledger.forEachEvent(matching: .all) { read.append($0) }
        #expect(read == written)
        #expect(read[0].event.keepUntil?.description == "2027-12-31")
        let verification = try ledger.verify()
        #expect(verification.isIntact)
        #expect(verification.eventCount == 3)
        #expect(verification.heads["mx1"] == written[2].hash)

        // Another connection continues the same chain.
        let again = try fixture.open().append([make.event(.retain, item: "cur/2")])
        #expect(again.map(\.sequence) == [4])
        #expect(again[0].previousHash == written[2].hash)
    }

    @Test(arguments: Backend.available)
    func retriedAppendRecordsNothingTwice(_ backend: Backend) throws {
        let fixture = try LedgerFixture(backend)
        let ledger = try fixture.open()
        let e = make.event(.retain)
        try ledger.append([e])
        let second = try ledger.append([e, make.event(.erase)])
        #expect(second.count == 1)
        #expect(second.first?.sequence == 2)
        // The same event twice in one batch is one event.
        let twice = make.event(.block)
        #expect(try ledger.append([twice, twice]).count == 1)
        #expect(try fixture.count(ledger) == 3)
        #expect(try ledger.verify().isIntact)
    }

    @Test(arguments: Backend.available)
    func filtersByKindSubjectCategoryHostAndTime(_ backend: Backend) throws {
        let fixture = try LedgerFixture(backend)
        let ledger = try fixture.open()
        var old = make.event(.retain, subject: "bob@example.org")
        old.time = Date(timeIntervalSince1970: 1_600_000_000)
        try ledger.append([old, make.event(.retain), make.event(.erase), make.event(.block, host: "mx2")])
        func count(_ filter: EventFilter) throws -> Int { try fixture.count(ledger, filter) }
        #expect(try count(EventFilter(kinds: [.retain])) == 2)
        #expect(try count(EventFilter(kinds: [.retain, .block])) == 3)
        #expect(try count(EventFilter(subject: make.key.pseudonym(for: "BOB@example.org"))) == 1)
        #expect(try count(EventFilter(subject: make.key.pseudonym(for: "nobody@example.org"))) == 0)
        #expect(try count(EventFilter(category: "accounting-document")) == 4)
        #expect(try count(EventFilter(category: "newsletter")) == 0)
        #expect(try count(EventFilter(host: "mx2")) == 1)
        #expect(try count(EventFilter(since: Date(timeIntervalSince1970: 1_700_000_000))) == 3)
        #expect(try count(EventFilter(until: Date(timeIntervalSince1970: 1_700_000_000))) == 1)
        // Millisecond precision at the boundary, as the timestamps are written.
        #expect(try count(EventFilter(since: Date(timeIntervalSince1970: 1_600_000_000.0004))) == 4)
        #expect(try count(EventFilter(kinds: [.retain], host: "mx1", limit: 1)) == 1)
        #expect(try count(EventFilter(limit: 2)) == 2)
        // Chain order: host, then sequence.
        var order: [String] = []
        try ledger.forEachEvent(matching: .all) { order.append("\($0.event.host)/\($0.sequence)") }
        #expect(order == ["mx1/1", "mx1/2", "mx1/3", "mx2/1"])
        // Each host has its own chain.
        #expect(try ledger.verify().hosts == ["mx1", "mx2"])
    }

    @Test(arguments: Backend.available)
    func readsManyEventsInPages(_ backend: Backend) throws {
        let fixture = try LedgerFixture(backend)
        let ledger = try fixture.open()
        let events = (0..<4500).map { make.event(.retain, item: "cur/\($0)") }
        for start in stride(from: 0, to: events.count, by: 1000) {
            try ledger.append(Array(events[start..<min(start + 1000, events.count)]))
        }
        var sequences: [Int64] = []
        try ledger.forEachEvent(matching: .all) { sequences.append($0.sequence) }
        #expect(sequences == Array(1...4500))
        #expect(try ledger.verify().eventCount == 4500)
    }

    @Test(arguments: Backend.available)
    func triggersRejectUpdateAndDelete(_ backend: Backend) throws {
        let fixture = try LedgerFixture(backend)
        let ledger = try fixture.open()
        try ledger.append([make.event(.retain)])
        for sql in ["UPDATE event SET kind = 'erase'", "DELETE FROM event", "DELETE FROM event_subject", "UPDATE event_subject SET subject = 'x'"] {
            let result = try fixture.sql(sql)
            #expect(!result.ok, "\(sql)")
            #expect(result.output.contains("append-only"), "\(sql): \(result.output)")
        }
        if backend == .postgres {
            for sql in ["TRUNCATE event CASCADE", "TRUNCATE event_subject"] {
                let result = try fixture.sql(sql)
                #expect(!result.ok && result.output.contains("append-only"), "\(sql): \(result.output)")
            }
        }
        #expect(try fixture.count(ledger) == 1)
        #expect(try ledger.verify().isIntact)
    }

    @Test(arguments: Backend.available)
    func verifyDetectsRowsChangedOrRemovedByTheDatabaseOwner(_ backend: Backend) throws {
        let events = [make.event(.retain, item: "cur/1"), make.event(.retain, item: "cur/2"), make.event(.retain, item: "cur/3")]
        // How each backend's subject index names an event: SQLite by the event's row number
        // (and each subject by a number), PostgreSQL by the event's id.
        let (indexEvent, eventKey) = backend == .sqlite ? ("event", "row") : ("event_id", "id")

        // The owner can disable the triggers; verification must still notice. Each change on
        // a ledger of its own holding `events`.
        func problemsFound(after sql: String) throws -> [String] {
            let fixture = try LedgerFixture(backend)
            let ledger = try fixture.open()
            try ledger.append(events)
            try fixture.disableTriggers()
            #expect(try fixture.sql(sql).ok)
            return try ledger.verify().problems
        }
        var problems = try problemsFound(after: "UPDATE event SET payload = replace(payload, 'cur/2', 'cur/9') WHERE sequence = 2")
        #expect(problems.count == 1)
        #expect(problems.first?.contains("was changed") == true)

        // A column that no longer agrees with the payload.
        problems = try problemsFound(after: "UPDATE event SET kind = 'erase' WHERE sequence = 3")
        #expect(problems.contains { $0.contains("disagree with its recorded content") })

        // A category that no longer agrees with the payload (filters by category would miss it).
        problems = try problemsFound(after: "UPDATE event SET category = 'spam' WHERE sequence = 2")
        #expect(problems.contains { $0.contains("(sequence 2) has columns that disagree with its recorded content") }, "\(problems)")

        // A subject taken out of the index.
        problems = try problemsFound(after: "DELETE FROM event_subject WHERE \(indexEvent) = (SELECT \(eventKey) FROM event WHERE sequence = 1)")
        #expect(problems.contains { $0.contains("subject index disagrees") })

        // A subject moved to another event's rows: as many rows as before, in the wrong place.
        let moved = try LedgerFixture(backend)
        let movedLedger = try moved.open()
        try movedLedger.append([
            make.event(.retain, subject: "anna@example.org", item: "cur/1"), make.event(.retain, subject: "bert@example.org", item: "cur/2"),
        ])
        try moved.disableTriggers()
        #expect(try moved.sql("""
            INSERT INTO event_subject (subject, \(indexEvent))
                SELECT subject, (SELECT \(eventKey) FROM event WHERE sequence = 2) FROM event_subject
                WHERE \(indexEvent) = (SELECT \(eventKey) FROM event WHERE sequence = 1);
            DELETE FROM event_subject WHERE \(indexEvent) = (SELECT \(eventKey) FROM event WHERE sequence = 1);
            """).ok)
        problems = try movedLedger.verify().problems
        #expect(problems.contains { $0.contains("subject index disagrees") })

        // A removed event.
        let removed = try LedgerFixture(backend)
        let fresh = try removed.open()
        try fresh.append(events)
        try removed.disableTriggers()
        #expect(try removed.sql("""
            DELETE FROM event_subject WHERE \(indexEvent) = (SELECT \(eventKey) FROM event WHERE sequence = 2);
            DELETE FROM event WHERE sequence = 2
            """).ok)
        problems = try fresh.verify().problems
        #expect(problems.contains { $0.contains("expected 2") })
        #expect(problems.contains { $0.contains("does not link") })

        // A subject index row for an event the ledger does not hold (verify counts the rows it
        // reached through events and looks for such rows only when the counts differ).
        // PostgreSQL's foreign key refuses such a row; SQLite enforces none.
        guard backend == .sqlite else { return }
        let orphan = try LedgerFixture(backend)
        let orphanLedger = try orphan.open()
        try orphanLedger.append(events)
        try orphan.disableTriggers()
        #expect(try orphan.sql("INSERT INTO event_subject (subject, event) SELECT min(subject), 999 FROM event_subject").ok)
        problems = try orphanLedger.verify().problems
        #expect(problems == ["subject index names event row 999, which is not in the ledger"])

        // A row of the subject index whose subject number names no pseudonym.
        let unnamed = try LedgerFixture(backend)
        let unnamedLedger = try unnamed.open()
        try unnamedLedger.append(events)
        try unnamed.disableTriggers()
        #expect(try unnamed.sql("""
            INSERT INTO event_subject (subject, event) SELECT 999, row FROM event WHERE sequence = 1;
            DELETE FROM event_subject WHERE event = (SELECT row FROM event WHERE sequence = 1) AND subject <> 999;
            """).ok)
        problems = try unnamedLedger.verify().problems
        #expect(problems.contains { $0.contains("subject index disagrees") })
        #expect(problems.contains { $0.contains("whose subject is not in the subject table") })
    }

    /// The test: eight processes append 1,000 events each at the same moment; exactly
    /// 8,000 events are recorded and every chain verifies. Processes share hosts, so appends to
    /// one chain really do race.
    @Test(.timeLimit(.minutes(3)), arguments: Backend.available)
    func eightProcessesAppendingAtOnceLeaveEveryEventOnceInVerifiableChains(_ backend: Backend) throws {
        let fixture = try LedgerFixture(backend)
        // Create (and migrate) the ledger once, so the processes race on appends only.
        let ledger = try fixture.open()
        #expect(try ledger.verify().eventCount == 0)
        let startAt = Date().timeIntervalSince1970 + 1.5
        let processes = try (0..<8).map { worker in
            try StressProcess([
                "append", "--ledger", fixture.location, "--host", "mx\(worker % 3)", "--count", "1000",
                "--batch", worker % 2 == 0 ? "10" : "64", "--item", "w\(worker)/", "--start-at", "\(startAt)",
            ], in: fixture.dir)
        }
        for (worker, process) in processes.enumerated() {
            let result = process.wait()
            #expect(result.status == 0, "worker \(worker): \(result.output)")
        }
        let verification = try ledger.verify()
        #expect(verification.eventCount == 8000)
        #expect(verification.isIntact, "\(verification.problems.prefix(5))")
        #expect(verification.hosts == ["mx0", "mx1", "mx2"])
        // Each process's events are in its host's chain in the order it appended them.
        var lastIndex: [String: Int] = [:]
        var ids = Set<String>()
        try ledger.forEachEvent(matching: .all) { link in
            ids.insert(link.event.id.rawValue)
            let item = link.event.location.item ?? ""
            let parts = item.split(separator: "/")
            let index = Int(parts[1])!
            #expect(index > lastIndex[String(parts[0]), default: -1], "\(item)")
            lastIndex[String(parts[0])] = index
        }
        #expect(ids.count == 8000)
    }
}
