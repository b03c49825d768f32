import FileSystem
import MailStores
import PrivacyEvents
import Foundation
import TestSupport
import Testing

@testable import Archives

@Suite struct ArchiveRewriteTests {
    func makeTree(_ dir: TemporaryDirectory) throws {
        try dir.write("tree/Maildir/cur/1.a.host:2,S", "Subject: one\n\nkeep me\n")
        try dir.write("tree/Maildir/cur/2.b.host:2,S", "Subject: two\n\nremove me\n")
        try dir.write("tree/Maildir/.Sent/cur/3.c.host:2,S", String(repeating: "big body line\n", count: 200_000))
        try dir.write("tree/mail/anna.mbox", "From a@x Thu Jan  1 10:00:00 2026\nSubject: a\n\nA\n\nFrom b@x Thu Jan  1 10:00:00 2026\nSubject: b\n\nB\n")
        chmod(dir.url.appendingPathComponent("tree/Maildir/cur/1.a.host:2,S").path, 0o600)
    }

    func members(_ url: URL) throws -> [(name: String, kind: ArchiveMember.Kind, mode: UInt32, modified: Date?, data: [UInt8])] {
        let reader = try ArchiveReader(url: url)
        var list: [(String, ArchiveMember.Kind, UInt32, Date?, [UInt8])] = []
        while let member = try reader.nextMember() {
            list.append((member.name, member.kind, member.mode, member.modified, try reader.readAll()))
        }
        return list.map { (name: $0.0, kind: $0.1, mode: $0.2, modified: $0.3, data: $0.4) }
    }

