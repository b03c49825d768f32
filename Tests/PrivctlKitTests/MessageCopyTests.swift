import Foundation
import PrivacyEvents
import SQLiteLedger
import TestSupport
import Testing

@testable import PrivctlKit

/// A file whose unique name another folder of the store holds too is a message of its own: a
/// copy that kept its name (`cp`, a restore, Dovecot's maildir_copy_preserve_filename), or a
/// name that differs only in Unicode normalisation. Each is collected once and nothing is
/// recorded again on later runs; a message moved between folders still keeps its history.
@Suite struct MessageCopyTests {
    typealias Fixture = ClassifyRunTests.Fixture
    let key = PseudonymKey(bytes: Array(repeating: 9, count: 32))
    let name = "1795201200.M4P4.mx:2,S"

    /// The personal message of the fixture, copied into a Junk folder (where it is spam).
    func copyIntoJunk(_ f: Fixture) throws {
        try f.dir.mkdir("Maildir/.Junk/cur")
        try f.dir.write("Maildir/.Junk/maildirfolder", "")
        try FileManager.default.copyItem(
            at: f.maildir.appendingPathComponent(".Privat/cur/\(name)"), to: f.maildir.appendingPathComponent(".Junk/cur/\(name)"))
    }

    @Test(arguments: [true, false])
    func twoFoldersWithTheSameNameFromTheStartAreTwoMessages(eachMessage: Bool) throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try copyIntoJunk(f)
        let (first, messages, _) = try f.classify(eachMessage: true)
        #expect(first.messages == 5)
        #expect(Set(messages.filter { $0.path.hasSuffix(name) }.map(\.category)) == ["personal", "spam"])
        #expect(try f.events(.collect).count == 5)
        #expect(try f.events(.retain).count == 5)
        #expect(try f.index.count() == 5)
        for _ in 0..<2 {
            let (again, _, _) = try f.classify(eachMessage: eachMessage)
            #expect(again.parsed == 0)
            #expect(again.retainEvents == 0)
            #expect(again.vanished == 0)
        }
        #expect(try f.events().count == 10, "nothing recorded again")
    }

    @Test func aCopyMadeLaterIsCollectedOnceAndTheOriginalKeepsItsRow() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.classify()
        try copyIntoJunk(f)
        let (summary, _, _) = try f.classify()
        #expect(summary.parsed == 1)
        #expect(try f.events(.collect).count == 5)
        let retain = try f.events(.retain)
        #expect(retain.count == 5)
        #expect(retain.last?.dataCategory == "spam")
        #expect(retain.last?.details["previousCategory"] == nil, "a message of its own, not the original changed")
        #expect(try f.classify().0.retainEvents == 0)
        #expect(try f.classify(eachMessage: false).0.parsed == 0)
        // The copy deleted: one message gone, the original stays.
        try FileManager.default.removeItem(at: f.maildir.appendingPathComponent(".Junk/cur/\(name)"))
        let (removed, _, _) = try f.classify()
        #expect(removed.vanished == 1)
        #expect(try f.events(.erase).first?.location.store.hasSuffix(".Junk") == true)
        #expect(try f.classify().0.vanished == 0)
        #expect(try f.index.count() == 4)
    }

    @Test func namesThatDifferOnlyInNormalisationAreTwoMessages() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        let composed = "1795201300.caf\u{E9}.mx:2,S", decomposed = "1795201300.cafe\u{301}.mx:2,S"
        try f.dir.write("Maildir/cur/" + composed, SampleMail.newsletter(n: 7))
        try f.dir.write("Maildir/cur/" + decomposed, SampleMail.cron(n: 8))
        let names = try FileManager.default.contentsOfDirectory(atPath: f.maildir.appendingPathComponent("cur").path)
        try #require(names.count == 3, "the file system keeps both names")
        let (first, _, _) = try f.classify()
        #expect(first.messages == 6)
        #expect(try f.events(.collect).count == 6)
        for _ in 0..<2 {
            let (again, _, _) = try f.classify()
            #expect(again.parsed == 0)
            #expect(again.retainEvents == 0)
            #expect(again.vanished == 0)
        }
        #expect(try f.events().count == 12)
    }

    /// Two folders whose names differ only in Unicode normalisation (`.café` as one code point
    /// and as `e` + U+0301) are two folders: a file removed from one is erased once, in that
    /// folder; a copy of the other's message put there is collected once; unchanged runs record
    /// nothing.
    @Test func foldersWhoseNamesDifferOnlyInNormalisationAreTwoFolders() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        let composed = ".caf\u{E9}", decomposed = ".cafe\u{301}"
        for folder in [composed, decomposed] {
            try f.dir.mkdir("Maildir/\(folder)/cur")
            try f.dir.write("Maildir/\(folder)/maildirfolder", "")
        }
        try f.dir.write("Maildir/\(composed)/cur/1795201400.A.mx:2,S", SampleMail.newsletter(n: 1))
        try f.dir.write("Maildir/\(composed)/cur/1795201401.B.mx:2,S", SampleMail.newsletter(n: 2))
        try f.dir.write("Maildir/\(decomposed)/cur/1795201402.C.mx:2,S", SampleMail.cron(n: 3))
        try #require(try FileManager.default.contentsOfDirectory(atPath: f.maildir.path).count(where: { $0.hasPrefix(".caf") }) == 2)
        let (first, _, _) = try f.classify()
        #expect(first.messages == 7)
        func quiet() throws {
            for _ in 0..<2 {
                let (again, _, _) = try f.classify()
                #expect(again.retainEvents == 0 && again.vanished == 0)
            }
        }
        try quiet()
        // A copy of the decomposed folder's message in the composed one.
        try FileManager.default.copyItem(
            at: f.maildir.appendingPathComponent("\(decomposed)/cur/1795201402.C.mx:2,S"),
            to: f.maildir.appendingPathComponent("\(composed)/cur/1795201402.C.mx:2,S"))
        let (copied, _, _) = try f.classify()
        #expect(copied.retainEvents == 1 && copied.vanished == 0)
        try quiet()
        // A file removed from the composed folder: one erase, there.
        try FileManager.default.removeItem(at: f.maildir.appendingPathComponent("\(composed)/cur/1795201400.A.mx:2,S"))
        let (removed, _, _) = try f.classify()
        #expect(removed.vanished == 1)
        let erased = try f.events(.erase)
        #expect(erased.count == 1)
        #expect(erased.first.map { Array($0.location.store.utf8) } == Array(f.maildir.appendingPathComponent(composed).path.utf8))
        try quiet()
        #expect(try f.events(.erase).count == 1)
    }

    /// The events of one kind whose item is `item` in a folder ending with `folder`.
    func events(_ f: Fixture, _ kind: EventKind, folder: String) throws -> [PrivacyEvent] {
        try f.events(kind).filter { $0.location.store.hasSuffix(folder) }
    }

    /// The fixture's store classified, then the personal message copied into Junk and classified
    /// again: the Privat file is the original, the Junk file its copy.
    func storeWithACopy(folderRowsLimit: Int = 100_000) throws -> Fixture {
        let f = try Fixture(key: key)
        f.folderRowsLimit = folderRowsLimit
        try f.makeMaildir()
        try f.classify()
        try copyIntoJunk(f)
        try f.classify()
        return f
    }

    /// An empty Trash folder.
    func makeTrash(_ f: Fixture) throws {
        try f.dir.mkdir("Maildir/.Trash/cur")
        try f.dir.write("Maildir/.Trash/maildirfolder", "")
    }

    /// Either way a folder's rows are read: whole, or batch by batch for a large folder.
    @Test(arguments: [100_000, 1])
    func theCopyKeepsItsHistoryWhenTheOriginalIsDeleted(folderRowsLimit: Int) throws {
        let f = try storeWithACopy(folderRowsLimit: folderRowsLimit)
        try FileManager.default.removeItem(at: f.maildir.appendingPathComponent(".Privat/cur/\(name)"))
        let (summary, _, _) = try f.classify()
        #expect(summary.vanished == 1)
        #expect(try events(f, .erase, folder: ".Privat").count == 1)
        for eachMessage in [true, false, true] {
            let (again, _, _) = try f.classify(eachMessage: eachMessage)
            #expect(again.parsed == 0)
            #expect(again.vanished == 0)
        }
        #expect(try events(f, .collect, folder: ".Junk").count == 1)
        #expect(try f.events(.erase).count == 1)
    }

    @Test func aCopyMovedToAnotherFolderKeepsItsHistory() throws {
        let f = try storeWithACopy()
        try makeTrash(f)
        try FileManager.default.moveItem(
            at: f.maildir.appendingPathComponent(".Junk/cur/\(name)"), to: f.maildir.appendingPathComponent(".Trash/cur/\(name)"))
        let (moved, _, _) = try f.classify()
        #expect(moved.vanished == 0)
        #expect(try f.events(.collect).count == 5)
        #expect(try f.events(.erase).isEmpty)
        let (again, _, _) = try f.classify()
        #expect(again.parsed == 0)
        #expect(again.retainEvents == 0)
        #expect(try f.index.count() == 5)
    }

    /// Copied and the original moved, with no run between: one of the two is the message moved,
    /// the other a new copy, and nothing is recorded once more a run later.
    @Test func copiedAndMovedBetweenRuns() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.classify()
        try copyIntoJunk(f)
        try makeTrash(f)
        try FileManager.default.moveItem(
            at: f.maildir.appendingPathComponent(".Privat/cur/\(name)"), to: f.maildir.appendingPathComponent(".Trash/cur/\(name)"))
        let (first, _, _) = try f.classify()
        #expect(first.vanished == 0)
        #expect(try f.events(.collect).count == 5, "one new copy")
        #expect(try f.events(.erase).isEmpty)
        let (again, _, _) = try f.classify()
        #expect(again.parsed == 0)
        #expect(again.retainEvents == 0)
        #expect(try f.events().count == first.recordedEvents.values.reduce(0, +) + 8)
    }

    /// The original moves from new/ to cur/ beside a copy already in cur/: no events.
    @Test func theOriginalMovesToCurBesideItsCopy() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        let original = f.maildir.appendingPathComponent("new/1794128400.M2P2.mx")
        try FileManager.default.copyItem(at: original, to: f.maildir.appendingPathComponent("cur/1794128400.M2P2.mx:2,"))
        try f.classify()
        #expect(try f.events(.collect).count == 5)
        try FileManager.default.moveItem(at: original, to: f.maildir.appendingPathComponent("cur/1794128400.M2P2.mx:2,S"))
        for _ in 0..<2 {
            let (summary, _, _) = try f.classify()
            #expect(summary.vanished == 0)
            #expect(summary.parsed == 0)
        }
        #expect(try f.events().count == 10)
    }

    /// Three files of one name in one folder, and a folder whose name looks like a copy's
    /// number: each file keeps its own row, and a deleted one is named in its erase event.
    @Test(arguments: ["new/1794128400.M2P2.mx", "cur/1794128400.M2P2.mx:2,", "cur/1794128400.M2P2.mx:2,S"])
    func deletingOneOfThreeFilesOfOneNameErasesThatFile(deleted: String) throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        let original = f.maildir.appendingPathComponent("new/1794128400.M2P2.mx")
        for copy in ["cur/1794128400.M2P2.mx:2,", "cur/1794128400.M2P2.mx:2,S", ".Technik#2/cur/1794128400.M2P2.mx:2,S"] {
            try f.dir.mkdir("Maildir/" + (copy as NSString).deletingLastPathComponent)
            try FileManager.default.copyItem(at: original, to: f.maildir.appendingPathComponent(copy))
        }
        try f.dir.write("Maildir/.Technik#2/maildirfolder", "")
        try f.classify()
        #expect(try f.events(.collect).count == 7)
        #expect(try f.classify().0.retainEvents == 0)
        try FileManager.default.removeItem(at: f.maildir.appendingPathComponent(deleted))
        let (summary, _, _) = try f.classify()
        #expect(summary.vanished == 1)
        #expect(summary.retainEvents == 0)
        let erase = try f.events(.erase)
        #expect(erase.count == 1)
        #expect(erase.first?.location.item == deleted)
        for eachMessage in [false, true, false] {
            let (again, _, _) = try f.classify(eachMessage: eachMessage)
            #expect(again.recordedEvents.isEmpty)
            #expect(again.vanished == 0)
        }
        #expect(try f.events(.collect).count == 7)
    }
}

