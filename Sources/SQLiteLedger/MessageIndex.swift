import Foundation
import GRDB
import PrivacyEvents
import Synchronization

/// What privctl has seen of one message: enough to skip parsing it again and to know whether its
/// retain event is still current.
public struct IndexedMessage: Hashable, Sendable {
    /// The message's stable identity (see `MessageIdentity` in MailStores).
    public var key: String
    /// The Maildir folder or mbox file that holds it.
    public var container: String
    /// Its current name in the container (file name, or `#N`).
    public var item: String
    /// Its size in bytes.
    public var size: Int
    /// SHA-256 of its bytes, where the store needed it for identity (mbox).
    public var contentHash: String?
    /// Fingerprint of the policy that classified it.
    public var policy: String
    public var category: String
    public var rule: String
    public var messageDay: CalendarDay
    public var retainUntil: CalendarDay?
    public var expiresOn: CalendarDay?
    /// The Message-ID as the caller stores it: privctl seals it with the pseudonym key
    /// (``PseudonymKey/seal(_:)``), so that the database beside the ledger holds none in plain
    /// text.
    public var messageID: String?
    public var subjects: PseudonymList

    public init(
        key: String, container: String, item: String, size: Int, contentHash: String?, policy: String,
        category: String, rule: String, messageDay: CalendarDay,
        retainUntil: CalendarDay?, expiresOn: CalendarDay?, messageID: String?, subjects: PseudonymList
    ) {
        self.key = key
        self.container = container
        self.item = item
        self.size = size
        self.contentHash = contentHash
        self.policy = policy
        self.category = category
        self.rule = rule
        self.messageDay = messageDay
        self.retainUntil = retainUntil
        self.expiresOn = expiresOn
        self.messageID = messageID
        self.subjects = subjects
    }
}

/// The scan index: a local table of messages already classified, so a nightly run over an
/// unchanged store parses nothing and records nothing.
///
/// A folder unchanged since it was last indexed whole costs two queries, whatever it holds: its
/// listing (``listing(of:)``, compared with what the directory lists now) and its rows' totals
/// per category (``categoryCounts(in:dueOn:)``). Otherwise its rows are read in one query
/// (``rows(in:limit:)``) and compared message by message. To
/// find messages that disappeared, a run remembers what it saw per container and compares
/// counts at the end; only when a container has fewer messages than rows are its keys read
/// back (``forEachKey(in:_:)``).
public final class MessageIndex: Sendable {
    /// The database holding the index (and the erasure journal beside it).
    public let database: LedgerDatabase

    /// The shared texts of the rows, by number (``ScanNames``).
    private let names = ScanNames()

    public init(database: LedgerDatabase) {
        self.database = database
    }

    /// The stored form of `key` (``ScanKey``); nil when no row can have it (its start was
    /// never stored).
    private func storedKey(_ key: String, reading db: Database) throws -> String? {
        try ScanKey.stored(key) { try names.number(of: $0, reading: db) }
    }

    /// Runs `body` in a write transaction with the shared texts' and the people's numbers;
    /// numbers given in it are remembered once it committed. A failure names the file, as a
    /// failed append does.
    private func write<T>(_ body: (Database, ScanNames.Assigning, SubjectNumbers) throws -> T) throws -> T {
        var assigning: ScanNames.Assigning?
        var numbering: SubjectNumbers?
        let result: T
        do {
            result = try database.pool.write { db in
                let names = try ScanNames.Assigning(self.names, db)
                let numbers = try SubjectNumbers(db, remembered: database.subjectNumbers)
                (assigning, numbering) = (names, numbers)
                return try body(db, names, numbers)
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError("cannot write the scan index in the ledger \(database.url.path): \(LedgerDatabase.describe(error))")
        }
        assigning?.commit()
        numbering?.commit()
        return result
    }

    /// The rows for these keys.
    public func lookup(_ keys: [String]) throws -> [String: IndexedMessage] {
        guard !keys.isEmpty else { return [:] }
        let columns = Self.columns
        return try database.pool.read { db in
            var found: [String: IndexedMessage] = [:]
            // SQLite limits bound parameters; 500 per query stays far below it.
            var start = 0
            while start < keys.count {
                let chunk = try keys[start..<min(start + 500, keys.count)].compactMap { try self.storedKey($0, reading: db) }
                start += 500
                guard !chunk.isEmpty else { continue }
                let sql = "SELECT \(columns) FROM message_index WHERE key IN ("
                    + chunk.map { _ in "?" }.joined(separator: ",") + ")"
                let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(chunk))
                while let row = try rows.next() {
                    let message = try self.message(from: row, db)
                    found[message.key] = message
                }
            }
            return found
        }
    }

