import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Hostile stores (issue 13), through the real `privctl` binary, as root from cron would run it.
///
/// Every case builds a store in a temporary directory, plants what a mailbox owner can plant,
/// snapshots a sentinel tree outside the store (bytes, modes, owners, times, entries), runs
/// privctl with a time limit (killed and failed at the limit), and checks the exit status, the
/// receipt on stdout and the lines on stderr. What each case proves:
///
/// 1. A blocked store planted as a symbolic link (`.privctl-blocked` itself, or the store's
///    entry in it: the blocked mbox `.privctl-blocked/NAME`, the blocked Maildir tree
///    `.privctl-blocked/Maildir`) receives nothing: the sentinel is unchanged, the run fails
///    naming the refusal, and the business letter is still in the live store (nothing lost).
/// 2. (with 1) a `.privctl-blocked/Maildir` link to another directory gets nothing moved into it.
/// 3. A `.privctl-blocked` the user made (their own, or root's with group/other bits) is refused
///    and stays empty.
/// 4. A Maildir++ folder that is a link (`.Sent -> /elsewhere`) is not entered: nothing in the
///    target is erased, the link is named on stderr and in the receipt, the run exits non-zero
///    and the receipt does not say "verification: passed".
/// 5. Links to an mbox and to an archive met while walking are not replaced by files, their
///    targets keep their content, and they are reported (erase, classify and scrub).
/// 6. Unreadable folders, messages, mbox files and archives (privctl run as `nobody` through
///    `setpriv`, since root reads everything) are named, and the run fails without
///    "verification: passed".
/// 7. A message or mbox with a hard link outside the store: the receipt and stderr say a copy
///    stays outside, the exit is non-zero, and the outside copy is not overwritten.
/// 8. Directory loops (links, and a bind mount of a directory inside itself) end within the time
///    limit, below 200 MB, listing each message once.
/// 9. FIFOs named like a message, an mbox and `x.tar.gz` make no command wait: classify,
///    erase --dry-run, erase and scrub end and name them; a second scrub is not locked out.
/// 10. One 20 MB mail member in a tar.gz with `--max-message-size 1000000`: `erase --dry-run`
///     stays small and names the member as too large.
/// 11. A full disk under the ledger: erase changes nothing and fails; with space again it
///     completes. SIGKILL at random moments, then one more run: the erase and block events match
///     exactly the messages gone.
/// 12. `--name Anna` and `--subject 'a@example.org,b@example.com'` are refused in one line,
///     changing nothing.
/// 13. The ledger, its -wal and -shm and the key are mode 0600, whatever the umask.
///
/// The symlink race (14) and the walker fuzz (15) have their own files.
@Suite(.serialized) struct HostileStoreTests {
    static let alice = "alice@example.org"

    /// The common verdict on a run that must refuse or report something: it ended by itself in
    /// time, failed, named every needle on stderr, and does not claim a passed verification.
    static func expectReported(
        _ run: PrivctlRun, naming needles: [String], inReceipt: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(run.exited, "must end by itself within the time limit: \(run)", sourceLocation: sourceLocation)
        #expect(run.status != 0, "must fail: \(run)", sourceLocation: sourceLocation)
        for needle in needles {
            #expect(run.stderr.contains(needle), "stderr must name \(needle): \(run)", sourceLocation: sourceLocation)
            if inReceipt {
                #expect(run.stdout.contains(needle), "the receipt must name \(needle): \(run)", sourceLocation: sourceLocation)
            }
        }
        #expect(!run.stdout.contains("verification: passed"), "a run that missed something must not pass: \(run)", sourceLocation: sourceLocation)
    }

    static func expectUnchanged(_ before: TreeSnapshot, _ after: TreeSnapshot, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(after == before, "\(what) changed: \(after.differences(from: before))", sourceLocation: sourceLocation)
    }

    // MARK: - 1, 2. The blocked store planted as a link

    enum StoreKind: String, CaseIterable, Sendable { case mbox, maildir }
    enum Plant: String, CaseIterable, Sendable {
        /// `.privctl-blocked/NAME` is a link (to the sentinel file for an mbox, to a sentinel
        /// directory for a Maildir).
        case entry
        /// `.privctl-blocked` itself is a link to a sentinel directory.
        case root
    }

