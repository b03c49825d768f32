import Foundation
import TestSupport
import Testing

import Archives
import FileSystem
@testable import MailStores

/// The built-in formats, in PrivctlKit's order.
let locator = StoreLocator(formats: [MaildirFormat(), ArchiveFormat(), MessageFileFormat(), MboxFormat()])

@Suite struct StoreLocatorTests {
    @Test func findsMaildirPlusPlusFoldersAndIgnoresDovecotFiles() throws {
        let dir = try TemporaryDirectory()
        try dir.write("Maildir/cur/1.a.h:2,", "Subject: a\n\n")
        try dir.write("Maildir/.Sent/cur/2.b.h:2,S", "Subject: b\n\n")
        try dir.write("Maildir/.Sent/maildirfolder", "")
        try dir.write("Maildir/.Archive.2019/new/3.c.h", "Subject: c\n\n")
        try dir.write("Maildir/dovecot-uidlist", "3 V1 N4\n")
        try dir.write("Maildir/dovecot.index.cache", [0, 1, 2])
        let found = try locator.scan([dir.url.appendingPathComponent("Maildir").path]).containers
        #expect(found.map(\.folder) == ["INBOX", "Archive.2019", "Sent"])
        #expect(found.allSatisfy { $0.format.name == "maildir" })
    }

    /// Two folders whose names differ only in Unicode normalisation are two folders.
    @Test func foldersWhoseNamesDifferOnlyInNormalisationAreBothRead() throws {
        let dir = try TemporaryDirectory()
        try dir.write("Maildir/cur/1.a.h:2,", "Subject: a\n\n")
        try dir.write("Maildir/.Caf\u{E9}/cur/2.b.h:2,S", "Subject: b\n\n")
        try dir.write("Maildir/.Cafe\u{301}/cur/3.c.h:2,S", "Subject: c\n\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("Maildir").path)
        try #require(names.count == 3, "the file system keeps both names")
        let found = try locator.scan([dir.url.appendingPathComponent("Maildir").path]).containers
        #expect(found.count == 3)
        #expect(Set(found.map { Array($0.path.utf8) }).count == 3)
    }

    @Test func aMaildirPlusPlusFolderAloneKeepsItsName() throws {
        let dir = try TemporaryDirectory()
        try dir.write("Maildir/.Sent/cur/2.b.h:2,S", "Subject: b\n\n")
        try dir.write("Maildir/.Sent/maildirfolder", "")
        let found = try locator.scan([dir.url.appendingPathComponent("Maildir/.Sent").path]).containers
        #expect(found.map(\.folder) == ["Sent"])
    }

    @Test func walksDirectoriesForMboxAndMessageFiles() throws {
        let dir = try TemporaryDirectory()
        try dir.write("mail/inbox", "From a@x Thu Jan  1 10:00:00 2020\nSubject: a\n\nx\n")
        try dir.write("mail/notes.txt", "just text, no mail")
        try dir.write("mail/saved/one.eml", "Subject: one\n\nbody\n")
        try dir.write("mail/users/anna/Maildir/new/1.a.h", "Subject: x\n\n")
        let found = try locator.scan([dir.url.appendingPathComponent("mail").path]).containers
        #expect(found.map(\.format.name) == ["mbox", "eml", "maildir"])
    }

    @Test func blockedStoresAreNotLiveMail() throws {
        let dir = try TemporaryDirectory()
        try dir.write("home/Maildir/cur/1.a.h:2,", "Subject: a\n\n")
        try dir.write("home/.privctl-blocked/Maildir/cur/2.b.h:2,S", "Subject: blocked\n\n")
        try dir.write("home/mail/inbox", "From a@x Thu Jan  1 10:00:00 2020\nSubject: a\n\nx\n")
        try dir.write("home/mail/.privctl-blocked/inbox", "From a@x Thu Jan  1 10:00:00 2020\nSubject: b\n\nx\n")
        // privctl's own: made by this user, for nobody else.
        for own in ["home/.privctl-blocked", "home/mail/.privctl-blocked"] { chmod(dir.url.appendingPathComponent(own).path, 0o700) }
        let found = try locator.scan([dir.url.appendingPathComponent("home").path]).containers
        #expect(found.map { $0.url.lastPathComponent } == ["Maildir", "inbox"])
        // One that anyone else could have made is searched like any folder: a name hides nothing.
        chmod(dir.url.appendingPathComponent("home/mail/.privctl-blocked").path, 0o755)
        let again = try locator.scan([dir.url.appendingPathComponent("home").path]).containers
        #expect(again.map(\.path).contains { $0.hasSuffix("mail/.privctl-blocked/inbox") })
    }

    @Test func sameContainerNamedTwiceIsListedOnce() throws {
        let dir = try TemporaryDirectory()
        try dir.write("Maildir/cur/1.a.h:2,", "Subject: a\n\n")
        let path = dir.url.appendingPathComponent("Maildir").path
        #expect(try locator.scan([path, path + "/"]).containers.count == 1)
    }

    @Test func errorsNameThePathAndTheProblem() throws {
        let dir = try TemporaryDirectory()
        let missing = dir.url.appendingPathComponent("nope").path
        #expect(throws: PrivctlError.self) { try locator.scan([missing]) }
        do {
            _ = try locator.scan([missing])
        } catch {
            #expect(error.code == .notFound)
            #expect(error.description.hasPrefix("\(missing): "))
        }
        let binary = try dir.write("blob.bin", [0, 1, 2, 3, 0xff])
        do {
            _ = try locator.scan([binary.path])
            Issue.record("a binary file was accepted")
        } catch {
            #expect(error.code == .notMail)
            #expect(error.problem == "not a Maildir, an mbox, a message file or a backup archive")
        }
    }
}