    /// Every row of a container, by key, read in one query: what a run over an unchanged
    /// folder needs, instead of a lookup per message. Nil when the container has more than
    /// `limit` rows: the caller then looks them up by key, batch by batch, and memory stays
    /// bounded however large a folder is.
    public func rows(in container: String, limit: Int) throws -> [String: IndexedMessage]? {
        let columns = Self.columns
        return try database.pool.read { db in
            guard let number = try names.number(of: container, reading: db) else { return [:] }
            let count = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM message_index WHERE container = ?", arguments: [number]) ?? 0
            guard count <= limit else { return nil }
            var found: [String: IndexedMessage] = [:]
            found.reserveCapacity(count)
            let rows = try Row.fetchCursor(
                db, sql: "SELECT \(columns) FROM message_index WHERE container = ?", arguments: [number])
            while let row = try rows.next() {
                let message = try self.message(from: row, db)
                found[message.key] = message
            }
            return found
        }
    }

    /// The rows of `container` that are copies (their keys hold `/copy`: see
    /// `MessageIdentity.copy` in PrivctlKit), in one query over the folder's rows.
    public func copyRows(in container: String) throws -> [IndexedMessage] {
        let columns = Self.columns
        return try database.pool.read { db in
            guard let number = try names.number(of: container, reading: db) else { return [] }
            // A stored key keeps the `/copy` of its key (``ScanKey``).
            return try Row.fetchAll(
                db, sql: "SELECT \(columns) FROM message_index WHERE container = ? AND instr(key, '/copy') > 0",
                arguments: [number]
            ).map { try self.message(from: $0, db) }
        }
    }

    /// The rows of the copies of the message keyed `key` (the keys that start with `key` and
    /// `/copy`: see `MessageIdentity.copy` in PrivctlKit), in key order.
    public func copyRows(of key: String) throws -> [IndexedMessage] {
        let columns = Self.columns
        return try database.pool.read { db in
            // A range of the key index: the stored copies' keys start with the stored form of
            // `key + "/copy"` (``ScanKey``).
            guard let prefix = try storedKey(key + "/copy", reading: db) else { return [] }
            return try Row.fetchAll(
                db, sql: "SELECT \(columns) FROM message_index WHERE key >= ? AND key < ? ORDER BY key",
                arguments: [prefix, prefix + "\u{10FFFF}"]
            ).map { try self.message(from: $0, db) }
        }
    }

    /// Stores or replaces rows, and renames items (a Maildir file whose flags changed) of rows
    /// that are otherwise unchanged.
    public func record(_ messages: [IndexedMessage], renamed: [(key: String, item: String)] = []) throws {
        guard !messages.isEmpty || !renamed.isEmpty else { return }
        try write { db, names, numbers in
            // Run for every message: its values bound directly (`DirectStatement`).
            let upsert = try DirectStatement(db, sql: """
                INSERT OR REPLACE INTO message_index
                (key, container, item, size, content_hash, policy, category, rule,
                 message_day, retain_until, expires_on, message_id, subjects, subject_numbers)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            // In key order: rows of neighbouring keys share pages of the key index. (A key
            // given twice: the later row replaces the earlier, as given.)
            let stored = try messages.enumerated()
                .map { (key: try ScanKey.stored($1.key, numberingStart: names.number), position: $0, message: $1) }
                .sorted { ($0.key, $0.position) < ($1.key, $1.position) }
            for (key, _, m) in stored {
                // Compact as the ledger's rows (`CompactValue`): hashes and the sealed
                // Message-ID as bytes, days as numbers, and the people by their numbers in the
                // ledger's subject table (each pseudonym stored once there, not in every row).
                // The shared texts by number, the key and item as `ScanKey` stores them.
                let subjects = try numbers.packed(m.subjects)
                try upsert.run(
                    key.databaseValue, try names.number(of: m.container).databaseValue,
                    ScanKey.storedItem(m.item, key: m.key).databaseValue, m.size.databaseValue,
                    m.contentHash.map(CompactValue.hex) ?? .null, try names.number(of: m.policy).databaseValue,
                    try names.number(of: m.category).databaseValue, try names.number(of: m.rule).databaseValue,
                    CompactValue.day(m.messageDay), m.retainUntil.map(CompactValue.day) ?? .null,
                    m.expiresOn.map(CompactValue.day) ?? .null, m.messageID.map(CompactValue.sealed) ?? .null,
                    subjects == nil ? CompactValue.pseudonyms(m.subjects) : Data().databaseValue,
                    subjects ?? .null)
            }
            let rename = try db.makeStatement(sql: "UPDATE message_index SET item = ? WHERE key = ?")
            let forgetRenamed = try db.makeStatement(sql: Self.forgetListingOfKey)
            for entry in renamed {
                guard let key = try ScanKey.stored(entry.key, numberingStart: names.existingNumber) else { continue }
                try rename.execute(arguments: [ScanKey.storedItem(entry.item, key: entry.key), key])
                try forgetRenamed.execute(arguments: [key])
            }
            // A folder's listing stands only while its rows do (see `listing(of:)`).
            let forget = try db.makeStatement(sql: "DELETE FROM folder_listing WHERE container = ?")
            // (Told apart by their bytes: `é` and `e` + U+0301 are two folders.)
            for container in Set(messages.map { Array($0.container.utf8) }) {
                try forget.execute(arguments: [String(decoding: container, as: UTF8.self)])
            }
        }
    }

    /// Number of rows of a container.
    public func count(in container: String) throws -> Int {
        try database.pool.read { db in
            guard let number = try names.number(of: container, reading: db) else { return 0 }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM message_index WHERE container = ?", arguments: [number]) ?? 0
        }
    }

    /// Every container with rows, in path order.
    public func containers() throws -> [String] {
        try database.pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT n.text FROM scan_name n
                WHERE EXISTS (SELECT 1 FROM message_index m WHERE m.container = n.id) ORDER BY n.text
                """)
        }
    }