    @Test(arguments: StoreKind.allCases, Plant.allCases)
    func blockedStorePlantedAsALinkReceivesNothing(_ kind: StoreKind, _ plant: Plant) throws {
        let box = try HostileBox()
        try box.mkdir("home")
        let storeName = kind == .mbox ? "anna" : "Maildir"
        let letter = HostileMail.invoice(number: 1)
        let livePath: String
        switch kind {
        case .mbox:
            livePath = try box.write("home/anna", HostileMail.mbox([letter, HostileMail.newsletter(n: 1)]))
        case .maildir:
            livePath = try box.write("home/Maildir/cur/1709630100.M1P1.mx:2,S", letter)
            try box.mkdir("home/Maildir/new")
            try box.mkdir("home/Maildir/tmp")
        }
        let liveBefore = contents(livePath)
        try box.mkdir("outside/blocked-target", mode: 0o700)
        switch plant {
        case .entry:
            try box.mkdir("home/.privctl-blocked", mode: 0o700)
            try box.symlink("home/.privctl-blocked/\(storeName)", to: box.path(kind == .mbox ? "outside/passwd" : "outside/blocked-target"))
        case .root:
            try box.symlink("home/.privctl-blocked", to: box.path("outside/blocked-target"))
        }
        let before = box.snapshot()

        let run = box.privctl(["erase", "--subject", Self.alice, box.path("home/\(storeName)")])

        Self.expectReported(run, naming: [".privctl-blocked"], inReceipt: true)
        #expect(run.stderr.contains("refused") || run.stderr.contains("not followed"), "the refusal is named: \(run)")
        Self.expectUnchanged(before, box.snapshot(), "the sentinel tree")
        #expect(contents(livePath) == liveBefore, "the business letter must still be in the live store: \(run)")
        // The letter was found; the receipt says so, as left unchanged.
        #expect(!run.stdout.contains("nothing found") && !run.stdout.contains("no message found"), "\(run)")
        #expect(run.stdout.contains(kind == .mbox ? "anna#0" : "1709630100.M1P1"), "the receipt lists the letter it could not block: \(run)")
        #expect(run.stdout.contains("LEFT UNCHANGED"), "\(run)")
        #expect(kindOf(box.path(plant == .root ? "home/.privctl-blocked" : "home/.privctl-blocked/\(storeName)")) == "link")
        // The ledger says nothing was blocked.
        let shown = box.privctl(["ledger", "show", "--kind", "block", "--json"])
        #expect(shown.status == 0 && shown.stdout.isEmpty, "no block event for a block that did not happen: \(shown)")
    }

    // MARK: - 3. A blocked store the user made

    struct Planted: Sendable, CustomTestStringConvertible {
        var nobodyOwns: Bool
        var mode: mode_t
        /// The store's own directory inside `.privctl-blocked` is the planted one (the top is
        /// privctl-like, 0700 root).
        var nested = false
        var testDescription: String { "\(nobodyOwns ? "nobody" : "root") \(String(mode, radix: 8))\(nested ? " (nested)" : "")" }
    }

    @Test(arguments: [
        Planted(nobodyOwns: true, mode: 0o755), Planted(nobodyOwns: true, mode: 0o777), Planted(nobodyOwns: true, mode: 0o700),
        Planted(nobodyOwns: false, mode: 0o755), Planted(nobodyOwns: false, mode: 0o777),
        Planted(nobodyOwns: true, mode: 0o700, nested: true), Planted(nobodyOwns: false, mode: 0o750, nested: true),
    ])
    func blockedStorePreCreatedByTheUserIsRefused(_ planted: Planted) throws {
        try #require(runningAsRoot, "needs root to give the directory to nobody")
        let box = try HostileBox()
        try box.mkdir("home")
        let letter = try box.write("home/Maildir/cur/1709630100.M1P1.mx:2,S", HostileMail.invoice(number: 3))
        try box.mkdir("home/Maildir/new")
        let bytes = contents(letter)
        let plantedDir = planted.nested ? "home/.privctl-blocked/Maildir" : "home/.privctl-blocked"
        if planted.nested { try box.mkdir("home/.privctl-blocked", mode: 0o700) }
        try box.mkdir(plantedDir, mode: planted.mode)
        if planted.nobodyOwns { try box.giveToNobody(plantedDir) }
        chmod(box.path(plantedDir), planted.mode)
        let before = box.snapshot()
        let blockedBefore = box.snapshot("home/.privctl-blocked")

        let run = box.privctl(["erase", "--subject", Self.alice, box.path("home/Maildir")])

        Self.expectReported(run, naming: [".privctl-blocked"])
        #expect(run.stderr.contains("not privctl's own blocked store") || run.stderr.contains("refused"), "\(run)")
        #expect(contents(letter) == bytes, "the letter stays in the live store")
        Self.expectUnchanged(blockedBefore, box.snapshot("home/.privctl-blocked"), "the user's .privctl-blocked")
        Self.expectUnchanged(before, box.snapshot(), "the sentinel tree")
    }

    // MARK: - 4. A Maildir++ folder that is a link

