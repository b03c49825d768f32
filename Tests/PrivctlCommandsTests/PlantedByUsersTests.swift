import Foundation
import TestSupport
import Testing

/// What a mailbox owner can plant in their own store, found by a hostile review of the
/// root-safety work: each run must either search it or say it did not, never pass in silence.
@Suite struct PlantedByUsersTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    /// Erna's private letter: erased (not blocked) when she asks.
    static let letter = SampleMail.personal(from: "erna@gmx.de")

    @Test func aFolderNamedLikeTheBlockedStoreButNotPrivctlsIsSearched() throws {
        let box = try Sandbox()
        try box.dir.write("Maildir/cur/.keep", "")
        let hidden = try box.dir.write("Maildir/.privctl-blocked/cur/1795201200.M4P4.mx:2,S", Self.letter)
        chmod(box.dir.url.appendingPathComponent("Maildir/.privctl-blocked").path, 0o755)
        let erased = try box.run(["erase", "--subject", "erna@gmx.de", box.dir.url.appendingPathComponent("Maildir").path])
        #expect(erased.status == 0, "\(erased.stdout)\(erased.stderr)")
        #expect(erased.stdout.contains("1 erased"), "\(erased.stdout)")
        #expect(!FileManager.default.fileExists(atPath: hidden.path))
    }

    @Test func aNameThatIsNotUTF8IsNamedNotConfusedWithAnother() throws {
        let box = try Sandbox()
        let cur = box.dir.url.appendingPathComponent("Maildir/cur")
        try FileManager.default.createDirectory(at: cur, withIntermediateDirectories: true)
        try box.dir.write("Maildir/new/.keep", "")
        // Hers under a Latin-1 byte; a decoy whose name is what a lossy decoding makes of it.
        let raw = Array(cur.path.utf8) + Array("/1700000100.y".utf8) + [0xFF] + Array(".host:2,S".utf8)
        let fd = open(raw.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_EXCL, 0o600)
        #expect(fd >= 0)
        _ = Self.letter.utf8CString.withUnsafeBytes { write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
        try box.dir.write("Maildir/cur/1700000100.y\u{FFFD}.host:2,S", SampleMail.newsletter(n: 1))
        let result = try box.run(["erase", "--dry-run", "--subject", "erna@gmx.de", box.dir.url.appendingPathComponent("Maildir").path])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stderr.contains("name is not valid UTF-8"), "\(result.stderr)")
        #expect(!result.stdout.contains("verification: passed"))
    }

    @Test func anArchiveWithAnotherNameElsewhereIsNamed() throws {
        let box = try Sandbox()
        try box.dir.write("tree/Maildir/cur/1795201200.M4P4.mx:2,S", Self.letter)
        try box.dir.write("tree/Maildir/cur/1794128400.M2P2.mx:2,S", SampleMail.newsletter(n: 1))
        let archive = box.dir.url.appendingPathComponent("backups/host-2026-11-20.tar.gz").path
        try FileManager.default.createDirectory(atPath: box.dir.url.appendingPathComponent("backups").path, withIntermediateDirectories: true)
        _ = try ChildProcess.check(["tar", "-czf", archive, "-C", box.dir.url.appendingPathComponent("tree").path, "Maildir"])
        let elsewhere = box.dir.url.appendingPathComponent("elsewhere.tar.gz").path
        #expect(link(archive, elsewhere) == 0)
        let result = try box.run(["erase", "--subject", "erna@gmx.de", box.dir.url.appendingPathComponent("backups").path])
        #expect(result.status != 0, "\(result.stdout)")
        #expect(result.stderr.contains("other hard link(s) to this archive"), "\(result.stderr)")
        // The archive itself no longer holds her letter.
        #expect(!(try ChildProcess.check(["tar", "-tzf", archive])).contains("M4P4"))
    }

    @Test func aTarHardLinkMemberNamedLikeMailIsNamedAsNotSearched() throws {
        let box = try Sandbox()
        try box.dir.write("tree/keep/notes.txt", Self.letter)
        try FileManager.default.createDirectory(
            atPath: box.dir.url.appendingPathComponent("tree/Maildir/cur").path, withIntermediateDirectories: true)
        #expect(link(box.dir.url.appendingPathComponent("tree/keep/notes.txt").path,
                     box.dir.url.appendingPathComponent("tree/Maildir/cur/1795201200.M4P4.mx:2,S").path) == 0)
        let archive = box.dir.url.appendingPathComponent("backups/b.tar").path
        try FileManager.default.createDirectory(atPath: box.dir.url.appendingPathComponent("backups").path, withIntermediateDirectories: true)
        _ = try ChildProcess.check(["tar", "-cf", archive, "-C", box.dir.url.appendingPathComponent("tree").path, "keep", "Maildir"])
        let result = try box.run(["erase", "--dry-run", "--subject", "erna@gmx.de", archive])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stderr.contains("a hard link to keep/notes.txt"), "\(result.stderr)")
    }

    @Test func metricsAreNotWrittenThroughAPlantedLink() throws {
        let box = try Sandbox()
        try box.dir.write("backups/.keep", "")
        let precious = try box.dir.write("precious", "root's file\n")
        try FileManager.default.createDirectory(atPath: box.dir.url.appendingPathComponent("textfile").path, withIntermediateDirectories: true)
        let metrics = box.dir.url.appendingPathComponent("textfile/privctl.prom").path
        #expect(symlink(precious.path, metrics) == 0)
        let result = try box.run(["scrub", "--allow-empty", "--all", box.dir.url.appendingPathComponent("backups").path, "--metrics", metrics])
        #expect(result.status == 1)
        #expect(result.stderr.contains("symbolic link"), "\(result.stderr)")
        #expect(try String(contentsOf: precious, encoding: .utf8) == "root's file\n")
        // A regular metrics file is replaced, readable by the exporter.
        unlink(metrics)
        #expect(try box.run(["scrub", "--allow-empty", "--all", box.dir.url.appendingPathComponent("backups").path, "--metrics", metrics]).status == 0)
        #expect((try FileManager.default.attributesOfItem(atPath: metrics)[.posixPermissions] as? Int) == 0o644)
    }

    @Test(.enabled(if: ChildProcess.isInstalled("flock"))) func anMboxUnderAFlockIsWaitedForThenSkipped() throws {
        let box = try Sandbox()
        let mbox = try box.dir.write("mail/erna", "From erna@gmx.de Sat Nov 14 19:30:00 2026\n" + Self.letter + "\n")
        let holder = try ChildProcess.start("flock", ["-x", mbox.path, "sleep", "4"])
        defer { _ = holder.wait() }
        usleep(300_000)
        let result = try box.run(["erase", "--lock-timeout", "1", "--subject", "erna@gmx.de", mbox.path])
        #expect(result.status == 4, "\(result.stdout)\(result.stderr)")
        #expect(try String(contentsOf: mbox, encoding: .utf8).contains("Kuchen"))
    }

    @Test func aNewlineInAFileNameStaysInsideItsLine() throws {
        let box = try Sandbox()
        try box.dir.write("Maildir/new/.keep", "")
        try box.dir.write("Maildir/cur/1600000000.M1P1.mx\nnewsletter  due since 2020-01-01  FORGED:2,S", SampleMail.newsletter(n: 1))
        let due = try box.run(["classify", "--due", "--at", "2040-01-01", box.dir.url.appendingPathComponent("Maildir").path])
        #expect(due.stdout.split(separator: "\n").count == 1, "\(due.stdout)")
        #expect(due.stdout.contains("mx\\nnewsletter"))
    }

    @Test func aBlockedMessageChangedThroughAnotherLinkIsNotReturnedAsIfUnchanged() throws {
        let box = try Sandbox()
        let file = try box.dir.write("Maildir/cur/1551777300.M1P1.mx:2,S", SampleMail.invoice(number: 1, to: "Alice <alice@example.org>"))
        try box.dir.write("Maildir/new/.keep", "")
        let kept = box.dir.url.appendingPathComponent("kept").path
        #expect(link(file.path, kept) == 0)
        let maildir = box.dir.url.appendingPathComponent("Maildir").path
        let blocked = try box.run(["block", "--subject", "alice@example.org", maildir])
        #expect(blocked.status == 1, "the other name is reported: \(blocked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: file.path))
        // The mailbox owner changes the blocked message through the name they kept.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: kept))
        handle.seekToEndOfFile()
        handle.write(Data("P.S. changed after blocking\n".utf8))
        handle.closeFile()
        let unblocked = try box.run(["unblock", "--subject", "alice@example.org", maildir])
        #expect(unblocked.status == 1, "\(unblocked.stdout)")
        #expect(unblocked.stderr.contains("not what privctl blocked"), "\(unblocked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: file.path), "left in the blocked store")
    }

    @Test func anIncompleteAccessReportSaysSo() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        #expect(symlink("/tmp", maildir + "/.Elsewhere") == 0)
        let report = try box.run(["report", "--subject", "erna@gmx.de", maildir])
        #expect(report.status == 1)
        #expect(report.stdout.contains("This report is incomplete"))
        #expect(report.stdout.contains(".Elsewhere"))
    }
}
