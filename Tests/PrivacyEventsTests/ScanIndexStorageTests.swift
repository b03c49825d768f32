import Foundation
import GRDB
import TestSupport
import Testing

@testable import PrivacyEvents
@testable import SQLiteLedger

/// How the scan index stores its rows (schema v10, ``ScanKey`` and ``ScanNames``): every key,
/// item and shared text reads back as written, by every query, and a message's copies are
/// exactly the rows its copy query finds.
@Suite struct ScanIndexStorageTests {
    let key = PseudonymKey(bytes: Array(repeating: 7, count: 32))

    func row(_ key: String, container: String, item: String, category: String = "inquiry", rule: String = "inquiry", size: Int = 100)
        -> IndexedMessage
    {
        IndexedMessage(
            key: key, container: container, item: item, size: size, contentHash: nil, policy: "31981d950d30d02e",
            category: category, rule: rule, messageDay: CalendarDay(iso: "2025-03-04")!, retainUntil: nil,
            expiresOn: CalendarDay(iso: "2027-03-05"), messageID: self.key.seal("<1@example.org>"),
            subjects: PseudonymList([self.key.pseudonym(for: "alice@example.org")]))
    }

    /// Keys and items of every store, and the odd ones a hostile tree can make: paths with `:`,
    /// `/copy` in a store's path, non-ASCII names, an item that starts with the byte the
    /// compact item form starts with, an item that only starts like its unique name.
    var rows: [IndexedMessage] {
        [
            row("maildir:/srv/vmail/anna/Maildir:1794128400.M1P1.mx", container: "/srv/vmail/anna/Maildir", item: "cur/1794128400.M1P1.mx:2,S"),
            row("maildir:/srv/vmail/anna/Maildir:1794128401.M2P2.mx", container: "/srv/vmail/anna/Maildir/.Junk", item: "new/1794128401.M2P2.mx"),
            row("maildir:/srv/vmail/anna/Maildir:1794128400.M1P1.mx/copy/srv/vmail/anna/Maildir/.Junk",
                container: "/srv/vmail/anna/Maildir/.Junk", item: "cur/1794128400.M1P1.mx:2,RS", category: "spam", rule: "junk-folder"),
            row("maildir:/srv/vmail/anna/Maildir:1794128400.M1P1.mx/copy/srv/vmail/anna/Maildir/.Junk//2",
                container: "/srv/vmail/anna/Maildir/.Junk", item: "new/1794128400.M1P1.mx", category: "spam", rule: "junk-folder"),
            row("maildir:/srv/vmail/anna/Maildir:1794128400.M1P1.mx2", container: "/srv/vmail/anna/Maildir", item: "cur/1794128400.M1P1.mx2:2,"),
            row("maildir:/home/copy/Maildir:17.M3P3.mx", container: "/home/copy/Maildir", item: "cur/17.M3P3.mx:2,S"),
            row("maildir:/home/copy/Maildir:17.M3P3.mx/copy/home/copy/Maildir/.a:b", container: "/home/copy/Maildir/.a:b",
                item: "cur/17.M3P3.mx:2,S"),
            row("maildir:/srv/Mail:dir/Maildir:18.M4P4.mx", container: "/srv/Mail:dir/Maildir", item: "cur/18.M4P4.mx:2,S"),
            row("maildir:/srv/Grüße/Maildir:19.M5.ä", container: "/srv/Grüße/Maildir", item: "new/19.M5.ä"),
            row("maildir:/srv/x/Maildir:20.M6", container: "/srv/x/Maildir", item: "\u{1}c:2,S"),
            row("maildir:/srv/x/Maildir:21.M7", container: "/srv/x/Maildir", item: "tmp/21.M7"),
            row("maildir:/srv/x/Maildir:", container: "/srv/x/Maildir", item: "cur/"),
            row("mbox:/var/mail/anna:\(String(repeating: "ab", count: 32)):0", container: "/var/mail/anna", item: "#1"),
            row("archive:/backups/b.tar.gz!Maildir/cur/1.M1:2,S", container: "/backups/b.tar.gz", item: "!Maildir/cur/1.M1:2,S"),
            row("file:/tmp/x.eml", container: "/tmp/x.eml", item: ""),
            row("no-slash-at-all", container: "", item: "x", category: "", rule: ""),
        ]
    }