    @Test(arguments: [false, true])
    func maildirFolderThatIsALinkIsNotEntered(dryRun: Bool) throws {
        let box = try HostileBox()
        try box.write("home/Maildir/cur/1794128401.M3P3.mx:2,S", HostileMail.newsletter(n: 1))
        try box.write("home/Maildir/.Privat/cur/1795201200.M4P4.mx:2,S", HostileMail.personal(n: 4))
        try box.write("home/Maildir/.Privat/maildirfolder", "")
        // Somewhere else, a Maildir-ish directory holding her mail, and the link to it.
        try box.write("outside/elsewhere/Maildir-ish/cur/1795201201.M5P5.mx:2,S", HostileMail.personal(n: 5))
        try box.write("outside/elsewhere/Maildir-ish/cur/1709630100.M6P6.mx:2,S", HostileMail.invoice(number: 6))
        try box.write("outside/elsewhere/Maildir-ish/maildirfolder", "")
        try box.mkdir("outside/elsewhere/Maildir-ish/new")
        try box.mkdir("outside/elsewhere/Maildir-ish/tmp")
        try box.symlink("home/Maildir/.Sent", to: box.path("outside/elsewhere/Maildir-ish"))
        let before = box.snapshot()

        let run = box.privctl(["erase"] + (dryRun ? ["--dry-run"] : []) + ["--subject", Self.alice, box.path("home/Maildir")])

        Self.expectReported(run, naming: ["home/Maildir/.Sent"], inReceipt: true)
        #expect(run.stderr.contains("symbolic link"), "\(run)")
        Self.expectUnchanged(before, box.snapshot(), "the link's target")
        #expect(kindOf(box.path("home/Maildir/.Sent")) == "link")
    }

    // MARK: - 5. Links to an mbox and an archive met while walking

