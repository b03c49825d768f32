import Foundation
import GRDB
import PrivacyEvents

/// The local SQLite database file: the embedded ledger and the scan index live in it.
///
/// One file keeps a host's record self-contained: copying it copies the history and what was
/// seen. Opening runs the versioned migrations; WAL mode lets readers work during a write.
public final class LedgerDatabase: Sendable {
    /// The GRDB pool every table type of this module goes through.
    let pool: DatabasePool
    /// Where the file is.
    public let url: URL
    /// Pseudonyms' numbers in the `subject` table, remembered across write transactions.
    let subjectNumbers = SubjectNumbers.Remembered()

    /// Opens (creating if needed) the database at `url` and migrates it to the current schema.
    public init(url: URL) throws(LedgerError) {
        self.url = url
        try PrivateDatabaseFile.prepare(url, label: "ledger")
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.label = "privctl-ledger"
        // WAL with synchronous=NORMAL: a commit is atomic and the file never corrupt; after a
        // power loss the last commits may be missing, and a run that recorded them has not
        // finished, so the next run records them again. FULL would fsync every batch, which
        // costs more than classifying it.
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Checkpoint the WAL every 64 MiB instead of every 4 MiB: a first classify of a large
            // store writes a retain event per message, and each checkpoint waits for the disk.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
        }
        do {
            pool = try DatabasePool(path: url.path, configuration: config)
            // A file a newer privctl converted to a schema this one does not know: its rows
            // would read as missing or wrong (a message recorded again, or not found to erase).
            let unknown = try pool.read { db in
                try Self.migrator.appliedIdentifiers(db).subtracting(Self.migrator.migrations).sorted()
            }
            if !unknown.isEmpty {
                throw LedgerError(
                    "a newer privctl converted it (\(unknown.joined(separator: ", "))), which this one cannot read: upgrade privctl")
            }
            do {
                try Self.migrator.migrate(pool)
            } catch {
                // Another process migrated the same file at once: it took the write lock first,
                // and this one's attempt, made on what it had read before, was rolled back. Done
                // when that other migration is.
                guard try pool.read({ try Self.migrator.hasCompletedMigrations($0) }) else { throw error }
            }
            // A conversion leaves the old rows' pages free inside the file; rewriting it gives
            // them back. Decided by what is free, or by what the conversion wrote in
            // `ledger_meta` (v12 rebuilt the events: their old pages are a third of the file),
            // so that a conversion interrupted before this step is completed by the next open.
            let (free, pages, rewriteWanted) = try pool.read { db in
                (
                    try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0, try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0,
                    try String.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = ?", arguments: [Self.rewriteAfterConversion]) != nil
                )
            }
            if (free > 2_048 && free * 2 > pages) || rewriteWanted {
                try pool.writeWithoutTransaction { db in
                    try db.execute(sql: "VACUUM")
                    try db.execute(sql: "DELETE FROM ledger_meta WHERE key = ?", arguments: [Self.rewriteAfterConversion])
                }
            }
        } catch {
            throw LedgerError("cannot open the ledger \(url.path): \(Self.describe(error))")
        }
    }

    /// A one-line description of a database error.
    static func describe(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "\(e.resultCode)" }
        return "\(error)"
    }

    /// The schema, one migration per version. Never edit a shipped migration; add one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: events and scan index") { db in
            try db.execute(sql: """
                CREATE TABLE event (
                    id TEXT PRIMARY KEY NOT NULL,
                    host TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    time TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    category TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    previous_hash TEXT NOT NULL,
                    hash TEXT NOT NULL,
                    UNIQUE (host, sequence)
                );
                CREATE INDEX event_time ON event (time);
                CREATE TABLE event_subject (
                    subject TEXT NOT NULL,
                    event_id TEXT NOT NULL REFERENCES event (id),
                    PRIMARY KEY (subject, event_id)
                ) WITHOUT ROWID;
                CREATE TRIGGER event_append_only_update BEFORE UPDATE ON event
                BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: events cannot be changed'); END;
                CREATE TRIGGER event_append_only_delete BEFORE DELETE ON event
                BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: events cannot be deleted'); END;
                CREATE TRIGGER event_subject_append_only_update BEFORE UPDATE ON event_subject
                BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
                CREATE TRIGGER event_subject_append_only_delete BEFORE DELETE ON event_subject
                BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
                CREATE TABLE ledger_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE message_index (
                    key TEXT PRIMARY KEY NOT NULL,
                    container TEXT NOT NULL,
                    item TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    content_hash TEXT,
                    policy TEXT NOT NULL,
                    category TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    message_day TEXT NOT NULL,
                    retain_until TEXT,
                    expires_on TEXT,
                    message_id TEXT,
                    subjects TEXT NOT NULL
                );
                CREATE INDEX message_index_container ON message_index (container);
                """)
        }
        // verify() reads each event's subjects beside it instead of holding them all in memory.
        migrator.registerMigration("v2: subjects by event") { db in
            try db.execute(sql: "CREATE INDEX event_subject_event ON event_subject (event_id, subject)")
        }
        // The write-ahead journal of erasures (IntentJournal): local, outside the chain.
        migrator.registerMigration("v3: erasure journal") { db in
            try db.execute(sql: """
                CREATE TABLE erasure_intent (
                    id TEXT PRIMARY KEY NOT NULL,
                    created TEXT NOT NULL,
                    container TEXT NOT NULL,
                    store TEXT NOT NULL,
                    format TEXT NOT NULL,
                    plan TEXT NOT NULL
                )
                """)
        }
        // What the last scrub learned of each backup archive (ArchiveScrubIndex): local,
        // outside the chain.
        migrator.registerMigration("v4: archive scrub index") { db in
            try db.execute(sql: """
                CREATE TABLE archive_state (
                    path TEXT PRIMARY KEY NOT NULL,
                    identity TEXT NOT NULL,
                    conditions TEXT NOT NULL,
                    requests TEXT NOT NULL,
                    named BLOB,
                    next_due TEXT,
                    read_on TEXT NOT NULL
                ) WITHOUT ROWID
                """)
        }
        // Every run reads the rare kinds (start, hold, request, block events) before it
        // begins: without an index that read scanned every event, so a run over an unchanged
        // store grew with the ledger. As in the PostgreSQL schema.
        migrator.registerMigration("v5: events by kind") { db in
            try db.execute(sql: "CREATE INDEX event_kind ON event (kind, host, sequence)")
        }
        // What each folder indexed whole listed when it was (MessageIndex.listing): a re-run
        // over an unchanged folder reads this row and counts the folder's rows in one query,
        // instead of reading a row per message. Local, outside the chain.
        migrator.registerMigration("v6: folder listings") { db in
            try db.execute(sql: """
                CREATE TABLE folder_listing (
                    container TEXT PRIMARY KEY NOT NULL,
                    salt BLOB NOT NULL,
                    messages INTEGER NOT NULL,
                    digest INTEGER NOT NULL,
                    policy TEXT NOT NULL
                ) WITHOUT ROWID
                """)
        }
        // Event ids, hashes and times in their compact form (`CompactValue`: 16 bytes, 32,
        // an integer, where they were 36, 64 and 24 characters), and the subject index by
        // number: each pseudonym once in `subject`, each (subject, event) pair as two integers
        // (the event's `row`), where the pair was 100 characters in two indexes. The payloads,
        // and so every hash of the chain, stay byte for byte; an id, hash or time that does not
        // convert back to its own text stays text, and a value that was not text (written so by
        // hand) becomes text no payload holds. Rows of the old subject index that name no event
        // keep naming none (a negative number, with the id they named in subject_index_orphan),
        // so that `verify` still reports each. Payloads are stored compressed (`PayloadCodec`)
        // once there are enough events to train a dictionary on, these too. The scan index's
        // rows become as compact (`MessageIndex`).
        migrator.registerMigration("v7: compact event rows") { db in
            for function in CompactValue.functions { db.add(function: function) }
            try db.execute(sql: """
                CREATE TABLE event_v7 (
                    row INTEGER PRIMARY KEY,
                    id BLOB NOT NULL UNIQUE,
                    host TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    time INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    category TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    previous_hash BLOB NOT NULL,
                    hash BLOB NOT NULL,
                    UNIQUE (host, sequence)
                );
                INSERT INTO event_v7 (id, host, sequence, time, kind, category, payload, previous_hash, hash)
                    SELECT privctl_compact_id(id), host, sequence, privctl_compact_time(time), kind, category,
                           CASE typeof(payload) WHEN 'blob' THEN CAST(payload AS TEXT) ELSE payload END,
                           privctl_compact_hex(previous_hash), privctl_compact_hex(hash)
                    FROM event ORDER BY rowid;
                CREATE TABLE subject (
                    id INTEGER PRIMARY KEY,
                    pseudonym BLOB NOT NULL UNIQUE
                );
                INSERT INTO subject (pseudonym)
                    SELECT DISTINCT privctl_compact_hex(subject) FROM event_subject ORDER BY 1;
                CREATE TABLE event_subject_v7 (
                    subject INTEGER NOT NULL,
                    event INTEGER NOT NULL,
                    PRIMARY KEY (subject, event)
                ) WITHOUT ROWID;
                CREATE TABLE subject_index_orphan (
                    event INTEGER PRIMARY KEY,
                    event_id TEXT NOT NULL
                );
                INSERT INTO subject_index_orphan (event, event_id)
                    SELECT -row_number() OVER (ORDER BY event_id), event_id FROM (
                        SELECT DISTINCT o.event_id FROM event_subject o
                        WHERE NOT EXISTS (SELECT 1 FROM event_v7 e WHERE e.id = privctl_compact_id(o.event_id)));
                INSERT OR IGNORE INTO event_subject_v7 (subject, event)
                    SELECT s.id, coalesce(e.row, x.event) FROM event_subject o
                    JOIN subject s ON s.pseudonym = privctl_compact_hex(o.subject)
                    LEFT JOIN event_v7 e ON e.id = privctl_compact_id(o.event_id)
                    LEFT JOIN subject_index_orphan x ON x.event_id = o.event_id;
                DROP TRIGGER IF EXISTS event_subject_append_only_update;
                DROP TRIGGER IF EXISTS event_subject_append_only_delete;
                DROP TRIGGER IF EXISTS event_append_only_update;
                DROP TRIGGER IF EXISTS event_append_only_delete;
                DROP TABLE event_subject;
                DROP TABLE event;
                ALTER TABLE event_v7 RENAME TO event;
                ALTER TABLE event_subject_v7 RENAME TO event_subject;
                CREATE INDEX event_time ON event (time);
                CREATE INDEX event_kind ON event (kind, host, sequence);
                CREATE INDEX event_subject_event ON event_subject (event, subject);
                CREATE TABLE payload_dictionary (
                    id INTEGER PRIMARY KEY,
                    content BLOB NOT NULL
                );
                """)
            // The payloads compressed with a dictionary trained on them (`PayloadCodec`), when
            // there are enough to learn from.
            let events = try Int.fetchOne(db, sql: "SELECT count(*) FROM event") ?? 0
            if events >= PayloadDictionary.trainingEvents, let id = try PayloadDictionaries.train(db),
                let content = try Data.fetchOne(db, sql: "SELECT content FROM payload_dictionary WHERE id = ?", arguments: [id]),
                let dictionary = PayloadDictionary(id: id, content: content)
            {
                let codec = PayloadCodec()
                db.add(function: DatabaseFunction("privctl_compress_payload", argumentCount: 1, pure: true) { values in
                    guard let text = String.fromDatabaseValue(values[0]) else { return values[0] }
                    return codec.compress(text, with: dictionary)?.databaseValue ?? values[0]
                })
                try db.execute(sql: "UPDATE event SET payload = privctl_compress_payload(payload) WHERE typeof(payload) = 'text'")
            }
            // The scan index's rows as compact (it is rebuilt row by row as runs write it; a
            // row converted here reads back the same).
            try db.execute(sql: """
                CREATE TABLE message_index_v7 (
                    key TEXT PRIMARY KEY NOT NULL,
                    container TEXT NOT NULL,
                    item TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    content_hash BLOB,
                    policy BLOB NOT NULL,
                    category TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    message_day INTEGER NOT NULL,
                    retain_until INTEGER,
                    expires_on INTEGER,
                    message_id BLOB,
                    subjects BLOB NOT NULL
                );
                INSERT INTO message_index_v7
                    SELECT key, container, item, size, privctl_compact_hex(content_hash), privctl_compact_hex(policy),
                           category, rule, privctl_compact_day(message_day), privctl_compact_day(retain_until),
                           privctl_compact_day(expires_on), privctl_compact_sealed(message_id),
                           privctl_compact_pseudonyms(subjects)
                    FROM message_index;
                DROP TABLE message_index;
                ALTER TABLE message_index_v7 RENAME TO message_index;
                CREATE INDEX message_index_container ON message_index (container);
                """)
            try db.execute(sql: appendOnly("event", "events cannot be changed", "events cannot be deleted"))
            for table in ["event_subject", "payload_dictionary", "subject_index_orphan", "subject"] {
                try db.execute(sql: appendOnly(table))
            }
        }
        // The scan index names a message's people by their numbers in the subject table. Rows
        // written before keep their pseudonyms (read as before) until a run writes them again.
        migrator.registerMigration("v8: scan index rows by subject number") { db in
            try db.execute(sql: "ALTER TABLE message_index ADD COLUMN subject_numbers BLOB")
        }
        // Only the rare kinds (requests, holds, blocks, starts, erasures, transfers) are looked
        // up by kind; two events of every message (collect, retain) made the index a tenth of
        // the file.
        migrator.registerMigration("v9: kind index of the rare kinds") { db in
            try db.execute(sql: """
                DROP INDEX event_kind;
                CREATE INDEX event_kind ON event (kind, host, sequence) WHERE kind NOT IN ('collect', 'retain');
                """)
        }
        // The scan index as small as identity needs (`MessageIndex`): the texts many rows share
        // (the folder, the key's start, the policy's fingerprint, the category, the rule) each
        // once in `scan_name` and named by number, and a Maildir item without the unique name
        // its key holds (`ScanKey`). Rows read back the same. (Still a table of numbered rows: appended at its end, with
        // the keys in an index of their own, a first run writes half the pages it writes to a
        // table ordered by key.)
        migrator.registerMigration("v10: scan index by shared names") { db in
            try db.execute(sql: """
                CREATE TABLE scan_name (
                    id INTEGER PRIMARY KEY,
                    text TEXT NOT NULL UNIQUE
                );
                CREATE TABLE message_index_v10 (
                    key TEXT NOT NULL UNIQUE,
                    container INTEGER NOT NULL,
                    item TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    content_hash BLOB,
                    policy INTEGER NOT NULL,
                    category INTEGER NOT NULL,
                    rule INTEGER NOT NULL,
                    message_day INTEGER NOT NULL,
                    retain_until INTEGER,
                    expires_on INTEGER,
                    message_id BLOB,
                    subjects BLOB NOT NULL,
                    subject_numbers BLOB
                );
                """)
            let names = try ScanNames.Assigning(ScanNames(), db)
            let insert = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO message_index_v10
                (key, container, item, size, content_hash, policy, category, rule,
                 message_day, retain_until, expires_on, message_id, subjects, subject_numbers)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let rows = try Row.fetchCursor(db, sql: """
                SELECT key, container, item, size, content_hash, policy, category, rule,
                       message_day, retain_until, expires_on, message_id, subjects, subject_numbers
                FROM message_index
                """)
            while let row = try rows.next() {
                // Values of types privctl does not write (a row changed by hand) stay as they were.
                let key: DatabaseValue = row[0], container: DatabaseValue = row[1], item: DatabaseValue = row[2]
                let category: DatabaseValue = row[6], rule: DatabaseValue = row[7], policy: DatabaseValue = row[5]
                func number(_ value: DatabaseValue) throws -> DatabaseValue {
                    guard let text = String.fromDatabaseValue(value) else { return value }
                    return try names.number(of: text).databaseValue
                }
                var storedKey = key, storedItem = item
                if let text = String.fromDatabaseValue(key) {
                    storedKey = try ScanKey.stored(text, numberingStart: names.number).databaseValue
                    if let itemText = String.fromDatabaseValue(item) {
                        storedItem = ScanKey.storedItem(itemText, key: text).databaseValue
                    }
                }
                var values: [DatabaseValue] = (0..<14).map { row[$0] }
                values[0] = storedKey
                values[1] = try number(container)
                values[2] = storedItem
                if case .blob = policy.storage { values[5] = try names.number(of: CompactValue.hexText(policy)).databaseValue }
                values[6] = try number(category)
                values[7] = try number(rule)
                try insert.execute(arguments: StatementArguments(values))
            }
            try db.execute(sql: """
                DROP TABLE message_index;
                ALTER TABLE message_index_v10 RENAME TO message_index;
                CREATE INDEX message_index_container ON message_index (container);
                """)
        }
        // The subject index by event went: only `verify` read it, and only when the index as a
        // whole disagrees with the payloads; it now copies each segment's part of the index
        // into a temporary table indexed by event (`SegmentSubjects`). 45 bytes per message.
        migrator.registerMigration("v11: no subject index by event") { db in
            try db.execute(sql: "DROP INDEX IF EXISTS event_subject_event")
        }
        // Kinds and categories by number (`EventNames`): a byte each where the text took seven
        // to twenty, twice per message. The rows keep their numbers (a delta names its base by
        // distance, the subject index names events by row); a value that is not text (written
        // so by hand) stays as it is.
        migrator.registerMigration("v12: event kinds and categories by number") { db in
            try db.execute(sql: """
                CREATE TABLE event_name (
                    id INTEGER PRIMARY KEY,
                    text TEXT NOT NULL UNIQUE
                );
                """)
            for (number, text) in EventNames.fixed {
                try db.execute(sql: "INSERT INTO event_name (id, text) VALUES (?, ?)", arguments: [number, text])
            }
            try db.execute(sql: """
                INSERT OR IGNORE INTO event_name (text)
                    SELECT text FROM (
                        SELECT kind AS text FROM event WHERE typeof(kind) = 'text'
                        UNION SELECT category FROM event WHERE typeof(category) = 'text')
                    ORDER BY text;
                CREATE TABLE event_v12 (
                    row INTEGER PRIMARY KEY,
                    id BLOB NOT NULL UNIQUE,
                    host TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    time INTEGER NOT NULL,
                    kind INTEGER NOT NULL,
                    category INTEGER NOT NULL,
                    payload TEXT NOT NULL,
                    previous_hash BLOB NOT NULL,
                    hash BLOB NOT NULL,
                    UNIQUE (host, sequence)
                );
                INSERT INTO event_v12 (row, id, host, sequence, time, kind, category, payload, previous_hash, hash)
                    SELECT e.row, e.id, e.host, e.sequence, e.time,
                           CASE typeof(e.kind) WHEN 'text' THEN (SELECT n.id FROM event_name n WHERE n.text = e.kind) ELSE e.kind END,
                           CASE typeof(e.category) WHEN 'text' THEN (SELECT n.id FROM event_name n WHERE n.text = e.category)
                                ELSE e.category END,
                           e.payload, e.previous_hash, e.hash
                    FROM event e ORDER BY e.row;
                DROP TRIGGER IF EXISTS event_append_only_update;
                DROP TRIGGER IF EXISTS event_append_only_delete;
                DROP TABLE event;
                ALTER TABLE event_v12 RENAME TO event;
                CREATE INDEX event_time ON event (time);
                CREATE INDEX event_kind ON event (kind, host, sequence) WHERE \(rareKinds);
                """)
            try db.execute(sql: appendOnly("event", "events cannot be changed", "events cannot be deleted"))
            try db.execute(sql: appendOnly("event_name"))
            // A privctl from before v12 still running while this one converted the file (its
            // check of the schema is made when it opens the ledger) would go on appending
            // kinds and categories as text, which filters do not find: its append now fails.
            try db.execute(sql: """
                CREATE TRIGGER event_kind_by_number BEFORE INSERT ON event
                WHEN typeof(NEW.kind) <> 'integer' OR typeof(NEW.category) <> 'integer'
                BEGIN SELECT RAISE(ABORT, 'a newer privctl converted this ledger (kinds and categories by number): upgrade privctl'); END;
                """)
            try db.execute(sql: "INSERT OR REPLACE INTO ledger_meta (key, value) VALUES (?, '1')", arguments: [rewriteAfterConversion])
        }
        return migrator
    }

    /// The `ledger_meta` key a conversion sets when the file is to be rewritten after it (its
    /// old rows' pages given back), removed once it was.
    static let rewriteAfterConversion = "rewrite-after-conversion"

    /// The condition of the kind index (schema v12): the kinds of which a ledger holds few, all
    /// but `collect` and `retain` (numbers 1 and 2, ``EventNames/fixed``). A query for such kinds
    /// states it word for word, so that SQLite uses the index. Part of migration v12: never
    /// changed (another condition is another migration).
    static let rareKinds = "kind NOT IN (1, 2)"

    /// The triggers that make `table` append-only: UPDATE and DELETE abort with the messages
    /// given (each after "the ledger is append-only: ").
    static func appendOnly(_ table: String, _ update: String? = nil, _ delete: String? = nil) -> String {
        func message(_ detail: String?) -> String { "the ledger is append-only" + (detail.map { ": " + $0 } ?? "") }
        return """
            CREATE TRIGGER \(table)_append_only_update BEFORE UPDATE ON \(table)
            BEGIN SELECT RAISE(ABORT, '\(message(update))'); END;
            CREATE TRIGGER \(table)_append_only_delete BEFORE DELETE ON \(table)
            BEGIN SELECT RAISE(ABORT, '\(message(delete))'); END;
            """
    }

    /// A value from the meta table.
    public func meta(_ key: String) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = ?", arguments: [key]) }
    }

    /// Sets a value in the meta table.
    public func setMeta(_ key: String, _ value: String) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO ledger_meta (key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }
}