    @Test(arguments: [
        ("b.tar.gz", ["tar", "-czf"], "gzip -t"),
        ("b.tar", ["tar", "-cf"], nil),
        ("b.tar.xz", ["tar", "-cJf"], "xz -t"),
        ("b.tar.bz2", ["tar", "-cjf"], "bzip2 -t"),
        ("b.zip", ["bsdtar", "--format", "zip", "-cf"], nil),
        ("b.pax.tar.gz", ["bsdtar", "--format", "pax", "-czf"], "gzip -t"),
        ("b.tar.zst", ["bsdtar", "--zstd", "-cf"], nil),
        ("b.gnu.tar", ["bsdtar", "--format", "gnutar", "-cf"], nil),
    ] as [(String, [String], String?)])
    func removesOneMemberAndKeepsEverythingElse(name: String, create: [String], integrity: String?) throws {
        let dir = try TemporaryDirectory()
        try makeTree(dir)
        try ChildProcess.check(create + [name, "-C", "tree", "Maildir", "mail"], in: dir.url)
        let url = dir.url.appendingPathComponent(name)
        let before = try members(url)
        let target = try #require(before.firstIndex { $0.name.hasSuffix("2.b.host:2,S") })
        let rewrite = try ArchiveRewrite(path: url.path)
        var keptBytes = 0
        let outcome = try rewrite.prepare([target: .remove], onKeptData: { _, _, block in keptBytes += block.count })
        #expect(outcome.removed.map(\.name) == [before[target].name])
        #expect(outcome.keptCount == before.count - 1)
        try rewrite.commit()

        let after = try members(url)
        var expected = before
        expected.remove(at: target)
        #expect(after.map(\.name) == expected.map(\.name))
        #expect(after.map(\.data) == expected.map(\.data))
        #expect(after.map(\.mode) == expected.map(\.mode))
        #expect(after.map(\.modified) == expected.map(\.modified))
        #expect(keptBytes == expected.reduce(0) { $0 + $1.data.count })
        // The system tools read it, and its compression checks out.
        let listing = try ChildProcess.check(["bsdtar", "-tf", name], in: dir.url)
        #expect(!listing.contains("2.b.host"))
        #expect(listing.contains("3.c.host"))
        if let integrity { try ChildProcess.check(integrity.split(separator: " ").map(String.init) + [name], in: dir.url) }
        if name.hasSuffix(".tar.gz") {
            // GNU tar extracts it, and what it extracts is what was kept.
            try dir.mkdir("x")
            try ChildProcess.check(["tar", "-xzf", name, "-C", "x"], in: dir.url)
            let kept = try String(contentsOf: dir.url.appendingPathComponent("x/Maildir/cur/1.a.host:2,S"), encoding: .utf8)
            #expect(kept == "Subject: one\n\nkeep me\n")
            #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("x/Maildir/cur/2.b.host:2,S").path))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix(".b") }.isEmpty)
    }

    /// An archive whose first member is plain ustar and whose later members need pax (a path
    /// ustar cannot split, a time with nanoseconds): each keeps what its own header carried, and
    /// the long path can be rewritten at all (issue 17: "Pathname too long").
    @Test func laterMembersKeepLongPathsAndSubSecondTimes() throws {
        let dir = try TemporaryDirectory()
        let folder = "tree/Maildir/." + String(repeating: "Projekt", count: 30)
        try dir.write("tree/Maildir/cur/1.a.host:2,S", "Subject: one\n\nkeep me\n")
        try dir.write(folder + "/cur/2.b.host:2,S", "Subject: two\n\nremove me\n")
        let kept = try dir.write(folder + "/cur/3.c.host:2,S", "Subject: three\n\nkeep me too\n")
        try ChildProcess.check(["touch", "-d", "2024-01-02 03:04:05.123456789", kept.path])
        try ChildProcess.check(["bsdtar", "-cf", "b.tar", "-C", "tree", "Maildir/cur", String(folder.dropFirst("tree/".count))], in: dir.url)
        let url = dir.url.appendingPathComponent("b.tar")
        let before = try members(url)
        // A directory part over 155 bytes: more than a ustar header can hold.
        #expect(before.contains { $0.name.utf8.count > 230 })
        let target = try #require(before.firstIndex { $0.name.hasSuffix("2.b.host:2,S") })
        let rewrite = try ArchiveRewrite(path: url.path)
        _ = try rewrite.prepare([target: .remove])
        try rewrite.commit()
        let after = try members(url)
        var expected = before
        expected.remove(at: target)
        #expect(after.map(\.name) == expected.map(\.name))
        #expect(after.map(\.modified) == expected.map(\.modified))
        let listing = try ChildProcess.check(["tar", "--full-time", "-tvf", "b.tar"], in: dir.url)
        #expect(listing.contains("2024-01-02 03:04:05.123456789") && listing.contains("3.c.host:2,S"), "\(listing)")
        #expect(!listing.contains("2.b.host"))
    }

    /// An archive GNU tar wrote with extended attributes: a rewrite keeps each member's
    /// attributes, in the pax form GNU tar reads without a warning.
    @Test func extendedAttributesSurviveForGNUTarAndBsdtar() throws {
        let dir = try TemporaryDirectory()
        try dir.write("tree/Maildir/cur/1.a.host:2,S", "Subject: one\n\nkeep me\n")
        try dir.write("tree/Maildir/cur/2.b.host:2,S", "Subject: two\n\nremove me\n")
        let kept = dir.url.appendingPathComponent("tree/Maildir/cur/1.a.host:2,S").path
        // Not every file system takes user attributes; without them there is nothing to test.
        let set = try ChildProcess.run(["python3", "-c", "import os, sys; os.setxattr(sys.argv[1], 'user.note', b'kept')", kept])
        guard set.succeeded else { return }
        try ChildProcess.check(
            ["tar", "--xattrs", "--xattrs-include=*", "--format=posix", "-czf", "b.tar.gz", "-C", "tree", "Maildir"], in: dir.url)
        let url = dir.url.appendingPathComponent("b.tar.gz")
        let target = try #require(try members(url).firstIndex { $0.name.hasSuffix("2.b.host:2,S") })
        let rewrite = try ArchiveRewrite(path: url.path)
        _ = try rewrite.prepare([target: .remove])
        try rewrite.commit()
        let listing = try ChildProcess.run(["tar", "--xattrs", "-tvvzf", "b.tar.gz"], in: dir.url)
        #expect(listing.succeeded)
        #expect(listing.stdout.contains("user.note"), "\(listing.stdout)")
        #expect(!listing.stderr.contains("Ignoring unknown extended header keyword"), "\(listing.stderr)")
        for (tool, arguments) in [("gnu", ["tar", "--xattrs", "--xattrs-include=*", "-xzf"]), ("bsd", ["bsdtar", "-xf"])] {
            try dir.mkdir(tool)
            try ChildProcess.check(arguments + ["b.tar.gz", "-C", tool], in: dir.url)
            let value = try ChildProcess.check(
                ["python3", "-c", "import os, sys; print(os.getxattr(sys.argv[1], 'user.note').decode())",
                 dir.url.appendingPathComponent("\(tool)/Maildir/cur/1.a.host:2,S").path])
            #expect(value == "kept\n", "\(tool)")
            #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("\(tool)/Maildir/cur/2.b.host:2,S").path))
        }
    }

    /// POSIX ACLs, as GNU tar (`--acls`, SCHILY.acl.*) and bsdtar (`--acls`) store them: a kept
    /// member's ACL headers are the same bytes after a rewrite, and GNU tar restores the ACL.
    @Test(arguments: [
        ["tar", "--acls", "--format=posix", "-czf", "b.tar.gz", "-C", "tree", "Maildir"],
        ["bsdtar", "--acls", "--format=pax", "-czf", "b.tar.gz", "-C", "tree", "Maildir"],
    ])
    func accessControlListsSurvive(create: [String]) throws {
        let dir = try TemporaryDirectory()
        try dir.write("tree/Maildir/cur/1.a.host:2,S", "Subject: one\n\nkeep me\n")
        try dir.write("tree/Maildir/cur/2.b.host:2,S", "Subject: two\n\nremove me\n")
        let kept = dir.url.appendingPathComponent("tree/Maildir/cur/1.a.host:2,S").path
        // Without setfacl, or on a file system without ACLs, there is nothing to test.
        guard (try? ChildProcess.run(["setfacl", "-m", "u:nobody:rw,g:nogroup:r", kept]))?.succeeded == true else { return }
        try ChildProcess.check(create, in: dir.url)
        let headers = """
            import sys, tarfile
            with tarfile.open(sys.argv[1]) as tar:
                for m in tar.getmembers():
                    print(m.name, sorted((k, v) for k, v in m.pax_headers.items() if "acl" in k.lower()))
            """
        let url = dir.url.appendingPathComponent("b.tar.gz")
        let before = try ChildProcess.check(["python3", "-c", headers, url.path]).split(separator: "\n")
        #expect(before.contains { $0.contains("1.a.host") && $0.contains("nobody") }, "\(before)")
        let target = try #require(try members(url).firstIndex { $0.name.hasSuffix("2.b.host:2,S") })
        let rewrite = try ArchiveRewrite(path: url.path)
        _ = try rewrite.prepare([target: .remove])
        try rewrite.commit()
        let after = try ChildProcess.check(["python3", "-c", headers, url.path]).split(separator: "\n")
        #expect(after == before.filter { !$0.contains("2.b.host") })
        try dir.mkdir("x")
        try ChildProcess.check(["tar", "--acls", "-xzf", "b.tar.gz", "-C", "x"], in: dir.url)
        let acl = try ChildProcess.check(["getfacl", "-c", dir.url.appendingPathComponent("x/Maildir/cur/1.a.host:2,S").path])
        #expect(acl.contains("user:nobody:rw-") && acl.contains("group:nogroup:r--"), "\(acl)")
    }

    @Test func cutsMessagesOutOfAnMboxMember() throws {
        let dir = try TemporaryDirectory()
        try makeTree(dir)
        try ChildProcess.check(["tar", "-czf", "b.tar.gz", "-C", "tree", "mail"], in: dir.url)
        let url = dir.url.appendingPathComponent("b.tar.gz")
        let before = try members(url)
        let mbox = try #require(before.firstIndex { $0.name == "mail/anna.mbox" })
        let text = String(decoding: before[mbox].data, as: UTF8.self)
        let second = text.utf8.count - "From b@x Thu Jan  1 10:00:00 2026\nSubject: b\n\nB\n".utf8.count
        let rewrite = try ArchiveRewrite(path: url.path)
        _ = try rewrite.prepare([mbox: .cut([second..<text.utf8.count], newSize: second)])
        try rewrite.commit()
        let after = try members(url)
        #expect(String(decoding: after[mbox].data, as: UTF8.self) == "From a@x Thu Jan  1 10:00:00 2026\nSubject: a\n\nA\n\n")
        try ChildProcess.check(["gzip", "-t", "b.tar.gz"], in: dir.url)
    }

    @Test func discardLeavesTheOriginal() throws {
        let dir = try TemporaryDirectory()
        try makeTree(dir)
        try ChildProcess.check(["tar", "-czf", "b.tar.gz", "-C", "tree", "Maildir"], in: dir.url)
        let url = dir.url.appendingPathComponent("b.tar.gz")
        let original = try Data(contentsOf: url)
        let rewrite = try ArchiveRewrite(path: url.path)
        _ = try rewrite.prepare([1: .remove])
        rewrite.discard()
        #expect(try Data(contentsOf: url) == original)
        #expect(!FileManager.default.fileExists(atPath: rewrite.temporaryPath))
    }

    @Test func parallelGzipOutputIsOneStreamForGzip() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("p.gz")
        let file = try Directory.open(FileSystem.resolveNamedPath(dir.url.path)).createFile("p.gz", permissions: 0o644)
        let sink = ParallelGzipSink(file: file, chunkSize: 1000)
        let data = Array((0..<10_000).map { UInt8(truncatingIfNeeded: $0 % 251) })
        try data.withUnsafeBytes { try sink.write($0) }
        try sink.finish()
        file.close()
        try ChildProcess.check(["gzip", "-t", "p.gz"], in: dir.url)
        #expect(try GzipStream.decompress([UInt8](Data(contentsOf: url))) == data)
    }