    @Test func linksToAnMboxAndAnArchiveAreReportedNotReplaced() throws {
        let box = try HostileBox()
        try box.write("outside/anna-mbox", HostileMail.mbox([HostileMail.personal(n: 1), HostileMail.newsletter(n: 1)]), mode: 0o600)
        try box.write("tree/Maildir/cur/1795201202.M7P7.mx:2,S", HostileMail.personal(n: 7))
        try box.mkdir("tree/Maildir/new")
        try makeTarGz(box.path("outside/backup-2026-11-01.tar.gz"), from: box.path("tree"), members: ["Maildir"])
        try FileManager.default.removeItem(atPath: box.path("tree"))
        try box.write("home/mail/bob", HostileMail.mbox([HostileMail.personal(n: 2), HostileMail.newsletter(n: 2)]))
        try box.symlink("home/mail/anna", to: box.path("outside/anna-mbox"))
        try box.symlink("home/mail/backup-2026-11-01.tar.gz", to: "../../outside/backup-2026-11-01.tar.gz")
        let before = box.snapshot()
        let links = ["home/mail/anna", "home/mail/backup-2026-11-01.tar.gz"]

        let classify = box.privctl(["classify", box.path("home/mail")])
        Self.expectReported(classify, naming: links)

        let erase = box.privctl(["erase", "--subject", Self.alice, box.path("home/mail")])
        Self.expectReported(erase, naming: links, inReceipt: true)

        // scrub applies the request now on record to the backups under the directory.
        let scrub = box.privctl(["scrub", "--all", box.path("home/mail")])
        Self.expectReported(scrub, naming: ["home/mail/backup-2026-11-01.tar.gz"])

        Self.expectUnchanged(before, box.snapshot(), "the links' targets")
        for link in links { #expect(kindOf(box.path(link)) == "link", "\(link) must still be the link, not a file") }
        // The real mbox beside them was searched and rewritten without her.
        #expect(!(String(data: contents(box.path("home/mail/bob")) ?? Data(), encoding: .utf8) ?? "").contains(Self.alice))
    }

    // MARK: - 6. Unreadable folders, messages, mbox files (as nobody)

    @Test(.enabled(if: canRunAsNobody, "needs root and setpriv to run privctl as nobody"))
    func unreadableThingsAreNamedAsAnUnprivilegedUser() throws {
        let box = try HostileBox(asNobody: true)
        try box.write("home/Maildir/cur/1795201200.M1P1.mx:2,S", HostileMail.personal(n: 1))
        let hiddenMessage = "home/Maildir/cur/1795201201.M2P2.mx:2,S"
        try box.write(hiddenMessage, HostileMail.personal(n: 2))
        try box.mkdir("home/Maildir/new")
        try box.mkdir("home/Maildir/tmp")
        try box.write("home/Maildir/.Privat/cur/1795201203.M3P3.mx:2,S", HostileMail.personal(n: 3))
        try box.write("home/Maildir/.Privat/maildirfolder", "")
        try box.write("home/mail/anna", HostileMail.mbox([HostileMail.personal(n: 4), HostileMail.newsletter(n: 4)]))
        try box.write("home/mail/bob", HostileMail.mbox([HostileMail.personal(n: 5)]))
        try box.write("home/mail/old.eml", HostileMail.personal(n: 6))
        try box.write("tree/Maildir/cur/1795201207.M7P7.mx:2,S", HostileMail.personal(n: 7))
        try makeTarGz(box.path("home/mail/backup-2026-11-01.tar.gz"), from: box.path("tree"), members: ["Maildir"])
        try box.write("home/plain/sub/x.eml", HostileMail.personal(n: 8))
        try box.giveToNobody("home")
        let unreadable = [hiddenMessage, "home/Maildir/.Privat", "home/mail/anna", "home/mail/old.eml",
                          "home/mail/backup-2026-11-01.tar.gz", "home/plain/sub"]
        for path in unreadable { chmod(box.path(path), 0o000) }
        let before = box.snapshot()
        let names = unreadable.map { String($0.dropFirst("home/".count)) }

        let classify = box.privctl(["classify", box.path("home")])
        Self.expectReported(classify, naming: names)
        let dryRun = box.privctl(["erase", "--dry-run", "--subject", Self.alice, box.path("home")])
        Self.expectReported(dryRun, naming: names, inReceipt: true)
        let erase = box.privctl(["erase", "--subject", Self.alice, box.path("home")])
        Self.expectReported(erase, naming: names, inReceipt: true)
        Self.expectUnchanged(before, box.snapshot(), "the sentinel tree")
        for path in unreadable { #expect(kindOf(box.path(path)) != "missing", "\(path) was not readable, so not erased") }
    }

    // MARK: - 7. Hard links outside the store

    @Test(arguments: [false, true])
    func hardLinkOutsideTheStoreIsNamed(blocked: Bool) throws {
        let box = try HostileBox()
        // A private message (erased), or an invoice (blocked: moved into the blocked store,
        // while the copy outside stays readable where it is, so the restriction is not complete
        // either).
        try box.write("outside/kept-copy", blocked ? HostileMail.invoice(number: 1) : HostileMail.personal(n: 1), mode: 0o600)
        try box.mkdir("home/Maildir/cur")
        try box.mkdir("home/Maildir/new")
        let live = box.path("home/Maildir/cur/1795201200.M1P1.mx:2,S")
        #expect(link(box.path("outside/kept-copy"), live) == 0)
        try box.write("home/Maildir/cur/1794128401.M3P3.mx:2,S", HostileMail.newsletter(n: 1))
        let before = box.snapshot()

        let run = box.privctl(["erase", "--subject", Self.alice, box.path("home/Maildir")])

        #expect(run.stdout.contains(blocked ? "BLOCKED" : "ERASED"), "\(run)")
        // The copy outside is not overwritten through the shared inode.
        Self.expectUnchanged(before, box.snapshot(), "the copy outside")
        #expect(kindOf(live) == "missing", "the message is out of the live store: \(run)")
        Self.expectReported(run, naming: ["1795201200.M1P1.mx:2,S", "hard link"], inReceipt: true)
        #expect(run.stdout.contains("outside"), "the receipt says the copy is outside the store: \(run)")
    }

    @Test func mboxWithASecondNameOutsideIsNamed() throws {
        let box = try HostileBox()
        try box.write("outside/anna-copy", HostileMail.mbox([HostileMail.personal(n: 1), HostileMail.newsletter(n: 1)]), mode: 0o600)
        try box.mkdir("home/mail")
        #expect(link(box.path("outside/anna-copy"), box.path("home/mail/anna")) == 0)
        let before = box.snapshot()

        let run = box.privctl(["erase", "--subject", Self.alice, box.path("home/mail/anna")])

        Self.expectReported(run, naming: ["home/mail/anna"], inReceipt: true)
        #expect(run.stdout.contains("link"), "the receipt says a second name keeps the content: \(run)")
        Self.expectUnchanged(before, box.snapshot(), "the second name outside")
    }

    // MARK: - 8. Loops

    @Test func directoryLoopsEndInTimeWithBoundedMemoryAndEachMessageOnce() throws {
        let box = try HostileBox()
        for i in 1...3 { try box.write("tree/a/Maildir/cur/179520120\(i).M\(i)P1.mx:2,S", HostileMail.personal(n: i)) }
        try box.mkdir("tree/a/Maildir/new")
        try box.write("tree/b/box", HostileMail.mbox([HostileMail.newsletter(n: 1), HostileMail.newsletter(n: 2)]))
        let links = [
            ("tree/a/loop", "../b"), ("tree/b/loop", "../a"), ("tree/self", "."), ("tree/a/up", "../.."),
            ("tree/a/Maildir/.Loop", "."), ("tree/a/Maildir/.Up", ".."), ("tree/a/Maildir/.Again", box.path("tree/a/Maildir")),
        ]
        for (link, target) in links { try box.symlink(link, to: target) }
        // A loop without links: the tree bind-mounted inside itself (root only).
        var mounted = false
        if runningAsRoot {
            try box.mkdir("tree/b/bound")
            mounted = mount(box.path("tree"), box.path("tree/b/bound"), nil, UInt(MS_BIND), nil) == 0
        }
        defer { if mounted { umount2(box.path("tree/b/bound"), Int32(MNT_DETACH)) } }
        let before = box.snapshot()

        let run = box.privctl(["classify", "--no-record", "--json", box.path("tree")], timeout: 60, measureMemory: true)

        #expect(run.exited, "\(run)")
        #expect(run.status == 1, "links were not followed, and said so: \(run)")
        #expect(run.peakRSSKiB < 200 * 1024, "peak memory \(run.peakRSSKiB / 1024) MiB")
        for (link, _) in links { #expect(run.stderr.contains(box.path(link)), "\(link) named: \(run)") }
        let paths = run.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["path"] as? String
        }
        #expect(paths.count == 5, "3 messages and the mbox's 2, each once: \(paths)")
        #expect(Set(paths).count == paths.count, "no message twice: \(paths)")
        Self.expectUnchanged(before, box.snapshot(), "the sentinel tree")
        if mounted { print("bind-mount loop: checked") }
    }

    // MARK: - 9. FIFOs

    @Test func fifosMakeNoCommandWait() throws {
        let box = try HostileBox()
        try box.write("home/Maildir/cur/1795201200.M1P1.mx:2,S", HostileMail.personal(n: 1))
        try box.mkdir("home/Maildir/new")
        try box.mkfifo("home/Maildir/cur/1795201299.M9P9.mx:2,S")
        try box.write("home/mail/bob", HostileMail.mbox([HostileMail.personal(n: 2), HostileMail.newsletter(n: 2)]))
        try box.mkfifo("home/mail/anna")
        try box.write("tree/Maildir/cur/1795201203.M3P3.mx:2,S", HostileMail.personal(n: 3))
        try box.mkdir("tree/Maildir/new")
        try makeTarGz(box.path("home/backups/backup-2026-11-01.tar.gz"), from: box.path("tree"), members: ["Maildir"])
        try box.mkfifo("home/backups/x.tar.gz")
        let fifos = ["Maildir/cur/1795201299.M9P9.mx:2,S", "mail/anna", "backups/x.tar.gz"]
        let before = box.snapshot()
        let limit = 30.0

        let classify = box.privctl(["classify", box.path("home")], timeout: limit)
        Self.expectReported(classify, naming: fifos)
        let dryRun = box.privctl(["erase", "--dry-run", "--subject", Self.alice, box.path("home")], timeout: limit)
        Self.expectReported(dryRun, naming: fifos, inReceipt: true)
        let erase = box.privctl(["erase", "--subject", Self.alice, box.path("home")], timeout: limit)
        Self.expectReported(erase, naming: fifos, inReceipt: true)
        let scrub = box.privctl(["scrub", "--all", box.path("home/backups")], timeout: limit)
        Self.expectReported(scrub, naming: ["backups/x.tar.gz"])
        // The first scrub ended and let its lock go: a second one runs (and reports the same).
        let again = box.privctl(["scrub", "--all", box.path("home/backups")], timeout: limit)
        Self.expectReported(again, naming: ["backups/x.tar.gz"])
        #expect(!again.stderr.lowercased().contains("lock"), "the second scrub is not locked out: \(again)")
        // A FIFO named on the command line is refused at once.
        for fifo in ["home/mail/anna", "home/backups/x.tar.gz"] {
            let named = box.privctl(["classify", box.path(fifo)], timeout: limit)
            Self.expectReported(named, naming: [fifo])
        }
        for fifo in fifos { #expect(kindOf(box.path("home/" + fifo)) == "fifo") }
        Self.expectUnchanged(before, box.snapshot(), "the sentinel tree")
    }

    // MARK: - 10. One large member

    @Test func largeArchiveMemberIsReportedWithBoundedMemory() throws {
        let box = try HostileBox()
        let header = "From: Alice <alice@example.org>\nTo: anna@beispiel-gmbh.de\nSubject: big\nDate: Sat, 14 Nov 2026 19:30:00 +0100\nMessage-ID: <big@example.org>\n\n"
        // Small: the same archive with a small member, for the baseline.
        try box.write("small/Maildir/cur/1795201200.M1P1.mx:2,S", header + "small\n")
        try box.mkdir("small/Maildir/new")
        try makeTarGz(box.path("home/small.tar.gz"), from: box.path("small"), members: ["Maildir"])
        // Large: 20 MB of text lines (with her address in it now and then).
        var body = [UInt8]()
        body.reserveCapacity(21_000_000)
        var n = 0
        while body.count < 20_000_000 {
            body += Array("line \(n) of a long report, write to alice@example.org with questions, or not at all\n".utf8)
            n += 1
        }
        try box.write("large/Maildir/cur/1795201201.M2P2.mx:2,S", Array(header.utf8) + body)
        try box.mkdir("large/Maildir/new")
        try makeTarGz(box.path("home/large.tar.gz"), from: box.path("large"), members: ["Maildir"])
        try FileManager.default.removeItem(atPath: box.path("large"))

        let arguments = ["erase", "--dry-run", "--subject", Self.alice, "--max-message-size", "1000000"]
        let small = box.privctl(arguments + [box.path("home/small.tar.gz")], measureMemory: true)
        #expect(small.status == 0, "\(small)")
        let large = box.privctl(arguments + [box.path("home/large.tar.gz")], measureMemory: true)
        Self.expectReported(large, naming: ["1795201201.M2P2"], inReceipt: true)
        #expect(large.stderr.contains("1000000") || large.stderr.lowercased().contains("large"), "the limit is the reason: \(large)")
        // Streaming: the 20 MB member may not be held in memory (a few MB of slack for buffers).
        let growth = large.peakRSSKiB - small.peakRSSKiB
        print("erase --dry-run peak RSS: small archive \(small.peakRSSKiB / 1024) MiB, 20 MB member \(large.peakRSSKiB / 1024) MiB")
        #expect(growth < 12 * 1024, "peak RSS grew by \(growth / 1024) MiB for a 20 MB member it must not read")
    }

    // MARK: - 11. A full disk, and SIGKILL

    /// A small tmpfs for privctl's state, unmounted at the end; nil when mounting is not allowed.
    final class SmallDisk {
        let path: String
        init?(at path: String, bytes: Int) {
            guard runningAsRoot else { return nil }
            self.path = path
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            guard mount("tmpfs", path, "tmpfs", 0, "size=\(bytes),mode=0700") == 0 else { return nil }
        }
        deinit { umount2(path, Int32(MNT_DETACH)) }

        /// Fills the disk up to `leaving` bytes free with the file `filler`.
        func fill(leaving: Int) {
            let fd = open(path + "/filler", O_WRONLY | O_CREAT | O_APPEND, 0o600)
            defer { close(fd) }
            var chunk = [UInt8](repeating: 0x55, count: 4096)
            while true {
                var fs = statvfs()
                statvfs(path, &fs)
                let free = Int(fs.f_bavail) * Int(fs.f_bsize)
                if free <= leaving { break }
                let n = chunk.withUnsafeMutableBytes { write(fd, $0.baseAddress, min(4096, free - leaving)) }
                if n <= 0 { break }
            }
        }

        func free() { unlink(path + "/filler") }
    }

    /// A Maildir of `count` messages of hers (every tenth an invoice, blocked) and a few others;
    /// returns the Message-IDs of hers by file name.
    static func subjectMaildir(_ box: HostileBox, count: Int, padding: Int = 0) throws -> [String: String] {
        var hers: [String: String] = [:]
        for i in 0..<count {
            let name = "17952\(String(format: "%05d", i)).M\(i)P1.mx:2,S"
            if i % 10 == 0 {
                try box.write("home/Maildir/cur/" + name, HostileMail.invoice(number: i))
                hers[name] = "<rechnung-\(i)@lieferant.example>"
            } else {
                try box.write("home/Maildir/cur/" + name, HostileMail.personal(n: i, padding: padding))
                hers[name] = "<kuchen-\(i)@example.org>"
            }
        }
        for i in 0..<10 { try box.write("home/Maildir/cur/17940\(i).N\(i)P2.mx:2,S", HostileMail.newsletter(n: i)) }
        try box.mkdir("home/Maildir/new")
        try box.mkdir("home/Maildir/tmp")
        return hers
    }

    /// The Message-IDs of the erase and block events in the ledger, one entry per event: each
    /// event's message file (the ledger names a message by its file and its Message-ID's keyed
    /// hash, never the Message-ID), looked up in `hers`; "" for an event of no message of hers.
    static func recordedMessageIDs(_ box: HostileBox, _ hers: [String: String], environment: [String: String] = [:])
        -> [String]?
    {
        let shown = box.privctl(["ledger", "show", "--kind", "erase", "--kind", "block", "--json"], environment: environment)
        guard shown.status == 0 else { return nil }
        let pattern = try! NSRegularExpression(pattern: "\"item\":\"([^\"]+)\"")
        return shown.stdout.split(separator: "\n").map { line in
            let text = String(line)
            guard let match = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return "" }
            let item = (text as NSString).substring(with: match.range(at: 1))
            return hers[String(item.split(separator: "/").last ?? "")] ?? ""
        }
    }

    /// Her messages no longer in the live Maildir.
    static func gone(_ box: HostileBox, _ hers: [String: String]) -> [String] {
        hers.filter { kindOf(box.path("home/Maildir/cur/" + $0.key)) == "missing" }.map(\.value).sorted()
    }

    @Test(.enabled(if: runningAsRoot, "mounting a tmpfs needs root"), arguments: [0, 16 * 1024, 96 * 1024])
    func fullDiskChangesNothingThenCompletes(leaving: Int) throws {
        let box = try HostileBox()
        guard let disk = SmallDisk(at: box.path("disk"), bytes: 4 << 20) else {
            print("skipped: cannot mount a tmpfs here")
            return
        }
        let environment = ["PRIVCTL_LEDGER": disk.path + "/ledger.sqlite", "PRIVCTL_KEY": disk.path + "/pseudonym.key"]
        let hers = try Self.subjectMaildir(box, count: 60)
        #expect(box.privctl(["init"], environment: environment).status == 0)
        let first = box.privctl(["classify", box.path("home/Maildir")], environment: environment)
        #expect(first.status == 0, "\(first)")
        disk.fill(leaving: leaving)
        let store = box.snapshot("home")

        let full = box.privctl(["erase", "--subject", Self.alice, box.path("home/Maildir")], environment: environment)

        #expect(full.exited, "\(full)")
        if leaving == 0 {
            // Nothing can be written: not the request, not the journal. Nothing changes.
            #expect(full.status != 0, "\(full)")
            Self.expectUnchanged(store, box.snapshot("home"), "the store")
            #expect(!full.stdout.contains("verification: passed"))
        } else if full.status != 0 {
            // Whatever happened must be in the journal, for the next run to record.
            print("with \(leaving) bytes free: exit \(full.status ?? -1), \(Self.gone(box, hers).count) of \(hers.count) gone")
        }
        disk.free()
        let again = box.privctl(["erase", "--subject", Self.alice, box.path("home/Maildir")], environment: environment)
        #expect(again.status == 0, "with space again the erasure completes: \(again)")
        #expect(Self.gone(box, hers).count == hers.count, "all of hers is out of the live store: \(again)")
        let recorded = Self.recordedMessageIDs(box, hers, environment: environment)
        #expect(recorded?.sorted() == Self.gone(box, hers), "one erase or block event per message gone, no more, no less")
        #expect(box.privctl(["ledger", "verify"], environment: environment).status == 0)
    }

    @Test func killedAtRandomMomentsEveryErasureHasItsRecord() throws {
        let box = try HostileBox()
        let hers = try Self.subjectMaildir(box, count: 300, padding: 40)
        var generator = SystemRandomNumberGenerator()
        var delays: [String] = []
        for attempt in 0..<8 {
            let before = Self.gone(box, hers).count
            guard before < hers.count - 1 else { break }
            // Half the kills at a random moment (finding, the request, the journal), half once a
            // random number more of her messages are out of the store (in the middle of acting).
            let delay = Double.random(in: 0.01...0.4, using: &generator)
            let target = before + Int.random(in: 1...min(80, hers.count - before - 1), using: &generator)
            let run = box.privctl(["erase", "--subject", Self.alice, box.path("home/Maildir")]) { pid in
                if attempt % 2 == 0 {
                    usleep(useconds_t(delay * 1_000_000))
                } else {
                    let deadline = Date().addingTimeInterval(20)
                    while Date() < deadline && Self.gone(box, hers).count < target { usleep(300) }
                }
                kill(pid, SIGKILL)
            }
            let moment = attempt % 2 == 0 ? String(format: "after %.2f s", delay) : "at \(target) gone"
            delays.append("\(moment): \(run.signal == SIGKILL ? "killed" : "ended \(run.status ?? -1)"), \(Self.gone(box, hers).count) gone")
        }
        print("kill -9 moments:", delays.joined(separator: "; "))
        let last = box.privctl(["erase", "--subject", Self.alice, box.path("home/Maildir")])
        #expect(last.status == 0, "\(last)")
        let gone = Self.gone(box, hers)
        #expect(gone.count == hers.count, "all of hers is out of the live store")
        let recorded = Self.recordedMessageIDs(box, hers)
        #expect(recorded?.sorted() == gone, "erase/block events must match exactly the messages gone: \(delays)")
        #expect(box.privctl(["ledger", "verify"]).status == 0)
        // Blocked ones are where the block events say.
        let blocked = (try? FileManager.default.contentsOfDirectory(atPath: box.path("home/.privctl-blocked/Maildir/cur"))) ?? []
        #expect(blocked.count == hers.values.filter { $0.hasPrefix("<rechnung") }.count)
    }

    // MARK: - 12. Subjects that would erase the wrong mail

    @Test(arguments: [["--name", "Anna"], ["--subject", "a@example.org,b@example.com"], ["--subject", "a@example.org b@example.com"]])
    func ambiguousSubjectsAreRefusedInOneLine(_ subject: [String]) throws {
        let box = try HostileBox()
        try box.write("home/Maildir/cur/1795201200.M1P1.mx:2,S", HostileMail.personal(n: 1, to: "a@example.org"))
        try box.mkdir("home/Maildir/new")
        let store = box.snapshot("home")

        let run = box.privctl(["erase"] + subject + [box.path("home/Maildir")])

        #expect(run.exited && run.status != 0, "\(run)")
        // One line says why; ArgumentParser adds its usage hint below it.
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.first?.contains(subject[1]) == true, "\(run)")
        #expect(lines.first?.contains(subject[0] == "--name" ? "single word" : "not one e-mail address") == true, "\(run)")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("Usage: ") || $0.hasPrefix("  See ") }, "no more than the reason and the usage hint: \(run)")
        #expect(run.stdout.isEmpty)
        Self.expectUnchanged(store, box.snapshot("home"), "the store")
        #expect(box.privctl(["ledger", "verify"]).stdout.contains("ledger intact: 0 events"), "nothing recorded")
        print("refused with exit \(run.status ?? -1): \(lines.first ?? "")")
    }

    // MARK: - 13. Modes of what privctl creates beside the ledger

    @Test(arguments: ["022", "000"])
    func ledgerWalAndKeyAreMode0600(umask mask: String) throws {
        let box = try HostileBox()
        for i in 0..<800 { try box.write("home/Maildir/cur/17952\(String(format: "%05d", i)).M\(i)P1.mx:2,S", HostileMail.personal(n: i, padding: 20)) }
        try box.mkdir("home/Maildir/new")
        // The default locations under HOME, and explicit ones.
        for explicit in [false, true] {
            var environment = box.environment
            let dir = explicit ? box.state + "/explicit" : box.state + "/data/privctl"
            if explicit {
                try box.mkdir(dir, mode: 0o755)
            } else {
                environment["PRIVCTL_LEDGER"] = nil
                environment["PRIVCTL_KEY"] = nil
            }
            if explicit {
                environment["PRIVCTL_LEDGER"] = dir + "/ledger.sqlite"
                environment["PRIVCTL_KEY"] = dir + "/pseudonym.key"
            }
            // While it runs: stop it once the WAL exists, look, let it go on.
            var seen: [String: mode_t] = [:]
            let run = spawnAndWait(
                ["/bin/sh", "-c", "umask \(mask); \"$0\" init >/dev/null || exit 1; exec \"$0\" \"$@\"", privctlBinary, "classify", box.path("home/Maildir")],
                environment: environment, timeout: 60, scratch: box.root
            ) { pid in
                let deadline = Date().addingTimeInterval(30)
                while Date() < deadline
                    && !["-wal", "-shm"].allSatisfy({ FileManager.default.fileExists(atPath: dir + "/ledger.sqlite" + $0) })
                {
                    usleep(1_000)
                }
                kill(pid, SIGSTOP)
                for name in ["ledger.sqlite", "ledger.sqlite-wal", "ledger.sqlite-shm", "pseudonym.key"] {
                    if let mode = modeOf(dir + "/" + name) { seen[name] = mode }
                }
                kill(pid, SIGCONT)
            }
            #expect(run.status == 0, "\(run)")
            for name in ["ledger.sqlite", "pseudonym.key"] {
                if let mode = modeOf(dir + "/" + name) { seen[name] = mode }
            }
            #expect(seen["ledger.sqlite"] == 0o600 && seen["pseudonym.key"] == 0o600, "umask \(mask), \(dir): \(seen)")
            #expect(seen["ledger.sqlite-wal"] == 0o600, "the WAL while privctl writes: \(seen)")
            #expect(seen["ledger.sqlite-shm"] == 0o600, "the shared-memory file while privctl writes: \(seen)")
            for (name, mode) in seen { #expect(mode == 0o600, "\(dir)/\(name) is \(String(mode, radix: 8))") }
        }
    }
}
