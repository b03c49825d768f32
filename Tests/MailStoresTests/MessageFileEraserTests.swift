import FileSystem
import Foundation
import PrivacyEvents
import TestSupport
import Testing

@testable import MailStores

@Suite struct MessageFileEraserTests {
    let dir: TemporaryDirectory
    let root: String

    init() throws {
        dir = try TemporaryDirectory()
        root = try FileSystem.resolveNamedPath(dir.url.path)
    }

    func erase(_ relative: String, store: String = "Maildir") throws -> MessageFileEraser.Outcome {
        let (directory, name) = FileSystem.split(root + "/" + relative)
        return try MessageFileEraser(storePath: root + "/" + store).erase(name, in: Directory.open(directory))
    }

    @Test func erasesTheFileAndEveryHardLinkInTheStore() throws {
        let file = try dir.write("Maildir/cur/1.a.h:2,S", "Subject: secret\n\nbob@example.org\n")
        try dir.mkdir("Maildir/.Archive/cur")
        let copy = root + "/Maildir/.Archive/cur/1.a.h:2,S"
        #expect(link(file.path, copy) == 0)
        let outcome = try erase("Maildir/cur/1.a.h:2,S")
        #expect(Set(outcome.removedPaths) == [root + "/Maildir/cur/1.a.h:2,S", copy])
        #expect(outcome.overwritten)
        #expect(outcome.linksLeftElsewhere == 0)
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(!FileManager.default.fileExists(atPath: copy))
        // Nothing is left in tmp/ either.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/Maildir/tmp").isEmpty)
    }

    @Test func aLinkOutsideTheStoreKeepsTheContentAndIsCounted() throws {
        let file = try dir.write("Maildir/cur/1.a.h:2,S", "Subject: secret\n\nbob@example.org\n")
        // A link outside the store keeps the inode alive, so we can look at its content after.
        let outside = root + "/witness"
        #expect(link(file.path, outside) == 0)
        let outcome = try erase("Maildir/cur/1.a.h:2,S")
        // With a link elsewhere privctl must not destroy content it was not asked to: not overwritten.
        #expect(!outcome.overwritten)
        #expect(outcome.linksLeftElsewhere == 1)
        #expect(try String(contentsOfFile: outside, encoding: .utf8).contains("secret"))
    }

    @Test func otherMessagesAreUntouched() throws {
        try dir.write("Maildir/cur/1.a.h:2,S", "Subject: secret\n\n")
        let other = try dir.write("Maildir/cur/2.b.h:2,S", "Subject: keep\n\n")
        _ = try erase("Maildir/cur/1.a.h:2,S")
        #expect(try String(contentsOf: other, encoding: .utf8) == "Subject: keep\n\n")
    }

    @Test func aMissingFileIsAnError() throws {
        try dir.mkdir("Maildir/cur")
        let error = try #require(failure(of: {
            _ = try erase("Maildir/cur/nope")
        }, as: PrivctlError.self, otherwise: "erased a missing file"))
        #expect(error.code == .notFound)
    }

    @Test func aLinkIsNotErasedNorItsTarget() throws {
        let target = try dir.write("precious", "keep me")
        try dir.mkdir("Maildir/cur")
        try FileManager.default.createSymbolicLink(atPath: root + "/Maildir/cur/1.a.h:2,S", withDestinationPath: target.path)
        #expect(throws: PrivctlError.self) { _ = try erase("Maildir/cur/1.a.h:2,S") }
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep me")
    }
}