extension MessageCopyTests {
    /// A mail client renames a file when its flags change (`:2,S` to `:2,RS`). A copy renamed so
    /// is the same copy: no second collect, no erase of its old name, on this run or the next.
    /// Either way a folder's rows are read, and whichever file of the two is renamed.
    @Test(arguments: [100_000, 0], [".Junk", ".Privat"])
    func aFileWhoseFlagsChangeStaysTheSameMessage(folderRowsLimit: Int, renamedIn folder: String) throws {
        let f = try storeWithACopy(folderRowsLimit: folderRowsLimit)
        let before = try f.events().count
        let flagged = name.replacingOccurrences(of: ":2,S", with: ":2,RS")
        try FileManager.default.moveItem(
            at: f.maildir.appendingPathComponent("\(folder)/cur/\(name)"),
            to: f.maildir.appendingPathComponent("\(folder)/cur/\(flagged)"))
        for _ in 0..<3 {
            let (summary, _, _) = try f.classify()
            #expect(summary.vanished == 0)
            #expect(summary.retainEvents == 0)
        }
        #expect(try f.events().count == before, "nothing recorded: the same two messages")
        #expect(try f.index.count() == 5)
        // The renamed file is still known by its row: deleting it erases that one message.
        try FileManager.default.removeItem(at: f.maildir.appendingPathComponent("\(folder)/cur/\(flagged)"))
        let (removed, _, _) = try f.classify()
        #expect(removed.vanished == 1)
        #expect(try events(f, .erase, folder: folder).count == 1)
        #expect(try f.events(.erase).count == 1)
        #expect(try f.classify().0.vanished == 0)
    }
}
