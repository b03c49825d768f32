import Archives
import FileSystem
import Foundation
import PrivacyEvents
import TestSupport
import Testing

@testable import MailStores

/// The contract every store format passes: what it hands out reads back as written, an erase
/// removes exactly what it was asked to and checks it, a block keeps the message where it can be
/// found again (live stores: the blocked store, from which unblock returns it byte for byte;
/// backups: in place), and a message that changed since it was found is left alone.
@Suite struct MailStoreFormatBehaviourTests {
    /// How to make a store of one format holding some messages.
    struct Fixture: CustomStringConvertible, Sendable {
        var description: String
        /// Writes the messages into a new store under `root` and returns the path to name.
        var make: @Sendable (_ dir: TemporaryDirectory, _ root: String, _ messages: [String]) throws -> String
        /// Whether one container holds several messages.
        var holdsMany: Bool
        /// Whether a blocked message stays where it is (backups).
        var blocksInPlace: Bool
    }

    static let messages = (1...3).map { n in
        "From: person\(n)@example.org\nTo: office@example.com\nSubject: message \(n)\nDate: Mon, 2 Mar 2020 10:00:00 +0100\n\nbody \(n)\n"
    }

    static let fixtures: [Fixture] = [
        Fixture(description: "maildir", make: { dir, root, messages in
            for (n, text) in messages.enumerated() { try dir.write("Maildir/cur/\(1_600_000_000 + n).M\(n)P1.host,S=\(text.utf8.count):2,S", text) }
            try dir.mkdir("Maildir/new")
            try dir.mkdir("Maildir/tmp")
            return root + "/Maildir"
        }, holdsMany: true, blocksInPlace: false),
        Fixture(description: "mbox", make: { dir, root, messages in
            try dir.write("mail/anna", messages.map { "From person@example.org Mon Mar  2 10:00:00 2020\n" + $0 }.joined(separator: "\n"))
            return root + "/mail/anna"
        }, holdsMany: true, blocksInPlace: false),
        Fixture(description: "eml", make: { dir, root, messages in
            try dir.write("saved/one.eml", messages[0])
            return root + "/saved/one.eml"
        }, holdsMany: false, blocksInPlace: false),
        Fixture(description: "archive", make: { dir, root, messages in
            for (n, text) in messages.enumerated() { try dir.write("tree/Maildir/cur/\(1_600_000_000 + n).M\(n)P1.host:2,S", text) }
            let archive = root + "/backups/mail-2020-03-02.tar.gz"
            try FileManager.default.createDirectory(atPath: root + "/backups", withIntermediateDirectories: true)
            try ChildProcess.check(["bsdtar", "-czf", archive, "-C", root + "/tree", "Maildir"])
            return archive
        }, holdsMany: true, blocksInPlace: true),
    ]

    static let locator = StoreLocator(formats: [MaildirFormat(), ArchiveFormat(), MessageFileFormat(), MboxFormat()])

    struct Store {
        let dir: TemporaryDirectory
        let root: String
        let container: MailContainer
        let written: [String]
    }

    func store(_ fixture: Fixture) throws -> Store {
        let dir = try TemporaryDirectory()
        let root = try FileSystem.resolveNamedPath(dir.url.path)
        let written = fixture.holdsMany ? Self.messages : [Self.messages[0]]
        let path = try fixture.make(dir, root, written)
        let scan = try Self.locator.scan([path])
        #expect(scan.problems.isEmpty)
        let container = try #require(scan.containers.first)
        return Store(dir: dir, root: root, container: container, written: written)
    }

    func messages(_ container: MailContainer) throws -> [StoredMessage] {
        var all: [StoredMessage] = []
        try container.forEachBatch { all += $0 }
        return all
    }

    func texts(_ container: MailContainer) throws -> [String] {
        try messages(container).map { String(decoding: $0.parseableBytes(try $0.readBytes()), as: UTF8.self) }.sorted()
    }