    /// Calls `body` with every key of a container.
    public func forEachKey(in container: String, _ body: (String) throws -> Void) throws {
        try database.pool.read { db in
            guard let number = try names.number(of: container, reading: db) else { return }
            let keys = try String.fetchCursor(db, sql: "SELECT key FROM message_index WHERE container = ?", arguments: [number])
            while let key = try keys.next() { try body(try self.key(stored: key, db)) }
        }
    }

    /// Removes rows (messages that disappeared).
    public func remove(_ keys: [String]) throws {
        guard !keys.isEmpty else { return }
        try write { db, names, _ in
            let forget = try db.makeStatement(sql: Self.forgetListingOfKey)
            let delete = try db.makeStatement(sql: "DELETE FROM message_index WHERE key = ?")
            for key in keys {
                guard let key = try ScanKey.stored(key, numberingStart: names.existingNumber) else { continue }
                try forget.execute(arguments: [key])
                try delete.execute(arguments: [key])
            }
        }
    }

    /// Forgets the listing of the folder of the row with a stored key (argument).
    private static let forgetListingOfKey = """
        DELETE FROM folder_listing WHERE container =
            (SELECT n.text FROM message_index m JOIN scan_name n ON n.id = m.container WHERE m.key = ?)
        """

    // MARK: Folder listings