    @Test func gzipSinkPutsACompressedMemberBetweenItsOwn() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("m.gz")
        let file = try Directory.open(FileSystem.resolveNamedPath(dir.url.path)).createFile("m.gz", permissions: 0o644)
        let sink = ParallelGzipSink(file: file, chunkSize: 1000)
        let first = Array(repeating: UInt8(ascii: "a"), count: 2500)
        let middle = Array("copied as it is\n".utf8)
        let last = Array(repeating: UInt8(ascii: "z"), count: 10)
        try first.withUnsafeBytes { try sink.write($0) }
        try sink.writeMember(GzipStream.compress(middle))
        try last.withUnsafeBytes { try sink.write($0) }
        try sink.finish()
        file.close()
        try ChildProcess.check(["gzip", "-t", "m.gz"], in: dir.url)
        #expect(try GzipStream.decompress([UInt8](Data(contentsOf: url))) == first + middle + last)
    }

    /// A tree of `count` Maildir messages of about 150 KB of varied text each, so that a tar.gz
    /// of it is several gzip members when privctl writes it.
    func makeLargeTree(_ dir: TemporaryDirectory, count: Int = 30) throws {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        let words = ["Rechnung", "invoice", "Lieferung", "order", "Termin", "meeting", "Angebot", "quote", "Vertrag", "Server"]
            .map { Array($0.utf8) }
        for n in 0..<count {
            var body = Array("Subject: message \(n)\n\n".utf8)
            body.reserveCapacity(200_000)
            for _ in 0..<20_000 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                body += words[Int(seed >> 60) % words.count]
                body.append(seed >> 58 & 7 == 0 ? 10 : 32)
            }
            try dir.write("tree/Maildir/cur/\(1000 + n).m\(n).host:2,S", body)
        }
        try dir.write("tree/mail/anna.mbox", "From a@x Thu Jan  1 10:00:00 2026\nSubject: a\n\nA\n\nFrom b@x Thu Jan  1 10:00:00 2026\nSubject: b\n\nB\n")
    }

    /// The second erase in an archive privctl wrote copies the gzip members it does not change
    /// as they were (issue 17): most of the new file is the old file's bytes, and the archive
    /// reads the same as a rewrite that compressed everything anew.
    @Test func secondRewriteCopiesUnchangedGzipMembers() throws {
        let dir = try TemporaryDirectory()
        try makeLargeTree(dir)
        try ChildProcess.check(["tar", "-czf", "b.tar.gz", "-C", "tree", "Maildir", "mail"], in: dir.url)
        let url = dir.url.appendingPathComponent("b.tar.gz")
        let original = try members(url)
        // First: the single-member gzip GNU tar wrote is compressed anew, in members of 1 MiB.
        let first = try ArchiveRewrite(path: url.path)
        let firstOutcome = try first.prepare([3: .remove])
        #expect(firstOutcome.gzipMembersCopied == 0)
        try first.commit()
        let written = [UInt8](try Data(contentsOf: url))

        // Second: one member in the middle goes, and the mbox at the end is cut.
        let before = try members(url)
        let middle = try #require(before.firstIndex { $0.name.hasSuffix("1010.m10.host:2,S") })
        let mbox = try #require(before.firstIndex { $0.name == "mail/anna.mbox" })
        let text = before[mbox].data
        let cutAt = text.count - Array("From b@x Thu Jan  1 10:00:00 2026\nSubject: b\n\nB\n".utf8).count
        let second = try ArchiveRewrite(path: url.path)
        let outcome = try second.prepare([middle: .remove, mbox: .cut([cutAt..<text.count], newSize: cutAt)])
        try second.commit()
        #expect(outcome.gzipMembersCopied >= 3)
        let after = try members(url)
        var expected = before
        expected.remove(at: mbox)
        expected.remove(at: middle)
        #expect(Array(after.dropLast().map(\.name)) == expected.map(\.name))
        #expect(Array(after.dropLast().map(\.data)) == expected.map(\.data))
        #expect(after.last?.data == Array(text[0..<cutAt]))
        #expect(after.count == original.count - 2)
        try ChildProcess.check(["gzip", "-t", "b.tar.gz"], in: dir.url)
        let listing = try ChildProcess.check(["tar", "-tzf", "b.tar.gz"], in: dir.url)
        #expect(listing.contains("1029.m29.host") && !listing.contains("1010.m10.host"))
        _ = try ChildProcess.check(["bsdtar", "-tzf", "b.tar.gz"], in: dir.url)
        // The copied members are the old file's bytes: its first MiB or so is unchanged.
        let now = [UInt8](try Data(contentsOf: url))
        let prefix = min(100_000, written.count)
        #expect(now[0..<prefix] == written[0..<prefix])
    }

    /// A zip with stored and deflated entries (what `zip -0` and `zip` mix): each kept entry keeps
    /// its method and its time (issue 17).
    @Test func zipEntriesKeepTheirMethodAndTime() throws {
        let dir = try TemporaryDirectory()
        let make = """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w") as z:
                for n, method in enumerate([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]):
                    info = zipfile.ZipInfo(f"Maildir/cur/{n}.m{n}.host:2,S", date_time=(2024, 3, 5, 12, 30, 2 * n))
                    info.compress_type = method
                    z.writestr(info, f"Subject: {n}\\n\\n" + "Zeile\\n" * 500)
            """
        let list = """
            import sys, zipfile
            for i in zipfile.ZipFile(sys.argv[1]).infolist():
                print(i.filename, i.compress_type, i.date_time, zipfile.ZipFile(sys.argv[1]).read(i.filename).count(b"Zeile"))
            """
        let url = dir.url.appendingPathComponent("b.zip")
        try ChildProcess.check(["python3", "-c", make, url.path])
        let before = try ChildProcess.check(["python3", "-c", list, url.path]).split(separator: "\n")
        #expect(before.count == 4)
        let rewrite = try ArchiveRewrite(path: url.path)
        _ = try rewrite.prepare([1: .remove])
        try rewrite.commit()
        let after = try ChildProcess.check(["python3", "-c", list, url.path]).split(separator: "\n")
        #expect(after == before.enumerated().filter { $0.offset != 1 }.map(\.element))
    }

    /// The archive written to while privctl rewrote it (issue 17's hostile review): the rename
    /// does not happen, the writer's version stays, and no copy is left behind.
    @Test func anArchiveChangedDuringTheRewriteIsLeftAsItIsNow() throws {
        let dir = try TemporaryDirectory()
        try makeTree(dir)
        try ChildProcess.check(["tar", "-czf", "b.tar.gz", "-C", "tree", "Maildir"], in: dir.url)
        let url = dir.url.appendingPathComponent("b.tar.gz")
        let rewrite = try ArchiveRewrite(path: url.path)
        _ = try rewrite.prepare([1: .remove])
        // Someone else's version of the archive, written in place.
        try ChildProcess.check(["tar", "-czf", "other.tar.gz", "-C", "tree", "mail"], in: dir.url)
        let theirs = try Data(contentsOf: dir.url.appendingPathComponent("other.tar.gz"))
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: theirs)
        try handle.truncate(atOffset: UInt64(theirs.count))
        try handle.close()
        #expect(throws: PrivctlError.self) { try rewrite.commit() }
        #expect(try Data(contentsOf: url) == theirs)
        #expect(!FileManager.default.fileExists(atPath: rewrite.temporaryPath))
    }

    /// The mbox member holds other messages than the search found where it found them (the
    /// archive was replaced in between): nothing is cut, the archive stays; with the content
    /// the search found, the message goes.
    @Test func aCutIsMadeOnlyWhereTheFoundMessageStillIs() throws {
        let dir = try TemporaryDirectory()
        try makeTree(dir)
        try ChildProcess.check(["tar", "-czf", "b.tar.gz", "-C", "tree", "mail"], in: dir.url)
        let url = dir.url.appendingPathComponent("b.tar.gz")
        let original = try Data(contentsOf: url)
        let (container, messages) = try scanned(url)
        let second = try #require(messages.first { $0.item.hasSuffix("#1") })
        let wrong = ChangeSet([MessageChange(message: second, contentHash: ContentHash.sha256(Array("other".utf8)), action: .erase)])
        #expect(throws: PrivctlError.self) { try container.format.apply(wrong, to: container, options: ChangeOptions()) }
        #expect(try Data(contentsOf: url) == original)
        let right = ChangeSet([MessageChange(message: second, contentHash: ContentHash.sha256(try second.readBytes()), action: .erase)])
        _ = try container.format.apply(right, to: container, options: ChangeOptions())
        let after = try members(url)
        #expect(after.map { String(decoding: $0.data, as: UTF8.self) }.contains("From a@x Thu Jan  1 10:00:00 2026\nSubject: a\n\nA\n\n"))
    }

    /// An empty message file found (a scrub's expired mail) is erased: no data, the empty hash.
    @Test func anEmptyMessageMemberIsErased() throws {
        let dir = try TemporaryDirectory()
        try makeTree(dir)
        try dir.write("tree/Maildir/cur/4.empty.host:2,S", [UInt8]())
        try ChildProcess.check(["tar", "-czf", "b.tar.gz", "-C", "tree", "Maildir"], in: dir.url)
        let url = dir.url.appendingPathComponent("b.tar.gz")
        let (container, messages) = try scanned(url)
        let empty = try #require(messages.first { $0.item.hasSuffix("4.empty.host:2,S") })
        let change = ChangeSet([MessageChange(message: empty, contentHash: ContentHash.sha256([]), action: .erase)])
        _ = try container.format.apply(change, to: container, options: ChangeOptions())
        #expect(try !members(url).contains { $0.name.hasSuffix("4.empty.host:2,S") })
        #expect(try members(url).contains { $0.name.hasSuffix("1.a.host:2,S") })
    }

    /// The archive as a store, and its messages.
    func scanned(_ url: URL) throws -> (MailContainer, [StoredMessage]) {
        let container = try #require(try ArchiveSalvageTests.locator.scan([FileSystem.resolveNamedPath(url.path)]).containers.first)
        var messages: [StoredMessage] = []
        try container.forEachBatch(limits: ReadLimits()) { messages += $0 }
        return (container, messages)
    }
}