    @Test(arguments: fixtures) func handsOutEveryMessageAsWritten(_ fixture: Fixture) throws {
        let store = try store(fixture)
        #expect(store.container.format.name == fixture.description)
        #expect(try texts(store.container) == store.written.sorted())
        for message in try messages(store.container) {
            #expect(message.displayPath.hasPrefix(store.container.path))
            #expect(message.problem == nil)
        }
    }

    @Test(arguments: fixtures) func eraseRemovesExactlyWhatWasAsked(_ fixture: Fixture) throws {
        let store = try store(fixture)
        let all = try messages(store.container)
        let target = try #require(all.first { String(decoding: (try? $0.readBytes()) ?? [], as: UTF8.self).contains("message 1") })
        let hash = ContentHash.sha256(try target.readBytes())
        let report = try store.container.format.apply(
            ChangeSet([MessageChange(message: target, contentHash: hash, action: .erase)]), to: store.container,
            options: ChangeOptions(residueCheck: { bytes in ContentSnapshot.contains(bytes, "person1@example.org") }))
        #expect(report.applied.map(\.done) == [true])
        #expect(report.passed, "\(report.checks) \(report.problems)")
        #expect(report.problems.isEmpty)
        let rest = try texts(store.container)
        #expect(rest == Array(store.written.dropFirst()).sorted())
    }

    @Test(arguments: fixtures) func blockKeepsTheMessageFindable(_ fixture: Fixture) throws {
        let store = try store(fixture)
        let target = try #require(try messages(store.container).first { String(decoding: (try? $0.readBytes()) ?? [], as: UTF8.self).contains("message 1") })
        let bytes = try target.readBytes()
        let report = try store.container.format.apply(
            ChangeSet([MessageChange(message: target, contentHash: ContentHash.sha256(bytes), action: .block)]), to: store.container,
            options: ChangeOptions())
        #expect(report.applied.map(\.done) == [true])
        #expect(report.passed, "\(report.checks)")
        if fixture.blocksInPlace {
            #expect(report.applied[0].blockedAt == nil)
            #expect(try texts(store.container) == store.written.sorted())
            return
        }
        let blockedAt = try #require(report.applied[0].blockedAt)
        #expect(blockedAt.contains("/.privctl-blocked/"))
        #expect(try texts(store.container) == Array(store.written.dropFirst()).sorted())
        let blocked = try store.container.format.blockedContainers(of: store.container)
        #expect(blocked.count == 1)
        let kept = try messages(blocked[0].container)
        #expect(kept.count == 1)
        // And back, byte for byte.
        let results = try blocked[0].container.format.unblock(
            kept, contentHashes: try kept.map { ContentHash.sha256(try $0.readBytes()) }, from: blocked[0], options: ChangeOptions())
        #expect(results.map(\.verified) == [true])
        #expect(try texts(store.container) == store.written.sorted())
    }

    @Test(arguments: fixtures) func aMessageChangedSinceItWasFoundIsLeftAlone(_ fixture: Fixture) throws {
        let store = try store(fixture)
        let target = try #require(try messages(store.container).first)
        let wrongHash = String(repeating: "0", count: 64)
        let change = ChangeSet([MessageChange(message: target, contentHash: wrongHash, action: .erase)])
        if fixture.blocksInPlace {
            // An archive is rewritten whole: a member that is not what was found stops it.
            #expect(throws: PrivctlError.self) { try store.container.format.apply(change, to: store.container, options: ChangeOptions()) }
            #expect(try texts(store.container) == store.written.sorted())
            return
        }
        let report = try store.container.format.apply(change, to: store.container, options: ChangeOptions())
        #expect(report.applied.map(\.done) == [false])
        #expect(try texts(store.container) == store.written.sorted())
    }
}

extension ContentSnapshot {
    /// Whether `bytes` contain `text` (a test's residue check).
    static func contains(_ bytes: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard needle.count <= bytes.count else { return false }
        return (0...(bytes.count - needle.count)).contains { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