@Suite struct BlockedStoreTests {
    @Test func blockMovesOutOfTheMaildirIntoAPrivateTree() throws {
        let dir = try TemporaryDirectory()
        let root = try FileSystem.resolveNamedPath(dir.url.path)
        let content = "Subject: invoice\n\nRechnung\n"
        let file = try dir.write("Maildir/.Buchhaltung/cur/1.a.h:2,S", content)
        let store = BlockedStore(storePath: root + "/Maildir")
        let blocked = try store.block("1.a.h:2,S", in: Directory.open(root + "/Maildir/.Buchhaltung/cur"), to: [".Buchhaltung", "cur"])
        #expect(blocked == root + "/.privctl-blocked/Maildir/.Buchhaltung/cur/1.a.h:2,S")
        #expect(!FileManager.default.fileExists(atPath: file.path))
        for directory in [".privctl-blocked", ".privctl-blocked/Maildir", ".privctl-blocked/Maildir/.Buchhaltung"] {
            let mode = try FileManager.default.attributesOfItem(atPath: root + "/" + directory)[.posixPermissions] as? Int
            #expect(mode == 0o700)
        }
        #expect(try String(contentsOfFile: blocked, encoding: .utf8) == content)
    }

    @Test func refusesABlockedStoreItDidNotMake() throws {
        let dir = try TemporaryDirectory()
        let root = try FileSystem.resolveNamedPath(dir.url.path)
        try dir.write("Maildir/cur/1.a.h:2,S", "Subject: x\n\n")
        try dir.write("elsewhere/keep", "x")
        // A link planted where the blocked store goes.
        try FileManager.default.createSymbolicLink(atPath: root + "/.privctl-blocked", withDestinationPath: root + "/elsewhere")
        let store = BlockedStore(storePath: root + "/Maildir")
        let error = try #require(failure(of: {
            _ = try store.block("1.a.h:2,S", in: Directory.open(root + "/Maildir/cur"), to: ["cur"])
        }, as: PrivctlError.self, otherwise: "moved mail through a planted link"))
        #expect(error.code == .notOwnStore)
        #expect(FileManager.default.fileExists(atPath: root + "/Maildir/cur/1.a.h:2,S"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/elsewhere") == ["keep"])
        // A directory others may read is not privctl's either.
        try FileManager.default.removeItem(atPath: root + "/.privctl-blocked")
        try FileManager.default.createDirectory(atPath: root + "/.privctl-blocked", withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        #expect(throws: PrivctlError.self) {
            _ = try store.block("1.a.h:2,S", in: Directory.open(root + "/Maildir/cur"), to: ["cur"])
        }
    }
}

@Suite struct MaildirBlockTests {
    /// Dovecot copies a message between folders as a hard link: blocking one name must take
    /// every name in the store out of the live mailbox, or the message stays visible there.
    @Test func blockingTakesEveryLinkInTheStoreOutOfTheLiveMailbox() throws {
        let dir = try TemporaryDirectory()
        let root = try FileSystem.resolveNamedPath(dir.url.path)
        let text = "From: alice@example.org\nSubject: Rechnung\n\nx\n"
        let file = try dir.write("Maildir/cur/1.a.mx:2,S", text)
        try dir.mkdir("Maildir/new")
        try dir.write("Maildir/.Archive/maildirfolder", "")
        try dir.mkdir("Maildir/.Archive/cur")
        #expect(link(file.path, root + "/Maildir/.Archive/cur/1.a.mx:2,S") == 0)
        let container = try #require(try locator.scan([root + "/Maildir"]).containers.first { $0.folder == "INBOX" })
        var message: StoredMessage?
        try container.forEachBatch { message = $0.first }
        let report = try container.format.apply(
            ChangeSet([MessageChange(message: try #require(message), contentHash: ContentHash.sha256(Array(text.utf8)), action: .block)]),
            to: container, options: ChangeOptions())
        #expect(report.applied.map(\.done) == [true])
        #expect(report.applied.first?.details["hardLinksBlocked"] == "1")
        #expect(report.problems.isEmpty)
        for relative in ["Maildir/cur/1.a.mx:2,S", "Maildir/.Archive/cur/1.a.mx:2,S"] {
            #expect(!FileManager.default.fileExists(atPath: root + "/" + relative))
        }
        #expect(FileManager.default.fileExists(atPath: root + "/.privctl-blocked/Maildir/cur/1.a.mx:2,S"))
        #expect(FileManager.default.fileExists(atPath: root + "/.privctl-blocked/Maildir/.Archive/cur/1.a.mx:2,S"))
    }
}
