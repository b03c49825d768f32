import FileSystem
import Foundation
import MailStores
import TestSupport
import Testing

@testable import Archives

/// Members that are not damage though libarchive cannot simply read them: an encrypted zip
/// entry, a name that is not UTF-8, a sparse file. None may be dropped by a rewrite or by
/// salvage, and none may change.
@Suite struct ArchiveEdgeMemberTests {
    /// The three test messages (``ArchiveIntegrityTests/makeTree(_:)``) in `tree/`, plus `extra`.
    func archive(
        _ name: String, extra: (TemporaryDirectory) throws -> [String], command: ([String]) -> [String]
    ) throws -> (TemporaryDirectory, URL, MailContainer) {
        let dir = try TemporaryDirectory()
        _ = try ArchiveIntegrityTests.makeTree(dir)
        let members = ArchiveIntegrityTests.names + (try extra(dir))
        let url = dir.url.appendingPathComponent(name)
        try ChildProcess.check(command(members) + [url.path] + members, in: dir.url.appendingPathComponent("tree"))
        let scan = try ArchiveSalvageTests.locator.scan([FileSystem.resolveNamedPath(url.path)])
        return (dir, url, try #require(scan.containers.first))
    }

    func eraseAnna(in container: MailContainer, salvage: Bool) throws -> ChangeReport {
        let salvageTests = ArchiveSalvageTests()
        let anna = try #require(try salvageTests.messages(container, salvage: salvage).first { $0.item.contains("1.a.host") })
        return try salvageTests.erase(anna, in: container, salvage: salvage)
    }

    @Test func anEncryptedMemberRefusesTheArchiveAndSalvageDoesNotDropIt() throws {
        let (dir, url, container) = try archive(
            "backup.zip",
            extra: { dir in
                try dir.write("tree/secret.txt", Array("the passphrase protects this\n".utf8))
                try dir.write("tree/zz-after.txt", Array("a member after the encrypted one\n".utf8))
                return ["secret.txt", "zz-after.txt"]
            },
            command: { _ in ["bsdtar", "--format", "zip", "--options", "zip:encryption=zipcrypt", "--passphrase", "pw", "-cf"] })
        let before = try Data(contentsOf: url)
        for salvage in [false, true] {
            var failure: PrivctlError?
            do { _ = try eraseAnna(in: container, salvage: salvage) } catch let error as PrivctlError { failure = error }
            #expect(failure?.code == .unsupported)
            #expect(failure?.problem.contains("is encrypted") == true)
            #expect(try Data(contentsOf: url) == before, "the archive must stay as it was (salvage: \(salvage))")
        }
        withExtendedLifetime(dir) {}
    }

    @Test func aNameThatIsNotUTF8IsNotDamageAndItsMemberIsKept() throws {
        let (dir, url, container) = try archive(
            "backup.tar",
            extra: { dir in
                // "naïve" in Latin-1: the byte 0xEF alone is not UTF-8.
                try ChildProcess.check(["sh", "-c", "printf 'kept\\n' > \"$(printf 'na\\357ve.txt')\""], in: dir.url.appendingPathComponent("tree"))
                return []
            },
            command: { _ in ["sh", "-c", "tar --format=posix -cf \"$0\" \"$@\" na*ve.txt"] })
        // With salvage too: the name is not damage, so nothing but Anna's message goes.
        let report = try eraseAnna(in: container, salvage: true)
        #expect(report.passed)
        #expect(report.rewrite?.partsRemoved.count == 1)
        // GNU tar lists the name as its bytes (bsdtar refuses to convert it in the C locale).
        let listing = try ChildProcess.check(["tar", "-tf", url.path])
        #expect(listing.contains("ve.txt"), "the member with the Latin-1 name must be kept")
        #expect(listing.contains("2.b.host") && !listing.contains("1.a.host"))
        withExtendedLifetime(dir) {}
    }

    @Test func aSparseMemberIsKeptWithItsWholeContent() throws {
        let (dir, url, container) = try archive(
            "backup.tar",
            extra: { dir in
                let path = dir.url.appendingPathComponent("tree/disk.img").path
                try ChildProcess.check(["truncate", "-s", "8M", path])
                try ChildProcess.check(["sh", "-c", "printf START | dd of=\"$0\" conv=notrunc status=none; printf MIDDLE | dd of=\"$0\" bs=1M seek=4 conv=notrunc status=none", path])
                return ["disk.img"]
            },
            command: { _ in ["tar", "--format=posix", "--sparse", "-cf"] })
        let original = try ChildProcess.check(["sha256sum", dir.url.appendingPathComponent("tree/disk.img").path]).prefix(64)
        let report = try eraseAnna(in: container, salvage: false)
        #expect(report.passed)
        let out = dir.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try ChildProcess.check(["tar", "-C", out.path, "-xf", url.path])
        #expect(try ChildProcess.check(["sha256sum", out.appendingPathComponent("disk.img").path]).prefix(64) == original)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(ArchiveIntegrityTests.names[0]).path))
    }

    @Test func aCpioHardLinkWhoseContentIsStoredElsewhereIsReportedNotPassedOver() throws {
        let (dir, _, container) = try archive(
            "backup.tar",
            extra: { dir in
                let tree = dir.url.appendingPathComponent("tree")
                try FileManager.default.createDirectory(at: tree.appendingPathComponent("dedup"), withIntermediateDirectories: true)
                try FileManager.default.linkItem(
                    at: tree.appendingPathComponent(ArchiveIntegrityTests.names[0]), to: tree.appendingPathComponent("dedup/blob"))
                return ["dedup/blob"]
            },
            // newc keeps the content with the last name: Anna's message reads as empty.
            command: { _ in ["bsdtar", "--format", "newc", "-cf"] })
        let messages = try ArchiveSalvageTests().messages(container, salvage: false)
        let anna = try #require(messages.first { $0.item.contains("1.a.host") })
        #expect(anna.problem?.code == .unsupported, "an unsearched message must be reported, never read as empty")
        withExtendedLifetime(dir) {}
    }

    /// A gzip tar written by Python's tarfile with what libarchive's writer would not keep: a pax
    /// global header, sub-second times, atime, a comment and an unknown keyword.
    @Test func keptTarMembersKeepEveryHeaderBecauseTheyAreCopiedByteForByte() throws {
        let (dir, url, container) = try archive(
            "backup.tar.gz",
            extra: { dir in
                try dir.write("tree/notes.txt", Array("kept as it was\n".utf8))
                return ["notes.txt"]
            },
            command: { _ in
                let script = """
                    import sys, tarfile
                    out, names = sys.argv[1], sys.argv[2:]
                    with tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT, pax_headers={"comment": "backup 2026-01-10"}) as tar:
                        for name in names:
                            info = tar.gettarinfo(name)
                            info.mtime = 1709642096.123456789
                            info.pax_headers = {"atime": "1709686923.987654321", "comment": "keep " + name, "VENDOR.note": "x"}
                            with open(name, "rb") as f:
                                tar.addfile(info, f)
                    """
                return ["python3", "-c", script]
            })
        let headers = """
            import sys, tarfile
            with tarfile.open(sys.argv[1]) as tar:
                members = tar.getmembers()
                print(repr(sorted(tar.pax_headers.items())))
                for m in members:
                    print(m.name, repr(m.mtime), repr(sorted(m.pax_headers.items())))
            """
        let before = try ChildProcess.check(["python3", "-c", headers, url.path]).split(separator: "\n")
        let report = try eraseAnna(in: container, salvage: false)
        #expect(report.passed)
        let after = try ChildProcess.check(["python3", "-c", headers, url.path]).split(separator: "\n")
        // Everything but Anna's member, exactly as before: the global header, each kept member's
        // times to the nanosecond, its comment and the keyword libarchive does not know.
        #expect(after == before.filter { !$0.contains("1.a.host") })
        #expect(after.first?.contains("backup 2026-01-10") == true)
        #expect(after.contains { $0.contains("notes.txt") && $0.contains("VENDOR.note") && $0.contains("987654321") })
        _ = try ChildProcess.check(["gzip", "-t", url.path])
        withExtendedLifetime(dir) {}
    }

    /// Two tars appended to each other (`cat a.tar b.tar`, read by `tar -i`), the second with a
    /// GNU volume label before Anna's message: the label and the first archive's end blocks stay.
    @Test func anAppendedArchiveKeepsItsVolumeLabelWhenItsFirstMemberGoes() throws {
        let dir = try TemporaryDirectory()
        _ = try ArchiveIntegrityTests.makeTree(dir)
        let tree = dir.url.appendingPathComponent("tree")
        try ChildProcess.check(["tar", "-cf", "../a.tar", ArchiveIntegrityTests.names[1]], in: tree)
        try ChildProcess.check(["tar", "--format=gnu", "--label=Weekly 2", "-cf", "../b.tar", ArchiveIntegrityTests.names[0]], in: tree)
        try ChildProcess.check(["sh", "-c", "cat a.tar b.tar > backup.tar"], in: dir.url)
        let url = dir.url.appendingPathComponent("backup.tar")
        let scan = try ArchiveSalvageTests.locator.scan([FileSystem.resolveNamedPath(url.path)])
        let report = try eraseAnna(in: try #require(scan.containers.first), salvage: false)
        #expect(report.passed)
        let listing = try ChildProcess.check(["tar", "-i", "-tvf", url.path])
        #expect(listing.contains("Volume Header") && listing.contains("Weekly 2"), "\(listing)")
        #expect(listing.contains("2.b.host") && !listing.contains("1.a.host"))
        // The first archive still ends where it ended: plain `tar -t` stops there.
        #expect(try ChildProcess.check(["tar", "-tf", url.path]).split(separator: "\n").count == 1)
    }

    /// A name removed and then written again with other content (`tar -r`): a later hard link to
    /// it links the kept content and stays.
    @Test func aHardLinkToANameAKeptMemberReusesStays() throws {
        let dir = try TemporaryDirectory()
        _ = try ArchiveIntegrityTests.makeTree(dir)
        let tree = dir.url.appendingPathComponent("tree")
        let anna = ArchiveIntegrityTests.names[0], bert = ArchiveIntegrityTests.names[1]
        try ChildProcess.check(["tar", "-cf", "../backup.tar", anna], in: tree)
        try ChildProcess.check(["cp", bert, anna], in: tree)
        try ChildProcess.check(["ln", anna, "link"], in: tree)
        try ChildProcess.check(["tar", "-rf", "../backup.tar", anna, "link"], in: tree)
        let url = dir.url.appendingPathComponent("backup.tar")
        let scan = try ArchiveSalvageTests.locator.scan([FileSystem.resolveNamedPath(url.path)])
        let container = try #require(scan.containers.first)
        let messages = try ArchiveSalvageTests().messages(container, salvage: false)
        let annas = try #require(messages.first { $0.bytes.map { String(decoding: $0, as: UTF8.self).contains("anna@") } ?? false })
        _ = try ArchiveSalvageTests().erase(annas, in: container, salvage: false)
        let listing = try ChildProcess.check(["tar", "-tvf", url.path])
        #expect(listing.contains("link"), "the hard link to the kept content must stay: \(listing)")
        #expect(listing.split(separator: "\n").count == 2)
    }
}
