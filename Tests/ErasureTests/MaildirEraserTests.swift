import Foundation
import TestSupport
import Testing

@testable import Erasure

@Suite struct MaildirEraserTests {
    @Test func erasesTheFileAndEveryHardLinkInTheStore() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("Maildir/cur/1.a.h:2,S", "Subject: secret\n\nbob@example.org\n")
        try dir.mkdir("Maildir/.Archive/cur")
        let copy = dir.url.appendingPathComponent("Maildir/.Archive/cur/1.a.h:2,S").path
        #expect(link(file.path, copy) == 0)
        let outcome = try MaildirEraser(storePath: dir.url.appendingPathComponent("Maildir").path).erase(file.path)
        #expect(Set(outcome.removedPaths) == [file.path, copy])
        #expect(outcome.overwritten)
        #expect(outcome.linksLeftElsewhere == 0)
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(!FileManager.default.fileExists(atPath: copy))
    }

    @Test func overwritesBeforeUnlinking() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("Maildir/cur/1.a.h:2,S", "Subject: secret\n\nbob@example.org\n")
        // A link outside the store keeps the inode alive, so we can look at its content after.
        let outside = dir.url.appendingPathComponent("witness").path
        #expect(link(file.path, outside) == 0)
        let outcome = try MaildirEraser(storePath: dir.url.appendingPathComponent("Maildir").path).erase(file.path)
        // With a link elsewhere privctl must not destroy content it was not asked to: not overwritten.
        #expect(!outcome.overwritten)
        #expect(outcome.linksLeftElsewhere == 1)
        #expect(try String(contentsOfFile: outside, encoding: .utf8).contains("secret"))
    }

    @Test func otherMessagesAreUntouched() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("Maildir/cur/1.a.h:2,S", "Subject: secret\n\n")
        let other = try dir.write("Maildir/cur/2.b.h:2,S", "Subject: keep\n\n")
        _ = try MaildirEraser(storePath: dir.url.appendingPathComponent("Maildir").path).erase(file.path)
        #expect(try String(contentsOf: other, encoding: .utf8) == "Subject: keep\n\n")
    }

    @Test func aMissingFileIsAnError() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: ErasureError.self) {
            _ = try MaildirEraser(storePath: dir.url.path).erase(dir.url.appendingPathComponent("nope").path)
        }
    }
}

@Suite struct BlockedStoreTests {
    @Test func blockMovesOutOfTheMaildirAndUnblockRestoresByteIdentical() throws {
        let dir = try TemporaryDirectory()
        let content = "Subject: invoice\n\nRechnung\n"
        let file = try dir.write("Maildir/.Buchhaltung/cur/1.a.h:2,S", content)
        let store = BlockedStore(storePath: dir.url.appendingPathComponent("Maildir").path)
        let blocked = try store.block(maildirFile: file.path)
        #expect(blocked == dir.url.appendingPathComponent(".privctl-blocked/Maildir/.Buchhaltung/cur/1.a.h:2,S").path)
        #expect(!FileManager.default.fileExists(atPath: file.path))
        let mode = try FileManager.default.attributesOfItem(atPath: dir.url.appendingPathComponent(".privctl-blocked").path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        #expect(store.blockedMaildirFiles().map(\.live) == [file.path])
        let back = try store.unblock(blockedFile: blocked)
        #expect(back == file.path)
        #expect(try String(contentsOf: file, encoding: .utf8) == content)
    }
}