    /// What a folder listed when it was last indexed whole, and under which policy; nil when it
    /// never was, or rows of it were written or removed since (see ``recordListings(_:policy:)``).
    public func listing(of container: String) throws -> (digest: ListingDigest, policy: String)? {
        try database.pool.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT salt, messages, digest, policy FROM folder_listing WHERE container = ?", arguments: [container])
            else { return nil }
            // Read without trusting the types: a damaged row is no listing (the folder is then
            // read as usual), never a crash.
            let values: [DatabaseValue] = (0..<4).map { row[$0] }
            guard case .blob(let data) = values[0].storage, data.count == 16,
                case .int64(let count) = values[1].storage, count >= 0,
                case .int64(let sum) = values[2].storage,
                case .string(let policy) = values[3].storage
            else { return nil }
            let salt = [UInt8](data)
            let words = salt.withUnsafeBytes { ($0.loadUnaligned(fromByteOffset: 0, as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
            let digest = ListingDigest(
                salt: (UInt64(littleEndian: words.0), UInt64(littleEndian: words.1)), count: Int(count),
                sum: UInt64(bitPattern: sum))
            return (digest, policy)
        }
    }

    /// Keeps what each folder listed, now that every message of its listing has a current row
    /// under `policy` (one transaction for all). Any later write or removal of a folder's rows
    /// forgets its listing again.
    public func recordListings(_ listings: [(container: String, digest: ListingDigest)], policy: String) throws {
        guard !listings.isEmpty else { return }
        try database.pool.write { db in
            let insert = try db.makeStatement(
                sql: "INSERT OR REPLACE INTO folder_listing (container, salt, messages, digest, policy) VALUES (?, ?, ?, ?, ?)")
            for (container, digest) in listings {
                var salt = [UInt8]()
                withUnsafeBytes(of: digest.salt.0.littleEndian) { salt += $0 }
                withUnsafeBytes(of: digest.salt.1.littleEndian) { salt += $0 }
                try insert.execute(arguments: [container, Data(salt), digest.count, Int64(bitPattern: digest.sum), policy])
            }
        }
    }

    /// Forgets the listings of folders that listed messages but no longer have a row (renamed,
    /// deleted, or every message moved away).
    public func forgetListingsWithoutRows() throws {
        try database.pool.write { db in
            try db.execute(sql: """
                DELETE FROM folder_listing
                WHERE messages > 0
                  AND NOT EXISTS (
                      SELECT 1 FROM scan_name n JOIN message_index m ON m.container = n.id WHERE n.text = folder_listing.container)
                """)
        }
    }

    /// One category's totals over a folder's rows.
    public struct CategoryCount: Sendable, Equatable {
        public var category: String
        public var messages: Int
        public var bytes: Int
        /// The earliest message day.
        public var oldest: CalendarDay
        /// Rows whose erase day is `day` or earlier.
        public var due: Int
    }

    /// The totals of `container`'s rows per category, in one query; `due` counts those whose
    /// erase day is on or before `day`.
    public func categoryCounts(in container: String, dueOn day: CalendarDay) throws -> [CategoryCount] {
        try database.pool.read { db in
            guard let number = try names.number(of: container, reading: db) else { return [] }
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT category, count(*), sum(size), min(message_day),
                           sum(expires_on IS NOT NULL AND expires_on <= ?)
                    FROM message_index WHERE container = ? GROUP BY category
                    """,
                arguments: [CompactValue.day(day), number])
            var counts: [CategoryCount] = []
            while let row = try rows.next() {
                counts.append(CategoryCount(
                    category: try name(row[0], db), messages: row[1], bytes: row[2],
                    oldest: CompactValue.day(from: row[3]) ?? CalendarDay(daysSinceEpoch: 0), due: row[4]))
            }
            return counts
        }
    }

    /// The columns ``message(from:)`` reads, in its order.
    static let columns = "key, container, item, size, content_hash, policy, category, rule, "
        + "message_day, retain_until, expires_on, message_id, subjects, subject_numbers"

    /// The pseudonyms of the ledger's subject table, by number, as read so far (its rows never
    /// change).
    private let pseudonymsByNumber = Mutex<[Int64: String]>([:])

    /// The list a row's subject numbers (``SubjectNumbers/packed(_:)``) stand for; a number the
    /// subject table does not hold names no one.
    private func pseudonyms(_ value: DatabaseValue, _ db: Database) throws -> PseudonymList {
        guard case .blob(let data) = value.storage else { return PseudonymList(packed: "") }
        var texts: [String] = []
        for number in SubjectNumbers.numbers(in: data) {
            if let known = pseudonymsByNumber.withLock({ $0[number] }) {
                texts.append(known)
                continue
            }
            guard let stored = try DatabaseValue.fetchOne(db, sql: "SELECT pseudonym FROM subject WHERE id = ?", arguments: [number]),
                !stored.isNull
            else { continue }
            let text = CompactValue.pseudonymList(stored).packed
            pseudonymsByNumber.withLock { $0[number] = text }
            texts.append(text)
        }
        return PseudonymList(packed: texts.joined(separator: " "))
    }

    /// The key a stored key (``ScanKey``) stands for; one that does not parse, or names a start
    /// that is not there (a row damaged by hand), as it is stored.
    private func key(stored: String, _ db: Database) throws -> String {
        guard let (number, rest) = ScanKey.parse(stored), let start = try names.text(of: number, reading: db) else { return stored }
        return start + rest
    }

    /// The shared text a number in a row stands for; a text (a row converted from a value
    /// changed by hand) as it is, and a number with no text as empty.
    private func name(_ value: DatabaseValue, _ db: Database) throws -> String {
        switch value.storage {
        case .int64(let number): return try names.text(of: number, reading: db) ?? ""
        case .string(let text): return text
        // A fingerprint converted from text before (v7) and not since.
        case .blob: return CompactValue.hexText(value)
        default: return String(describing: value)
        }
    }

    /// Number of indexed messages.
    public func count() throws -> Int {
        try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM message_index") ?? 0 }
    }

    /// A row of the columns in ``columns`` order, read by position (by name costs a lookup
    /// per column per message).
    private func message(from row: Row, _ db: Database) throws -> IndexedMessage {
        let contentHash: DatabaseValue = row[4]
        let key = try self.key(stored: row[0], db)
        return IndexedMessage(
            key: key, container: try name(row[1], db), item: ScanKey.item(stored: row[2], key: key), size: row[3],
            contentHash: contentHash.isNull ? nil : CompactValue.hexText(contentHash), policy: try name(row[5], db),
            category: try name(row[6], db), rule: try name(row[7], db),
            messageDay: CompactValue.day(from: row[8]) ?? CalendarDay(daysSinceEpoch: 0),
            retainUntil: CompactValue.day(from: row[9]), expiresOn: CompactValue.day(from: row[10]),
            messageID: CompactValue.sealedText(row[11]),
            subjects: row.hasNull(atIndex: 13) ? CompactValue.pseudonymList(row[12]) : try pseudonyms(row[13], db))
    }
}
