import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

// The hostile-store suite's own small helpers: a sandbox per test, the real `privctl` binary run
// with a time limit (its peak memory measured by `wait4`), as root or as `nobody`, and a
// snapshot of everything outside the store. Private to this target on purpose: TestSupport is
// shared and being consolidated elsewhere.

/// One run of the `privctl` binary.
struct PrivctlRun: CustomStringConvertible {
    var arguments: [String]
    /// The exit status; nil when the process ended by a signal (or was killed at the time limit).
    var status: Int32?
    /// The signal that ended it, if one did.
    var signal: Int32?
    /// Whether it was still running at the time limit (and was killed).
    var timedOut: Bool
    var stdout: String
    var stderr: String
    /// Peak resident set size in KiB: what `/usr/bin/time` says for a run with `measureMemory`,
    /// else `ru_maxrss` of the child, which with glibc's vfork-style `posix_spawn` also counts
    /// the test process's own peak (the child starts on its memory), so only an upper bound.
    var peakRSSKiB: Int
    var seconds: Double

    /// Ended by itself with an exit status (not a signal, not the time limit).
    var exited: Bool { status != nil && !timedOut }

    var description: String {
        let how = timedOut ? "TIMED OUT" : status.map { "exit \($0)" } ?? "signal \(signal ?? -1)"
        return "privctl \(arguments.joined(separator: " ")) -> \(how) after \(String(format: "%.1f", seconds)) s, "
            + "peak \(peakRSSKiB / 1024) MiB\n--- stdout\n\(stdout.suffix(4000))\n--- stderr\n\(stderr.suffix(4000))"
    }
}

/// Where the built `privctl` is: `$PRIVCTL_BINARY`, else beside the test bundle (as the command
/// tests find it), else `.build/debug/privctl` above the current directory.
let privctlBinary: String = {
    if let explicit = ProcessInfo.processInfo.environment["PRIVCTL_BINARY"], !explicit.isEmpty { return explicit }
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
    let beside = dir.appendingPathComponent("privctl").path
    if FileManager.default.isExecutableFile(atPath: beside) { return beside }
    return FileManager.default.currentDirectoryPath + "/.build/debug/privctl"
}()

/// Whether the suite runs as root (most cases need it: `chown`, `mount`, `setpriv`).
var runningAsRoot: Bool { geteuid() == 0 }

/// The uid and gid of `nobody` / `nogroup` (65534 on Debian).
let nobodyID: (uid: uid_t, gid: gid_t) = {
    let uid = getpwnam("nobody").map { $0.pointee.pw_uid } ?? 65534
    let gid = getgrnam("nogroup").map { $0.pointee.gr_gid } ?? 65534
    return (uid, gid)
}()

/// Whether `setpriv` can run privctl as `nobody` here.
let canRunAsNobody: Bool = runningAsRoot && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

