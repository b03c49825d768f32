import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// 15. The directory walker against random trees.
///
/// Each tree (seeded; the seed of every failing tree is printed, and `HOSTILE_FUZZ_SEED=N`
/// replays from N) mixes plain directories, Maildirs with Maildir++ folders, mbox files, message
/// files, other files, links (to files, to directories, dangling, loops, to the sentinel tree
/// outside), FIFOs (named like messages, mboxes and archives), unreadable entries (every third
/// tree runs privctl as `nobody`, where mode 000 bites), and now and then a chain deeper than the
/// walker goes. `privctl classify --no-record --json` and `privctl erase --dry-run` run over it.
///
/// What it proves: no hang (time limit), no crash (exit 0 or 1, never a signal), nothing outside
/// the tree changes, every planted link, FIFO and unreadable entry where the walker looks is named
/// on stderr, the exit is 1 exactly when something was, and classify lists every readable
/// message exactly once. `HOSTILE_FUZZ_TREES` sets the number of trees (default 200).
@Suite struct WalkerFuzzTests {
    static var trees: Int { Int(ProcessInfo.processInfo.environment["HOSTILE_FUZZ_TREES"] ?? "") ?? 200 }

    /// A small, fast, seedable generator (SplitMix64).
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// One random tree on disk and what privctl must say about it.
    struct Tree {
        var random: SplitMix64
        let box: HostileBox
        let top: String
        let asNobody: Bool
        /// Paths privctl must name on stderr.
        var named: [String] = []
        /// Readable messages in places the walker reads.
        var messages = 0
        /// Whether a chain deeper than the walker goes was planted.
        var tooDeep = false
        var counter = 0
        /// Files made so far (link targets).
        var files: [String] = []
        /// Paths to make unreadable once the tree is built (as nobody).
        var unreadable: [String] = []

        init(seed: UInt64, box: HostileBox, asNobody: Bool) {
            random = SplitMix64(state: seed)
            self.box = box
            top = box.path("tree")
            self.asNobody = asNobody
        }

        mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }
        mutating func count(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
        mutating func fresh(_ stem: String) -> String {
            counter += 1
            return "\(stem)\(counter)"
        }

        mutating func message() -> String {
            counter += 1
            let from = chance(30) ? "alice@example.org" : "p\(counter)@example.net"
            return "From: <\(from)>\nTo: anna@beispiel-gmbh.de\nSubject: m\(counter)\nDate: Sat, 14 Nov 2026 19:30:00 +0100\nMessage-ID: <m\(counter)@fuzz.example>\n\nHallo \(counter)\n"
        }

        /// Whether the next readable-looking entry is made unreadable (as nobody only).
        mutating func makesUnreadable() -> Bool { asNobody && chance(8) }

        mutating func write(_ path: String, _ text: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            files.append(path)
        }

        mutating func link(_ path: String, visible: Bool) throws {
            let target: String
            switch count(0...5) {
            case 0: target = files.randomElement(using: &random) ?? "nowhere"  // a file
            case 1: target = ".."  // a loop upwards
            case 2: target = "."  // a loop onto itself
            case 3: target = "dangling-\(counter)"  // nothing
            case 4: target = box.path(chance(50) ? "outside/passwd" : "outside/private")  // outside
            default: target = top  // the top of the tree
            }
            guard symlink(target, path) == 0 else { throw HostileError("symlink \(path)") }
            if visible { named.append(path) }
        }

        mutating func fifo(_ path: String, visible: Bool) throws {
            guard mkfifo(path, 0o644) == 0 else { throw HostileError("mkfifo \(path)") }
            if visible { named.append(path) }
        }

        /// A plain directory: anything may be in it.
        mutating func directory(_ path: String, depth: Int, visible: Bool) throws {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            var hidden = false
            if depth > 0, makesUnreadable() {
                unreadable.append(path)
                if visible { named.append(path) }
                hidden = true
            }
            let sees = visible && !hidden
            for _ in 0..<count(0...6) {
                let deepChain = depth < 3 && !tooDeep && chance(10)
                switch count(0...14) {
                case 0...1 where depth < 5:
                    try directory(path + "/" + fresh("dir"), depth: depth + 1, visible: sees)
                case 2, 3:
                    try maildir(path + "/" + fresh("Maildir"), visible: sees)
                case 4:
                    let n = count(1...3)
                    let file = path + "/" + fresh("mbox")
                    try write(file, HostileMail.mbox((0..<n).map { _ in message() }))
                    if makesUnreadable() {
                        unreadable.append(file)
                        if sees { named.append(file) }
                    } else if sees {
                        messages += n
                    }
                case 5:
                    let file = path + "/" + fresh("m") + ".eml"
                    try write(file, message())
                    if makesUnreadable() {
                        unreadable.append(file)
                        if sees { named.append(file) }
                    } else if sees {
                        messages += 1
                    }
                case 6:
                    try write(path + "/" + fresh("notes") + ".txt", "xyz \(counter)\n")
                case 7, 8:
                    try link(path + "/" + fresh(chance(50) ? "link" : "inbox"), visible: sees)
                case 9:
                    let names = ["fifo", "inbox", "x.tar.gz", "mail.eml"]
                    try fifo(path + "/" + fresh("") + names[count(0...3)], visible: sees)
                case 10 where deepChain:
                    // Deeper than the walker goes (64 below the named path).
                    var deep = path
                    for i in 0..<70 { deep += "/d\(i)" }
                    try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
                    try write(deep + "/m.eml", message())
                    if sees { tooDeep = true }
                default:
                    break
                }
            }
        }

        /// A Maildir with messages, Maildir++ folders, and hostile entries.
        mutating func maildir(_ path: String, visible: Bool, subfolder: Bool = false) throws {
            for sub in ["cur", "new", "tmp"] {
                try FileManager.default.createDirectory(atPath: path + "/" + sub, withIntermediateDirectories: true)
            }
            if subfolder { try write(path + "/maildirfolder", "") }
            var hidden = false
            if subfolder, makesUnreadable() {
                unreadable.append(path)
                if visible { named.append(path) }
                hidden = true
            }
            let sees = visible && !hidden
            for sub in ["cur", "new"] {
                for _ in 0..<count(0...3) {
                    counter += 1
                    let file = "\(path)/\(sub)/17952\(String(format: "%05d", counter)).M\(counter)P1.fuzz:2,S"
                    try write(file, message())
                    if makesUnreadable() {
                        unreadable.append(file)
                        if sees { named.append(file) }
                    } else if sees {
                        messages += 1
                    }
                }
                if chance(15) { try fifo("\(path)/\(sub)/17953\(fresh("")).F1P1.fuzz:2,S", visible: sees) }
                if chance(15) { try link("\(path)/\(sub)/17954\(fresh("")).L1P1.fuzz:2,S", visible: sees) }
            }
            if chance(20) { try write(path + "/tmp/" + fresh("delivering"), message()) }  // never read
            if !subfolder {
                for _ in 0..<count(0...2) { try maildir(path + "/." + fresh("Folder"), visible: sees, subfolder: true) }
                if chance(25) { try link(path + "/." + fresh("Sent"), visible: sees) }
            }
        }

        /// Applies the unreadable modes and, as nobody, hands the tree over.
        func finish() throws {
            if asNobody { try box.giveToNobody("tree") }
            for path in unreadable { chmod(path, 0o000) }
        }
    }

