import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// 14. The symlink race on the temporary copy beside an mbox or an archive.
///
/// A user who can write in the directory of their mbox or backup (their home, a backup share)
/// plays the attacker while privctl rewrites the file again and again: before each run they
/// plant links under many guessed temporary names (`.NAME.privctl-RANDOM.tmp` pointing at a
/// sentinel file), and during the run a thread watches the directory (inotify, plus a readdir
/// loop) and replaces every temporary file that appears with a link to the sentinel.
///
/// What it proves: the sentinel never changes (privctl never writes through a name it did not
/// just create, `O_EXCL|O_NOFOLLOW`), and every rewrite either succeeds, leaving a regular file
/// with exactly the expected messages, or fails cleanly (an exit status, the original file
/// unchanged). A mailbox that ends up as the attacker's link, or a success that left the old
/// content, fails the test.
@Suite(.serialized) struct SymlinkRaceTests {
    /// Rewrites in all, three quarters of them mbox rewrites (`HOSTILE_RACE_ROUNDS`, default 200).
    static var rounds: Int { Int(ProcessInfo.processInfo.environment["HOSTILE_RACE_ROUNDS"] ?? "") ?? 200 }

    /// The attacker: replaces every file named `prefix…\.tmp` that appears in `directory` with a
    /// link to `target`, until stopped.
    final class Attacker: @unchecked Sendable {
        let directory: String
        let prefix: String
        let target: String
        private let lock = NSLock()
        private var stopping = false
        private var paused = false
        private var stopped = false
        private(set) var swaps = 0
        private var thread: Thread?

        init(directory: String, prefix: String, target: String) {
            self.directory = directory
            self.prefix = prefix
            self.target = target
        }

        /// Plants `count` links under guessed temporary names.
        func plantGuesses(_ count: Int) {
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<count {
                let token = String(generator.next() & 0xFFFF_FFFF_FFFF, radix: 16)
                let name = prefix + String(repeating: "0", count: 12 - token.count) + token + ".tmp"
                _ = symlink(target, directory + "/" + name)
            }
        }

        func start() {
            let thread = Thread { [self] in run() }
            thread.stackSize = 1 << 20
            self.thread = thread
            thread.start()
        }

        /// While paused the thread only watches (guesses stay planted): the rewrite must then
        /// succeed, so both outcomes are exercised.
        func pause(_ value: Bool) { lock.withLock { paused = value } }

        func stop() {
            lock.withLock { stopping = true }
            while !lock.withLock({ stopped }) { usleep(1_000) }
        }

        /// Replaces `name` with the link unless it already is a link.
        private func hijack(_ name: String) {
            guard name.hasPrefix(prefix), name.hasSuffix(".tmp"), !lock.withLock({ paused }) else { return }
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return }
            if unlink(path) == 0, symlink(target, path) == 0 { lock.withLock { swaps += 1 } }
        }

