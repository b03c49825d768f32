import Foundation
import TestSupport
import Testing

/// The run lock: two recording runs on one ledger never run at once (issue 14).
@Suite struct RunLockTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    /// A Maildir of `count` newsletters in `box`.
    func maildir(_ box: Sandbox, count: Int) throws -> String {
        for n in 0..<count {
            try box.dir.write("Maildir/cur/\(1_790_000_000 + n).M\(n)P1.mx:2,S", SampleMail.newsletter(n: n))
        }
        return box.dir.url.appendingPathComponent("Maildir").path
    }

    @Test func twoClassifyRunsAtOnceRecordEachMessageOnce() throws {
        let single = try Sandbox()
        #expect(try single.run(["classify", "--quiet", try maildir(single, count: 600)]).status == 0)
        let expected = try single.eventCount()
        #expect(expected >= 600)

        let box = try Sandbox()
        let store = try maildir(box, count: 600)
        let first = try box.start(["classify", "--quiet", store])
        let second = try box.start(["classify", "--quiet", store])
        let results = [first.wait(), second.wait()]
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        #expect(try box.eventCount() == expected)
    }

    @Test func aRunThatFindsTheLockHeldWaitsThenDoesNothingWithStatus4() throws {
        let box = try Sandbox()
        let store = try box.makeMaildir()
        let backups = box.dir.url.appendingPathComponent("backups")
        try FileManager.default.createDirectory(at: backups, withIntermediateDirectories: true)
        try ChildProcess.check(["tar", "-czf", backups.appendingPathComponent("mail.tar.gz").path, "-C", store, "cur"])
        let lock = box.dir.url.appendingPathComponent(".local/share/privctl/run.lock").path
        // Another run holds the lock: one process that takes it and sleeps.
        let holder = try ChildProcess.start(
            "python3", ["-c", "import fcntl, sys, time; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX); time.sleep(60)", lock])
        while (try ChildProcess.run(["flock", "-n", lock, "true"])).succeeded { usleep(20_000) }
        let before = try box.eventCount()

        for arguments in [
            ["classify", store], ["erase", "--subject", "erna@gmx.de", store], ["expire", store], ["apply", store],
            ["scrub", "--all", backups.path],
        ] {
            let started = Date()
            let result = try box.run(arguments + ["--lock-timeout", "0.3"])
            #expect(result.status == 4, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasSuffix(
                "\(lock): another privctl run on this ledger holds the lock; this \(arguments[0]) did nothing after waiting 0.3 s (see --lock-timeout)\n"),
                "\(arguments)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            #expect(Date().timeIntervalSince(started) >= 0.3)
        }
        #expect(try box.eventCount() == before)
        #expect(try ChildProcess.run(["tar", "-tzf", backups.appendingPathComponent("mail.tar.gz").path]).stdout.split(separator: "\n").count == 3)

        // The holder dies without releasing anything: the next run takes the lock over.
        holder.signal(SIGKILL)
        holder.wait()
        let after = try box.run(["classify", "--quiet", "--lock-timeout", "0", store])
        #expect(after.status == 0, "\(after.stderr)")
    }
}