    @Test func everyRowReadsBackAsWrittenByEveryQuery() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        let index = MessageIndex(database: try LedgerDatabase(url: url))
        let rows = self.rows
        let byKey = Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0) })
        try index.record(rows)
        // The same by a second index that remembers nothing.
        let fresh = MessageIndex(database: try LedgerDatabase(url: url))
        for reader in [index, fresh] {
            #expect(try reader.lookup(rows.map(\.key)) == byKey)
            #expect(try reader.lookup(["maildir:/nowhere:1", "maildir:/srv/vmail/anna/Maildir:unknown"]).isEmpty)
            #expect(try reader.count() == rows.count)
            #expect(try reader.containers() == Set(rows.map(\.container)).sorted())
            for container in Set(rows.map(\.container)) {
                let inContainer = rows.filter { $0.container == container }
                #expect(try reader.rows(in: container, limit: 100) == Dictionary(uniqueKeysWithValues: inContainer.map { ($0.key, $0) }))
                #expect(try reader.count(in: container) == inContainer.count)
                var keys: [String] = []
                try reader.forEachKey(in: container) { keys.append($0) }
                #expect(keys.sorted() == inContainer.map(\.key).sorted())
                #expect(Set(try reader.copyRows(in: container)) == Set(inContainer.filter { $0.key.contains("/copy") }))
            }
            // A message's copies: the keys that start with its key and `/copy`, none other.
            for message in rows {
                let copies = rows.filter { $0.key.hasPrefix(message.key + "/copy") }
                #expect(try reader.copyRows(of: message.key) == copies.sorted { $0.key < $1.key }, "\(message.key)")
            }
            let junk = try reader.categoryCounts(in: "/srv/vmail/anna/Maildir/.Junk", dueOn: CalendarDay(iso: "2028-01-01")!)
            #expect(Set(junk.map(\.category)) == ["inquiry", "spam"])
            #expect(junk.first { $0.category == "spam" }?.messages == 2)
        }
        // Renamed (flags changed) and removed rows.
        let first = rows[0]
        try index.record([], renamed: [(key: first.key, item: "cur/1794128400.M1P1.mx:2,RS")])
        #expect(try fresh.lookup([first.key])[first.key]?.item == "cur/1794128400.M1P1.mx:2,RS")
        try index.remove([rows[2].key, rows[3].key, "maildir:/nowhere:1"])
        #expect(try fresh.copyRows(of: first.key).isEmpty)
        #expect(try fresh.count() == rows.count - 2)
    }

    /// The stored form is the compact one: shared texts by number, a key without its start, a
    /// Maildir item without its unique name.
    /// A scan-index write that fails says so in one line naming the ledger file, as a failed
    /// append does, and leaves no row.
    @Test func aFailedWriteNamesTheLedger() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        let database = try LedgerDatabase(url: url)
        let index = MessageIndex(database: database)
        try database.pool.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON message_index BEGIN SELECT RAISE(ABORT, 'refused here'); END")
        }
        #expect {
            try index.record([row("maildir:/m/Maildir:1.M1P1.mx", container: "/m/Maildir", item: "cur/1.M1P1.mx:2,S")])
        } throws: { error in
            "\(error)" == "cannot write the scan index in the ledger \(url.path): refused here"
        }
        #expect(try index.count(in: "/m/Maildir") == 0)
    }

    @Test func rowsAreStoredWithoutWhatTheyShare() throws {
        let dir = try TemporaryDirectory()
        let database = try LedgerDatabase(url: dir.url.appendingPathComponent("ledger.sqlite"))
        let index = MessageIndex(database: database)
        try index.record((0..<200).map {
            row("maildir:/srv/vmail/example.org/anna/Maildir:17941284\($0).M\($0)P1.mx.example.org", container: "/srv/vmail/example.org/anna/Maildir",
                item: "cur/17941284\($0).M\($0)P1.mx.example.org:2,S")
        })
        let stored = try database.pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT max(length(key)), max(length(item)), sum(typeof(container) = 'integer'), sum(typeof(category) = 'integer'),
                       sum(typeof(rule) = 'integer') + sum(typeof(policy) = 'integer'), (SELECT count(*) FROM scan_name)
                FROM message_index
                """)!
        }
        #expect(stored[0] as Int == "1:Maildir:17941284199.M199P1.mx.example.org".count)
        #expect(stored[1] as Int == "\u{1}c:2,S".utf8.count)
        #expect(stored[2] as Int == 200 && stored[3] as Int == 200 && stored[4] as Int == 400)
        #expect(stored[5] as Int == 4, "the key's start, the folder, the policy, the category (and rule, the same text)")
        let indexes = try database.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'message_index' ORDER BY name")
        }
        #expect(indexes == ["message_index_container", "sqlite_autoindex_message_index_1"])
    }

    /// Folders and stores whose paths differ only in Unicode normalisation (`é` as one code
    /// point, or `e` and a combining accent) are different folders to the file system and to
    /// SQLite, and so to the index: each keeps its own rows, also through a v9 conversion.
    @Test func pathsThatDifferOnlyInNormalisationAreTwoFolders() throws {
        let composed = "/srv/m/Maildir/.caf\u{E9}", decomposed = "/srv/m/Maildir/.cafe\u{301}"
        #expect(composed == decomposed, "equal as Swift strings")
        let inFolders = [
            row("maildir:/srv/m/Maildir:200.B", container: composed, item: "cur/200.B:2,S"),
            row("maildir:/srv/m/Maildir:300.C", container: decomposed, item: "cur/300.C:2,S"),
        ]
        let stores = [
            row("maildir:/srv/caf\u{E9}/Maildir:1.A", container: "/srv/caf\u{E9}/Maildir", item: "cur/1.A:2,S"),
            row("maildir:/srv/cafe\u{301}/Maildir:1.A", container: "/srv/cafe\u{301}/Maildir", item: "new/1.A"),
        ]
        func check(_ index: MessageIndex) throws {
            #expect(try index.rows(in: composed, limit: 10)?.values.map(\.item) == ["cur/200.B:2,S"])
            #expect(try index.rows(in: decomposed, limit: 10)?.values.map(\.item) == ["cur/300.C:2,S"])
            #expect(try index.rows(in: decomposed, limit: 10)?.values.first.map { Array($0.container.utf8) } == Array(decomposed.utf8))
            #expect(try index.count() == 4)
            for store in stores {
                let found = try #require(try index.rows(in: store.container, limit: 10)?.values.first)
                #expect(Array(found.key.utf8) == Array(store.key.utf8) && found.item == store.item)
            }
        }
        let dir = try TemporaryDirectory()
        let index = MessageIndex(database: try LedgerDatabase(url: dir.url.appendingPathComponent("ledger.sqlite")))
        try index.record(inFolders)
        try index.record(stores)
        try check(index)

        // The same rows written by schema v9, converted.
        let url = dir.url.appendingPathComponent("v9.sqlite")
        let queue = try DatabaseQueue(path: url.path)
        try LedgerDatabase.migrator.migrate(queue, upTo: "v9: kind index of the rare kinds")
        try queue.write { db in
            for m in inFolders + stores {
                try db.execute(
                    sql: """
                        INSERT INTO message_index (key, container, item, size, policy, category, rule, message_day, subjects)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, x'')
                        """,
                    arguments: [m.key, m.container, m.item, m.size, CompactValue.hex(m.policy), m.category, m.rule, CompactValue.day(m.messageDay)])
            }
        }
        try queue.close()
        try check(MessageIndex(database: try LedgerDatabase(url: url)))
    }

    /// A scan index of schema v9 (keys, folders, categories and rules as text) converts to the
    /// compact rows and reads back the same, with its folder listings.
    @Test func theScanIndexOfSchemaV9Converts() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        let queue = try DatabaseQueue(path: url.path)
        try LedgerDatabase.migrator.migrate(queue, upTo: "v9: kind index of the rare kinds")
        let rows = self.rows
        try queue.write { db in
            for m in rows {
                try db.execute(
                    sql: """
                        INSERT INTO message_index (key, container, item, size, content_hash, policy, category, rule,
                            message_day, retain_until, expires_on, message_id, subjects, subject_numbers)
                        VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, NULL, ?, ?, ?, NULL)
                        """,
                    arguments: [
                        m.key, m.container, m.item, m.size, CompactValue.hex(m.policy), m.category, m.rule, CompactValue.day(m.messageDay),
                        m.expiresOn.map(CompactValue.day), m.messageID.map(CompactValue.sealed), CompactValue.pseudonyms(m.subjects),
                    ])
            }
            try db.execute(sql: """
                INSERT INTO folder_listing (container, salt, messages, digest, policy)
                VALUES ('/srv/x/Maildir', x'00000000000000000000000000000000', 4, 0, 'p'), ('/gone', x'00000000000000000000000000000000', 1, 0, 'p')
                """)
        }
        try queue.close()
        let index = MessageIndex(database: try LedgerDatabase(url: url))
        #expect(try index.lookup(rows.map(\.key)) == Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0) }))
        #expect(try index.copyRows(of: rows[0].key).count == 2)
        #expect(try index.listing(of: "/srv/x/Maildir") != nil)
        try index.forgetListingsWithoutRows()
        #expect(try index.listing(of: "/srv/x/Maildir") != nil)
        #expect(try index.listing(of: "/gone") == nil)
    }
}

/// A ledger file that a newer privctl converted to a schema this one does not know is refused
/// with a message that says so, and left as it is: its rows would read as missing.
@Suite struct NewerSchemaTests {
    @Test func aLedgerConvertedByANewerPrivctlIsRefused() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("ledger.sqlite")
        _ = try LedgerDatabase(url: url)
        let queue = try DatabaseQueue(path: url.path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')") }
        let schema = "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema ORDER BY name)"
        let before = try queue.read { try String.fetchOne($0, sql: schema) }
        try queue.close()
        #expect {
            _ = try LedgerDatabase(url: url)
        } throws: { error in
            "\(error)" == "cannot open the ledger \(url.path): a newer privctl converted it (v99: from the future), which this one cannot read: upgrade privctl"
        }
        #expect(try DatabaseQueue(path: url.path).read { try String.fetchOne($0, sql: schema) } == before)
    }
}