        private func run() {
            let watch = inotify_init1(Int32(IN_NONBLOCK))
            if watch >= 0 { _ = inotify_add_watch(watch, directory, UInt32(IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_MODIFY)) }
            defer { if watch >= 0 { close(watch) } }
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            var spins = 0
            while !lock.withLock({ stopping }) {
                if watch >= 0 {
                    var poller = pollfd(fd: watch, events: Int16(POLLIN), revents: 0)
                    _ = poll(&poller, 1, 1)
                    let n = buffer.withUnsafeMutableBytes { read(watch, $0.baseAddress, $0.count) }
                    var offset = 0
                    while n > 0 && offset + 16 <= n {
                        let length = Int(buffer[offset + 12]) | Int(buffer[offset + 13]) << 8 | Int(buffer[offset + 14]) << 16 | Int(buffer[offset + 15]) << 24
                        let nameBytes = buffer[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }
                        hijack(String(decoding: nameBytes, as: UTF8.self))
                        offset += 16 + length
                    }
                }
                // And a readdir pass now and then, for what inotify did not say.
                spins += 1
                if watch < 0 || spins % 4 == 0, let dir = opendir(directory) {
                    while let entry = readdir(dir) {
                        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                        hijack(name)
                    }
                    closedir(dir)
                }
            }
            lock.withLock { stopped = true }
        }
    }

    /// A rewrite outcome, for the summary.
    struct Tally: CustomStringConvertible {
        var succeeded = 0
        var failedCleanly = 0
        var failures: [String] = []
        var description: String { "\(succeeded) rewrites succeeded, \(failedCleanly) failed cleanly" }
    }

    /// An mbox's messages, each without the blank lines that separate it from the next (a
    /// rewrite keeps every message's bytes, but the last one kept keeps its separator too).
    static func messages(_ mbox: Data) -> [String] {
        String(decoding: mbox, as: UTF8.self).components(separatedBy: "\nFrom sender@example.org ")
            .map { $0.replacingOccurrences(of: "\\n+$", with: "", options: .regularExpression) }
    }

    @Test func mboxRewriteUnderASymlinkRace() throws {
        let box = try HostileBox()
        try box.mkdir("race", mode: 0o777)
        let base = (0..<40).map { HostileMail.newsletter(n: $0) + String(repeating: "Angebot der Woche, nur heute.\n", count: 200) }
        let mbox = box.path("race/anna")
        let attacker = Attacker(directory: box.path("race"), prefix: ".anna.privctl-", target: box.path("outside/passwd"))
        let sentinel = box.snapshot()
        attacker.start()
        defer { attacker.stop() }
        var tally = Tally()
        var generator = SystemRandomNumberGenerator()
        for round in 0..<max(1, Self.rounds * 3 / 4) {
            attacker.pause(round % 2 == 0)
            var messages = base
            messages.insert(HostileMail.personal(n: round), at: Int.random(in: 0...base.count, using: &generator))
            let original = Data(HostileMail.mbox(messages).utf8)
            let expected = Data(HostileMail.mbox(base).utf8)
            unlink(mbox)
            try original.write(to: URL(fileURLWithPath: mbox))
            attacker.plantGuesses(100)

            let run = box.privctl(["erase", "--subject", HostileStoreTests.alice, mbox], timeout: 30)

            let now = contents(mbox)
            let kind = kindOf(mbox)
            if run.status == 0 && kind == "file" && now.map(Self.messages) == Self.messages(expected) {
                tally.succeeded += 1
            } else if run.exited && run.status != 0 && kind == "file" && now == original {
                tally.failedCleanly += 1
            } else {
                tally.failures.append("round \(round): \(kind), \(now.map(Self.messages) == Self.messages(expected) ? "rewritten" : now == original ? "original" : "other content"), \(run)")
            }
            if box.snapshot() != sentinel {
                Issue.record("round \(round): the sentinel changed: \(box.snapshot().differences(from: sentinel))")
                break
            }
            if tally.failures.count >= 3 { break }
        }
        attacker.stop()
        print("mbox race: \(tally), \(attacker.swaps) temporary files replaced by links")
        #expect(tally.failures.isEmpty, "\(tally.failures.joined(separator: "\n\n"))")
        #expect(tally.succeeded > 0, "with the attacker watching only, the rewrites succeed: \(tally)")
        HostileStoreTests.expectUnchanged(sentinel, box.snapshot(), "the sentinel")
    }

    @Test func archiveRewriteUnderASymlinkRace() throws {
        let box = try HostileBox()
        try box.mkdir("race", mode: 0o777)
        for i in 0..<30 { try box.write("tree/Maildir/cur/17940\(i).N\(i)P2.mx:2,S", HostileMail.newsletter(n: i)) }
        try box.mkdir("tree/Maildir/new")
        let archive = box.path("race/backup-2026-11-01.tar.gz")
        let attacker = Attacker(directory: box.path("race"), prefix: ".backup-2026-11-01.tar.gz.privctl-", target: box.path("outside/passwd"))
        let sentinel = box.snapshot()
        attacker.start()
        defer { attacker.stop() }
        var tally = Tally()
        let rounds = max(1, Self.rounds / 4)
        for round in 0..<rounds {
            attacker.pause(round % 2 == 0)
            let hers = "tree/Maildir/cur/17952\(round).M\(round)P1.mx:2,S"
            try box.write(hers, HostileMail.personal(n: round))
            unlink(archive)
            try makeTarGz(archive, from: box.path("tree"), members: ["Maildir"])
            unlink(box.path(hers))
            let original = contents(archive)
            attacker.plantGuesses(100)

            let run = box.privctl(["erase", "--subject", HostileStoreTests.alice, archive], timeout: 30)

            let kind = kindOf(archive)
            let listing = kind == "file"
                ? spawnAndWait(["/usr/bin/tar", "-tzf", archive], environment: ["PATH": "/usr/bin:/bin"], timeout: 30, scratch: box.root).stdout
                : ""
            let members = Set(listing.split(separator: "\n").map(String.init).filter { $0.contains("/cur/") && !$0.hasSuffix("/") })
            if run.status == 0 && kind == "file" && members.count == 30 && !members.contains(where: { $0.hasSuffix(".M\(round)P1.mx:2,S") }) {
                tally.succeeded += 1
            } else if run.exited && run.status != 0 && kind == "file" && contents(archive) == original {
                tally.failedCleanly += 1
            } else {
                tally.failures.append("round \(round): \(kind), \(members.count) mail members, \(run)")
            }
            if box.snapshot() != sentinel {
                Issue.record("round \(round): the sentinel changed: \(box.snapshot().differences(from: sentinel))")
                break
            }
            if tally.failures.count >= 3 { break }
        }
        attacker.stop()
        print("archive race: \(tally), \(attacker.swaps) temporary files replaced by links")
        #expect(tally.failures.isEmpty, "\(tally.failures.joined(separator: "\n\n"))")
        #expect(tally.succeeded > 0, "with the attacker watching only, the rewrites succeed: \(tally)")
        HostileStoreTests.expectUnchanged(sentinel, box.snapshot(), "the sentinel")
    }
}