/// Runs `argv` (argv[0] an absolute path) with `environment`, stdout and stderr into files,
/// stdin from /dev/null, in its own process group; kills the group with SIGKILL at `timeout`.
/// `onStart` sees the pid right after the spawn (to kill or stop it from outside).
func spawnAndWait(
    _ argv: [String], environment: [String: String], timeout: Double, scratch: String,
    onStart: (pid_t) -> Void = { _ in }
) -> PrivctlRun {
    let token = UUID().uuidString
    let outPath = scratch + "/.stdout-" + token, errPath = scratch + "/.stderr-" + token
    defer {
        unlink(outPath)
        unlink(errPath)
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGPIPE)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let cArguments = argv.map { strdup($0) } + [nil]
    let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        cArguments.forEach { free($0) }
        cEnvironment.forEach { free($0) }
    }
    var pid: pid_t = 0
    let started = Date()
    let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
    guard spawned == 0 else {
        return PrivctlRun(
            arguments: argv, status: 127, signal: nil, timedOut: false, stdout: "",
            stderr: "cannot spawn \(argv[0]): \(String(cString: strerror(spawned)))", peakRSSKiB: 0, seconds: 0)
    }
    onStart(pid)
    var status: Int32 = 0
    var usage = rusage()
    var timedOut = false
    while true {
        let done = wait4(pid, &status, WNOHANG, &usage)
        if done == pid { break }
        if done < 0 && errno != EINTR { break }
        if Date().timeIntervalSince(started) > timeout {
            timedOut = true
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
            break
        }
        usleep(5_000)
    }
    let seconds = Date().timeIntervalSince(started)
    // The whole group goes, should privctl have left a child behind.
    kill(-pid, SIGKILL)
    let exitedNormally = (status & 0x7f) == 0
    let out = (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()
    let err = (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data()
    return PrivctlRun(
        arguments: argv,
        status: exitedNormally && !timedOut ? (status >> 8) & 0xff : nil,
        signal: exitedNormally ? nil : status & 0x7f, timedOut: timedOut,
        stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
        peakRSSKiB: Int(usage.ru_maxrss), seconds: seconds)
}

/// A temporary directory for one hostile case: the user's store, privctl's state (ledger, key),
/// and a sentinel tree outside the store that nothing may change.
final class HostileBox {
    /// The sandbox, mode 0755 so that `nobody` can traverse it.
    let root: String
    /// privctl's ledger and key (owned by whoever runs privctl).
    let state: String
    /// The sentinel tree: files and directories outside every store, which links point at.
    let outside: String
    /// Whether privctl runs as `nobody` (then `state` belongs to nobody).
    let asNobody: Bool

    init(asNobody: Bool = false) throws {
        root = NSTemporaryDirectory().replacingOccurrences(of: "//", with: "/") + "privctl-hostile-" + UUID().uuidString
        state = root + "/state"
        outside = root + "/outside"
        self.asNobody = asNobody
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        chmod(root, 0o755)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        chmod(state, 0o700)
        if asNobody { chown(state, nobodyID.uid, nobodyID.gid) }
        // The sentinel: what a user would love root to overwrite.
        try mkdir("outside", mode: 0o755)
        try write("outside/passwd", "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n", mode: 0o644)
        try write("outside/shadow", "root:$6$sentinel$:19000:0:99999:7:::\n", mode: 0o600)
        try write("outside/bin/tool", "#!/bin/sh\necho sentinel\n", mode: 0o755)
        try mkdir("outside/private", mode: 0o700)
        try write("outside/private/notes", "nothing to see\n", mode: 0o640)
        // The operator's one set-up step: every other run refuses a missing ledger or key.
        let setup = privctl(["init"])
        guard setup.status == 0 else { throw HostileError("privctl init failed: \(setup.stderr)") }
    }

    deinit {
        // Make everything removable (as root permissions do not matter; as a plain user they do).
        _ = try? FileManager.default.subpathsOfDirectory(atPath: root).forEach {
            if kindOf(root + "/" + $0) != "link" { chmod(root + "/" + $0, 0o700) }
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    func path(_ relative: String) -> String { relative.hasPrefix("/") ? relative : root + "/" + relative }

    @discardableResult
    func write(_ relative: String, _ text: String, mode: mode_t = 0o644) throws -> String {
        try write(relative, Array(text.utf8), mode: mode)
    }

    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws -> String {
        let file = path(relative)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        chmod(file, mode)
        return file
    }

    @discardableResult
    func mkdir(_ relative: String, mode: mode_t = 0o755) throws -> String {
        let dir = path(relative)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        chmod(dir, mode)
        return dir
    }

    /// A symbolic link at `relative` whose content is `target`, as given (relative or absolute).
    @discardableResult
    func symlink(_ relative: String, to target: String) throws -> String {
        let link = path(relative)
        try FileManager.default.createDirectory(
            atPath: (link as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard Glibc.symlink(target, link) == 0 else { throw HostileError("symlink \(link): \(String(cString: strerror(errno)))") }
        return link
    }

    @discardableResult
    func mkfifo(_ relative: String) throws -> String {
        let fifo = path(relative)
        try FileManager.default.createDirectory(
            atPath: (fifo as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard Glibc.mkfifo(fifo, 0o644) == 0 else { throw HostileError("mkfifo \(fifo): \(String(cString: strerror(errno)))") }
        return fifo
    }

    /// Gives `relative` and everything below it to `nobody`.
    func giveToNobody(_ relative: String) throws {
        let top = path(relative)
        lchown(top, nobodyID.uid, nobodyID.gid)
        for sub in (try? FileManager.default.subpathsOfDirectory(atPath: top)) ?? [] {
            lchown(top + "/" + sub, nobodyID.uid, nobodyID.gid)
        }
    }

    /// The environment privctl runs with: ledger and key in `state`, no user configuration.
    var environment: [String: String] {
        [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": state,
            "XDG_DATA_HOME": state + "/data",
            "XDG_CONFIG_HOME": state + "/config",
            "PRIVCTL_LEDGER": state + "/ledger.sqlite",
            "PRIVCTL_KEY": state + "/pseudonym.key",
            "PRIVCTL_HOST": "hostile-test",
            "PRIVCTL_CONFIG": "none",
            "LANG": "C.UTF-8",
        ]
    }

    /// Runs privctl with a time limit (60 s unless told), as root or, for a box made
    /// `asNobody`, through `setpriv` as nobody. `measureMemory` runs it under GNU time, which
    /// forks (not vfork), so the peak is privctl's own.
    func privctl(
        _ arguments: [String], timeout: Double = 60, environment extra: [String: String] = [:],
        measureMemory: Bool = false, onStart: (pid_t) -> Void = { _ in }
    ) -> PrivctlRun {
        var environment = self.environment
        for (k, v) in extra { environment[k] = v }
        var argv = asNobody
            ? ["/usr/bin/setpriv", "--reuid=\(nobodyID.uid)", "--regid=\(nobodyID.gid)", "--clear-groups", privctlBinary] + arguments
            : [privctlBinary] + arguments
        let memoryReport = root + "/.maxrss-" + UUID().uuidString
        if measureMemory { argv = ["/usr/bin/time", "-f", "%M", "-o", memoryReport] + argv }
        var run = spawnAndWait(argv, environment: environment, timeout: timeout, scratch: root, onStart: onStart)
        run.arguments = arguments
        if measureMemory {
            let report = (try? String(contentsOfFile: memoryReport, encoding: .utf8)) ?? ""
            run.peakRSSKiB = report.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? Int.max
            unlink(memoryReport)
        }
        return run
    }

    /// Everything under `relative` (default: the sentinel tree), compared as bytes.
    func snapshot(_ relative: String = "outside") -> TreeSnapshot { TreeSnapshot(path(relative)) }
}

/// A tree as it is on disk: per path its kind, mode, owner, size, modification time, and its
/// content (a file's bytes, a link's target, a directory's entry names). Two snapshots are equal
/// exactly when nothing in the tree was written, created, removed, renamed or re-moded.
struct TreeSnapshot: Equatable, CustomStringConvertible {
    var entries: [String: String] = [:]
    var contents: [String: Data] = [:]

    init(_ top: String) {
        visit(top, relative: ".")
    }

    private mutating func visit(_ path: String, relative: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            entries[relative] = "missing"
            return
        }
        let kind: String
        switch info.st_mode & S_IFMT {
        case S_IFDIR: kind = "dir"
        case S_IFREG: kind = "file"
        case S_IFLNK: kind = "link"
        case S_IFIFO: kind = "fifo"
        default: kind = "other"
        }
        entries[relative] = "\(kind) mode \(String(info.st_mode & 0o7777, radix: 8)) owner \(info.st_uid):\(info.st_gid) "
            + "size \(info.st_size) mtime \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        switch kind {
        case "file":
            contents[relative] = FileManager.default.contents(atPath: path) ?? Data("<unreadable>".utf8)
        case "link":
            contents[relative] = Data(((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?").utf8)
        case "dir":
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
            contents[relative] = Data(names.joined(separator: "\n").utf8)
            for name in names { visit(path + "/" + name, relative: relative + "/" + name) }
        default:
            break
        }
    }

    /// What differs from `other`, one line per path.
    func differences(from other: TreeSnapshot) -> [String] {
        Set(entries.keys).union(other.entries.keys).sorted().compactMap { key in
            if entries[key] != other.entries[key] {
                return "\(key): \(other.entries[key] ?? "absent") -> \(entries[key] ?? "absent")"
            }
            if contents[key] != other.contents[key] { return "\(key): content changed" }
            return nil
        }
    }

    var description: String { entries.keys.sorted().map { "\($0): \(entries[$0]!)" }.joined(separator: "\n") }
}

struct HostileError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The kind of a path without following a final link ("link", "file", "dir", "fifo", "missing").
func kindOf(_ path: String) -> String {
    var info = stat()
    guard lstat(path, &info) == 0 else { return "missing" }
    switch info.st_mode & S_IFMT {
    case S_IFDIR: return "dir"
    case S_IFREG: return "file"
    case S_IFLNK: return "link"
    case S_IFIFO: return "fifo"
    default: return "other"
    }
}

/// The permission bits of a path (no link followed), or nil.
func modeOf(_ path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o7777
}

func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

/// Messages written as mail clients and servers write them.
enum HostileMail {
    /// A supplier's invoice to `to`, with a PDF named like one: an accounting document, which a
    /// legal duty keeps (so `erase` blocks it instead).
    static func invoice(number: Int, to: String = "Alice <alice@example.org>", date: String = "Tue, 05 Mar 2024 10:15:00 +0100") -> String {
        let pdf = Data("%PDF-1.4\n% Rechnung \(number)\n".utf8 + [UInt8](repeating: 0x41, count: 300))
            .base64EncodedString(options: .lineLength76Characters).replacingOccurrences(of: "\r\n", with: "\n")
        return """
            Return-Path: <buchhaltung@lieferant.example>
            From: Lieferant AG Buchhaltung <buchhaltung@lieferant.example>
            To: \(to)
            Subject: Ihre Rechnung Nr. \(number)
            Date: \(date)
            Message-ID: <rechnung-\(number)@lieferant.example>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b1"

            --b1
            Content-Type: text/plain; charset=utf-8

            Sehr geehrte Damen und Herren, anbei die Rechnung Nr. \(number) ueber 119,00 EUR.

            --b1
            Content-Type: application/pdf; name="Rechnung_\(number).pdf"
            Content-Disposition: attachment; filename="Rechnung_\(number).pdf"
            Content-Transfer-Encoding: base64

            \(pdf)
            --b1--

            """
    }

    /// A private message to `to` from a freemail address (no legal duty: `erase` erases it).
    static func personal(n: Int, to: String = "alice@example.org", padding: Int = 0) -> String {
        """
        From: Oma Erna <erna@gmx.de>
        To: Alice <\(to)>
        Subject: Kuchen am Sonntag? (\(n))
        Date: Sat, 14 Nov 2026 19:30:00 +0100
        Message-ID: <kuchen-\(n)@example.org>

        Hallo Alice, kommst du am Sonntag zum Kuchen? \(n)
        \(String(repeating: "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n", count: padding))
        """
    }

    /// A newsletter nobody asked to erase.
    static func newsletter(n: Int) -> String {
        """
        From: Hosting News <news@newsletter.example>
        To: info@beispiel-gmbh.de
        Subject: Neuigkeiten \(n)
        Date: Mon, 02 Nov 2026 08:00:00 +0000
        Message-ID: <news-\(n)@newsletter.example>
        List-Id: Hosting News <news.newsletter.example>
        Precedence: bulk

        Die besten Angebote des Monats.

        """
    }

    /// Messages as one mbox.
    static func mbox(_ messages: [String]) -> String {
        messages.map { "From sender@example.org Thu Jan  1 10:00:00 2026\n" + $0 + ($0.hasSuffix("\n") ? "" : "\n") }
            .joined(separator: "\n")
    }
}

/// Makes a tar.gz of `directory`'s `member` (a path below it) with the system's tar.
func makeTarGz(_ archive: String, from directory: String, members: [String]) throws {
    try FileManager.default.createDirectory(atPath: (archive as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let run = spawnAndWait(
        ["/usr/bin/tar", "-czf", archive, "-C", directory] + members, environment: ["PATH": "/usr/bin:/bin"], timeout: 120,
        scratch: (archive as NSString).deletingLastPathComponent)
    guard run.status == 0 else { throw HostileError("tar failed: \(run.stderr)") }
}

