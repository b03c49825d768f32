import Foundation
import MailStores
import PrivacyEvents
import TestSupport
import Testing

/// `privctl erase` killed with SIGKILL at different moments: every mailbox is whole (the old or
/// the new version) and the ledger verifies.
@Suite struct InterruptedEraseTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    /// An mbox of `count` messages, every third one from alice, with some bulk so a rewrite
    /// takes a while.
    func bigMbox(count: Int) -> String {
        let filler = String(repeating: "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n", count: 80)
        return (0..<count).map { i in
            let from = i % 3 == 0 ? "Alice <alice@example.org>" : "Person \(i) <p\(i)@example.net>"
            return "From x@example.org Thu Jan  1 10:00:00 2026\nFrom: \(from)\nTo: ops@example.com\nSubject: Nachricht \(i)\nDate: Mon, 02 Nov 2026 08:00:00 +0000\nMessage-ID: <m\(i)@example.net>\nPrecedence: bulk\nList-Id: <list.example.net>\n\n\(filler)"
        }.joined(separator: "\n")
    }

    func hashes(_ path: String) throws -> [String: Int] {
        var found: [String: Int] = [:]
        try MboxFile(MailContainer(format: MboxFormat(), path: path, folder: "")).forEachBatch { batch in
            for m in batch { found[ContentHash.sha256(m.bytes ?? []), default: 0] += 1 }
        }
        return found
    }

    @Test func killedAtAnyMomentTheMailboxIsWholeAndTheLedgerVerifies() throws {
        let box = try Sandbox()
        let text = bigMbox(count: 3000)
        let original = try box.dir.write("original", text)
        let all = try hashes(original.path)
        // 3,000 different messages, 1,000 of them alice's.
        #expect(all.count == 3000)
        var outcomes: [String] = []
        for delay in [0.05, 0.15, 0.3, 0.5, 0.8, 1.2, 2.0] {
            let mbox = box.dir.url.appendingPathComponent("anna").path
            try? FileManager.default.removeItem(atPath: mbox)
            try FileManager.default.copyItem(atPath: original.path, toPath: mbox)
            let erase = try ChildProcess.start(
                PrivctlCommandTests.executable.path, ["erase", "--subject", "alice@example.org", mbox],
                environment: ["HOME": box.dir.url.path])
            Thread.sleep(forTimeInterval: delay)
            erase.signal(SIGKILL)
            erase.wait()

            let now = try hashes(mbox)
            let isOld = now == all
            let isNew = now.count == 2000 && now.allSatisfy { all[$0.key] == $0.value }
            #expect(isOld || isNew, "after \(delay) s the mbox is neither the old nor the new one")
            outcomes.append(isOld ? "old" : "new")
            let verify = try box.run(["ledger", "verify"])
            #expect(verify.status == 0, "after \(delay) s: \(verify.stdout)")
            // A second run completes the job: the stale lock and temporary file are cleaned up.
            let again = try box.run(["erase", "--subject", "alice@example.org", mbox])
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(try hashes(mbox).count == 2000)
            #expect(try FileManager.default.contentsOfDirectory(atPath: box.dir.url.path).filter { $0.hasPrefix(".anna") }.isEmpty)
        }
        // Which moments the kills hit depends on the machine; the report says.
        print("killed erase runs left the mbox:", outcomes.joined(separator: ", "))
    }
}

/// `privctl erase` on a backup archive, killed while it rewrites: the archive is the old one or
/// the finished new one, never half of one.
@Suite struct InterruptedArchiveRewriteTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    func members(_ path: String) throws -> [String] {
        try ChildProcess.check("bsdtar", ["-tf", path]).split(separator: "\n").map(String.init)
    }

    @Test func killedDuringARewriteTheArchiveIsOldOrNew() throws {
        let box = try Sandbox()
        // 600 messages of 100 KB of incompressible text: a rewrite takes a few seconds.
        var generator = SystemRandomNumberGenerator()
        for i in 0..<600 {
            let from = i % 100 == 0 ? "alice@example.org" : "p\(i)@example.net"
            let body = (0..<1300).map { _ in String(UInt64.random(in: 0...UInt64.max, using: &generator), radix: 36) }.joined(separator: " ")
            try box.dir.write("tree/Maildir/cur/\(1_700_000_000 + i).M\(i)P1.mx:2,S",
                "From: \(from)\nTo: ops@example.com\nSubject: m\(i)\nDate: Mon, 02 Nov 2026 08:00:00 +0000\nPrecedence: bulk\nList-Id: <l.example.net>\n\n\(body)\n")
        }
        try ChildProcess.check(
            "tar", ["-czf", box.dir.url.appendingPathComponent("original.tar.gz").path, "-C", box.dir.url.appendingPathComponent("tree").path, "Maildir"])
        let original = box.dir.url.appendingPathComponent("original.tar.gz").path
        let all = try members(original)
        let archive = box.dir.url.appendingPathComponent("backup.tar.gz").path
        var outcomes: [String] = []
        for delay in [0.3, 0.8, 1.5, 2.5] {
            try? FileManager.default.removeItem(atPath: archive)
            try FileManager.default.copyItem(atPath: original, toPath: archive)
            let erase = try ChildProcess.start(
                PrivctlCommandTests.executable.path, ["erase", "--subject", "alice@example.org", archive],
                environment: ["HOME": box.dir.url.path])
            Thread.sleep(forTimeInterval: delay)
            erase.signal(SIGKILL)
            erase.wait()
            let now = try members(archive)
            let isOld = now == all
            let isNew = now.count == all.count - 6 && Set(now).isSubset(of: Set(all))
            #expect(isOld || isNew, "after \(delay) s the archive is neither the old nor the new one")
            outcomes.append(isOld ? "old" : "new")
            #expect(try box.run(["ledger", "verify"]).status == 0)
            let again = try box.run(["erase", "--subject", "alice@example.org", archive])
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(try members(archive).count == all.count - 6)
            #expect(try FileManager.default.contentsOfDirectory(atPath: box.dir.url.path).filter { $0.hasSuffix(".tmp") }.isEmpty)
        }
        print("killed archive rewrites left the archive:", outcomes.joined(separator: ", "))
    }
}
