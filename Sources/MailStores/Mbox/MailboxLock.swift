import FileSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The locks mail servers take on an mbox: a dot-lock file (`MBOX.lock`, created exclusively)
/// and an fcntl write lock on the mbox itself, as Postfix's local delivery, Dovecot
/// (`mbox_write_locks = dotlock fcntl`) and mutt use them, and a flock as well, for programs
/// that use only that (procmail, Dovecot with `flock` configured).
///
/// privctl holds both while it rewrites an mbox, so no delivery or client writes in between. It
/// waits up to a timeout for a lock held by someone else and then gives up with a
/// ``PrivctlError/Code/locked`` error, never touching the mailbox. A dot-lock older than
/// ``staleAfter`` is taken as left behind by a crashed process and removed, as the mail servers
/// do. Everything is done relative to the mbox's directory, opened once: the dot-lock is
/// created with `O_EXCL`, the mbox opened without following a link and only if it is a regular
/// file.
public final class MailboxLock {
    /// The locked mbox.
    public let path: String
    /// The mbox's directory.
    public let directory: Directory
    /// The mbox's name in it.
    public let name: String
    /// The mbox, open for reading and writing, holding the fcntl lock.
    public let file: OpenFile
    private let dotLockName: String
    private var released = false

    /// A dot-lock this old (seconds) is stale.
    public static let staleAfter: TimeInterval = 600

    /// Takes both locks, waiting up to `timeout` seconds.
    public init(path: String, timeout: TimeInterval = 30) throws(PrivctlError) {
        self.path = path
        let (directoryPath, name) = FileSystem.split(path)
        self.name = name
        directory = try Directory.open(directoryPath)
        dotLockName = name + ".lock"
        let deadline = Date().addingTimeInterval(timeout)

        // The dot-lock first: it is what delivery agents check before opening the file.
        while true {
            do throws(PrivctlError) {
                let lock = try directory.createFile(dotLockName, permissions: 0o600)
                try lock.write(Array("\(getpid()) privctl \(Self.hostName)\n".utf8))
                break
            } catch where error.code == .alreadyExists {
                if let info = (try? directory.info(dotLockName)) ?? nil, info.kind != .regular {
                    // A link or a directory named like the lock: not a lock anyone took.
                    throw PrivctlError(
                        .locked, path: path,
                        problem: "\(directory.path(of: dotLockName)) is a \(info.kind.rawValue), not a lock file; skipped, nothing changed")
                }
                if Self.isStale(dotLockName, in: directory) || Self.isLeftByDeadPrivctl(dotLockName, in: directory) {
                    _ = try? directory.unlink(dotLockName)
                    continue
                }
                guard Date() < deadline else {
                    throw PrivctlError(
                        .locked, path: path,
                        problem: "the mailbox is locked by another program (\(directory.path(of: dotLockName)) exists); skipped, nothing changed")
                }
                usleep(100_000)
            }
        }

        do throws(PrivctlError) {
            file = try directory.openFile(name, access: .readWrite)
            while try !file.tryWriteLock() {
                guard Date() < deadline else {
                    throw PrivctlError(
                        .locked, path: path, problem: "the mailbox is locked by another program (fcntl lock); skipped, nothing changed")
                }
                usleep(100_000)
            }
            while try !file.tryFlock() {
                guard Date() < deadline else {
                    throw PrivctlError(
                        .locked, path: path, problem: "the mailbox is locked by another program (flock); skipped, nothing changed")
                }
                usleep(100_000)
            }
        } catch {
            _ = try? directory.unlink(dotLockName)
            throw error
        }
    }

    /// Releases both locks (also done when the value is released).
    public func release() {
        guard !released else { return }
        released = true
        // Closing the descriptor drops the fcntl lock.
        file.close()
        _ = try? directory.unlink(dotLockName)
    }

    deinit { release() }

    /// This host's name, written into our dot-locks.
    static let hostName = ProcessInfo.processInfo.hostName

    private static func isStale(_ dotLockName: String, in directory: Directory) -> Bool {
        guard let info = (try? directory.info(dotLockName)) ?? nil else { return false }
        return Date().timeIntervalSince1970 - info.modified > Self.staleAfter
    }

    /// Whether the dot-lock was written by a privctl on this host whose process no longer exists
    /// (killed during a rewrite). Locks of other programs and hosts are only ever taken over
    /// when ``staleAfter`` old.
    private static func isLeftByDeadPrivctl(_ dotLockName: String, in directory: Directory) -> Bool {
        guard let lock = try? directory.openFile(dotLockName), let bytes = try? lock.readAll(limit: 4096) else { return false }
        let fields = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 3, fields[1] == "privctl", fields[2] == hostName, let pid = Int32(fields[0]) else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