    /// What the trees held, for the summary line.
    struct Totals {
        var named = 0, messages = 0, deep = 0, asNobody = 0
    }

    /// What went wrong with one tree, or nil.
    static func check(seed: UInt64, totals: inout Totals) throws -> String? {
        let asNobody = canRunAsNobody && seed % 3 == 0
        let box = try HostileBox(asNobody: asNobody)
        var tree = Tree(seed: seed, box: box, asNobody: asNobody)
        try tree.directory(tree.top, depth: 0, visible: true)
        try tree.finish()
        totals.named += tree.named.count
        totals.messages += tree.messages
        totals.deep += tree.tooDeep ? 1 : 0
        totals.asNobody += asNobody ? 1 : 0
        let before = box.snapshot()
        var problems: [String] = []
        let runs = [
            ("classify", box.privctl(["classify", "--no-record", "--json", "--allow-empty", tree.top], timeout: 30)),
            ("erase --dry-run", box.privctl(["erase", "--dry-run", "--allow-empty", "--subject", "alice@example.org", tree.top], timeout: 30)),
        ]
        for (name, run) in runs {
            if run.timedOut { problems.append("\(name) hung") }
            if let signal = run.signal, !run.timedOut { problems.append("\(name) died of signal \(signal)") }
            guard let status = run.status else { continue }
            let expected: Int32 = tree.named.isEmpty && !tree.tooDeep ? 0 : 1
            if status != expected { problems.append("\(name) exited \(status), expected \(expected)") }
            for path in tree.named where !run.stderr.contains(path) {
                problems.append("\(name) did not name \(path.replacingOccurrences(of: box.root, with: "")) (\(kindOf(path)))")
            }
            if tree.tooDeep && !run.stderr.contains("deep") { problems.append("\(name) did not report the too-deep chain") }
            if name == "classify" {
                let listed = run.stdout.split(separator: "\n").compactMap {
                    (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["path"] as? String
                }
                if listed.count != tree.messages || Set(listed).count != listed.count {
                    problems.append("classify listed \(listed.count) messages (\(Set(listed).count) distinct), expected \(tree.messages)")
                }
            }
            if !problems.isEmpty {
                problems.append("\(name) stderr:\n" + run.stderr.replacingOccurrences(of: box.root, with: "").split(separator: "\n").prefix(40).joined(separator: "\n"))
            }
        }
        let after = box.snapshot()
        if after != before { problems.append("outside changed: \(after.differences(from: before))") }
        guard !problems.isEmpty else { return nil }
        return "seed \(seed)\(asNobody ? " (as nobody)" : ""): " + problems.joined(separator: "\n    ")
    }

    @Test func randomTreesNeitherHangNorCrashNorWriteOutside() throws {
        let base = UInt64(ProcessInfo.processInfo.environment["HOSTILE_FUZZ_SEED"] ?? "") ?? UInt64.random(in: 0...UInt64(UInt32.max))
        let count = Self.trees
        print("walker fuzz: \(count) trees from seed \(base) (HOSTILE_FUZZ_SEED=\(base) replays them)")
        let lock = NSLock()
        nonisolated(unsafe) var failures: [String] = []
        nonisolated(unsafe) var all = Totals()
        let started = Date()
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let seed = base &+ UInt64(i)
            let outcome: String?
            var totals = Totals()
            do {
                outcome = try Self.check(seed: seed, totals: &totals)
            } catch {
                outcome = "seed \(seed): cannot build the tree: \(error)"
            }
            lock.withLock {
                if let outcome { failures.append(outcome) }
                all.named += totals.named
                all.messages += totals.messages
                all.deep += totals.deep
                all.asNobody += totals.asNobody
            }
        }
        print("walker fuzz: \(count) trees (\(all.asNobody) as nobody) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s: "
            + "\(all.named) links, FIFOs and unreadable entries to name, \(all.messages) messages, \(all.deep) too-deep chains; \(failures.count) failing")
        #expect(failures.isEmpty, "\(failures.count) of \(count) trees failed (base seed \(base)):\n\(failures.prefix(5).joined(separator: "\n\n"))")
    }
}
