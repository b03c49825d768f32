import Foundation
import TestSupport
import Testing

/// What a cron job needs: a run of nothing is an error, and a quiet run prints nothing when all
/// is well (issue 14).
@Suite struct UnattendedRunTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    @Test func aPathThatHoldsNoMailIsAnErrorUnlessAllowed() throws {
        let box = try Sandbox()
        let empty = box.dir.url.appendingPathComponent("mnt/backup")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try box.dir.write("mnt/backup/README.txt", "not mail\n")
        for arguments in [["classify"], ["expire"], ["apply"], ["erase", "--subject", "erna@gmx.de"], ["scrub", "--all"]] {
            let before = try box.eventCount()
            let refused = try box.run(arguments + [empty.path])
            #expect(try box.eventCount() == before, "\(arguments) recorded nothing")
            #expect(refused.status == 1, "\(arguments)")
            #expect(refused.stderr.hasPrefix("privctl: error: \(empty.path): holds no "), "\(arguments): \(refused.stderr)")
            #expect(refused.stderr.hasSuffix("nothing done (--allow-empty accepts that)\n"), "\(arguments)")
            let allowed = try box.run([arguments[0], "--allow-empty"] + arguments.dropFirst() + [empty.path])
            #expect(allowed.status == 0, "\(arguments): \(allowed.stderr)")
        }
        // A Maildir beside an empty path: nothing is done in either.
        let maildir = try box.makeMaildir()
        let before = try box.eventCount()
        #expect(try box.run(["classify", maildir, empty.path]).status == 1)
        #expect(try box.eventCount() == before)
    }

    @Test func quietCronRunsPrintNothingWhenAllIsWell() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        for arguments in [["classify", "--quiet"], ["expire", "--quiet"], ["apply", "--quiet"]] {
            let result = try box.run(arguments + [maildir])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(arguments): \(result.stderr)")
        }
    }

    /// The gauge's value in a textfile.
    func gauge(_ name: String, in path: String) throws -> Double? {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }

    @Test func expireAndApplyWriteMetricsAndAFailedRunKeepsTheLastSuccess() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        let metrics = box.dir.url.appendingPathComponent("textfile/privctl.prom").path
        try FileManager.default.createDirectory(atPath: box.dir.url.appendingPathComponent("textfile").path, withIntermediateDirectories: true)
        let expired = try box.run(["expire", "--quiet", "--at", "2030-01-01", "--metrics", metrics, maildir])
        #expect(expired.status == 0, "\(expired.stderr)")
        #expect(try gauge("privctl_expire_messages_erased", in: metrics) == 2)
        #expect(try gauge("privctl_expire_errors", in: metrics) == 0)
        let success = try #require(try gauge("privctl_expire_last_success_timestamp_seconds", in: metrics))
        #expect(abs(success - Date().timeIntervalSince1970) < 60)
        #expect((try FileManager.default.attributesOfItem(atPath: metrics)[.posixPermissions] as? Int) == 0o644)

        // A run that skips a locked mbox fails: its run time is new, its last success is not.
        let mbox = try box.dir.write("mail/news", "From news@shop.example Mon Nov  2 08:00:00 2026\n" + SampleMail.newsletter(n: 7) + "\n")
        let holder = try ChildProcess.start("python3", [
            "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'r+'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)",
            mbox.path,
        ])
        defer { holder.signal(SIGKILL) }
        #expect(holder.waitForOutput("locked"))
        sleep(1)
        let skipped = try box.run(["expire", "--quiet", "--at", "2030-01-01", "--lock-timeout", "0.2", "--metrics", metrics, mbox.path])
        #expect(skipped.status == 4, "\(skipped.stderr)")
        #expect(try gauge("privctl_expire_mailboxes_skipped", in: metrics) == 1)
        #expect(try gauge("privctl_expire_last_success_timestamp_seconds", in: metrics) == success)
        let skippedRun = try #require(try gauge("privctl_expire_last_run_timestamp_seconds", in: metrics))
        #expect(skippedRun > success)

        // A run stopped by another run's lock updates its run time and an error, and keeps the success.
        let lock = box.dir.url.appendingPathComponent(".local/share/privctl/run.lock").path
        let runHolder = try ChildProcess.start(
            "python3", ["-c", "import fcntl, sys, time; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)", lock])
        defer { runHolder.signal(SIGKILL) }
        #expect(runHolder.waitForOutput("locked"))
        sleep(1)
        let stopped = try box.run(["expire", "--quiet", "--lock-timeout", "0", "--metrics", metrics, maildir])
        #expect(stopped.status == 4)
        #expect(try gauge("privctl_expire_errors", in: metrics) == 1)
        #expect(try gauge("privctl_expire_last_success_timestamp_seconds", in: metrics) == success)
        #expect(try #require(try gauge("privctl_expire_last_run_timestamp_seconds", in: metrics)) > skippedRun)
        runHolder.signal(SIGKILL)
        runHolder.wait()

        let applied = try box.run(["apply", "--quiet", "--metrics", box.dir.url.appendingPathComponent("textfile/apply.prom").path, maildir])
        #expect(applied.status == 0)
        #expect(try gauge("privctl_apply_errors", in: box.dir.url.appendingPathComponent("textfile/apply.prom").path) == 0)
    }

    /// `--verbose` (or PRIVCTL_LOG_LEVEL=debug) logs each decision through swift-log on stderr.
    @Test func verboseLogsEachDecision() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        let verbose = try box.run(["classify", "-v", maildir])
        #expect(verbose.status == 0)
        let lines = verbose.stderr.split(separator: "\n").filter { $0.contains("debug privctl.classify:") && $0.hasSuffix("classified") }
        #expect(lines.count == 3, "\(verbose.stderr)")
        #expect(lines.contains { $0.contains("category=accounting-document") && $0.contains("keep-until=2027-12-31") && $0.contains("ledger=new") })
        let variable = try box.run(["classify", "--no-record", maildir], environment: ["PRIVCTL_LOG_LEVEL": "debug"])
        #expect(variable.stderr.contains("ledger=not recorded"), "\(variable.stderr)")
        let erase = try box.run(["erase", "-v", "--dry-run", "--subject", "erna@gmx.de", maildir])
        #expect(erase.stderr.contains("debug privctl.erase:") && erase.stderr.contains("decision=would be erased"), "\(erase.stderr)")
        #expect(!(try box.run(["classify", maildir])).stderr.contains("debug"))
    }

    /// A Maildir's cur/ named on its own is refused, saying what to name; a path inside another
    /// named path is searched once.
    @Test func aMaildirFolderPartIsRefusedAndOverlappingPathsAreSearchedOnce() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        try box.dir.mkdir("Maildir/new")
        try box.dir.mkdir("Maildir/tmp")
        let cur = try box.run(["erase", "--allow-empty", "--subject", "erna@gmx.de", maildir + "/cur"])
        #expect(cur.status == 1)
        #expect(cur.stderr.contains("is the cur/ folder of the Maildir \(maildir); name the Maildir"), "\(cur.stderr)")

        let before = try box.eventCount()
        let twice = try box.run(["classify", "--quiet", maildir, maildir + "/cur/1551777300.M1P1.mx:2,S"])
        #expect(twice.status == 0, "\(twice.stderr)")
        #expect(try box.eventCount() == before + 6, "a collect and a retain event per message, each once")
    }

    /// A file name chosen by a user cannot forge a log line or send escapes through --verbose.
    @Test func verboseEscapesWhatUsersChose() throws {
        let box = try Sandbox()
        try box.dir.write("Maildir/cur/1.M1P1.h\n2026-12-06T00:00:00+0000 debug privctl.erase: FORGED\u{1B}[31m:2,S", SampleMail.newsletter(n: 1))
        let result = try box.run(["classify", "-v", "--no-record", box.dir.url.appendingPathComponent("Maildir").path])
        #expect(!result.stderr.contains("\u{1B}"))
        #expect(!result.stderr.split(separator: "\n").contains { $0.hasPrefix("2026-12-06T00:00:00+0000 debug privctl.erase: FORGED") })
    }
}
