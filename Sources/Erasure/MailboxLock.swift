import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The locks mail servers take on an mbox: a dot-lock file (`MBOX.lock`, created exclusively)
/// and an fcntl write lock on the mbox itself, as Postfix's local delivery, Dovecot
/// (`mbox_write_locks = dotlock fcntl`) and mutt use them.
///
/// privctl holds both while it rewrites an mbox, so no delivery or client writes in between. It
/// waits up to a timeout for a lock held by someone else and then gives up with a clear error,
/// never touching the mailbox. A dot-lock older than ``staleAfter`` is taken as left behind by a
/// crashed process and removed, as the mail servers do.
public final class MailboxLock {
    /// The locked mbox.
    public let path: String
    /// An open descriptor of the mbox, holding the fcntl lock.
    public let descriptor: Int32
    private let dotLockPath: String
    private var released = false

    /// A dot-lock this old (seconds) is stale.
    public static let staleAfter: TimeInterval = 600

    /// Takes both locks, waiting up to `timeout` seconds.
    public init(path: String, timeout: TimeInterval = 30) throws(ErasureError) {
        self.path = path
        dotLockPath = path + ".lock"
        let deadline = Date().addingTimeInterval(timeout)

        // The dot-lock first: it is what delivery agents check before opening the file.
        while true {
            let fd = open(dotLockPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 {
                let owner = Array("\(getpid()) privctl \(Self.hostName)\n".utf8)
                _ = owner.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
                break
            }
            guard errno == EEXIST else {
                throw ErasureError(path: path, problem: "cannot create the lock file \(dotLockPath): \(String(cString: strerror(errno)))")
            }
            if let age = Self.age(of: dotLockPath), age > Self.staleAfter {
                unlink(dotLockPath)
                continue
            }
            if Self.isLeftByDeadPrivctl(dotLockPath) {
                unlink(dotLockPath)
                continue
            }
            guard Date() < deadline else {
                throw ErasureError(
                    path: path, problem: "the mailbox is locked by another program (\(dotLockPath) exists); skipped, nothing changed")
            }
            usleep(100_000)
        }

        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            let problem = String(cString: strerror(errno))
            unlink(dotLockPath)
            throw ErasureError(path: path, problem: "cannot open the mailbox: \(problem)")
        }
        while true {
            var lock = flock()
            lock.l_type = Int16(F_WRLCK)
            lock.l_whence = Int16(SEEK_SET)
            if fcntl(fd, F_SETLK, &lock) == 0 { break }
            guard errno == EACCES || errno == EAGAIN, Date() < deadline else {
                let problem = errno == EACCES || errno == EAGAIN
                    ? "the mailbox is locked by another program (fcntl lock); skipped, nothing changed"
                    : "cannot lock the mailbox: \(String(cString: strerror(errno)))"
                close(fd)
                unlink(dotLockPath)
                throw ErasureError(path: path, problem: problem)
            }
            usleep(100_000)
        }
        descriptor = fd
    }

    /// Releases both locks (also done when the value is released).
    public func release() {
        guard !released else { return }
        released = true
        // Closing the descriptor drops the fcntl lock.
        close(descriptor)
        unlink(dotLockPath)
    }

    deinit { release() }

    /// This host's name, written into our dot-locks.
    static let hostName = ProcessInfo.processInfo.hostName

    /// Whether a dot-lock was written by a privctl on this host whose process no longer exists
    /// (killed during a rewrite). Locks of other programs and hosts are only ever taken over
    /// when ``staleAfter`` old.
    private static func isLeftByDeadPrivctl(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 3, fields[1] == "privctl", fields[2] == hostName, let pid = Int32(fields[0]) else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    private static func age(of path: String) -> TimeInterval? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Date().timeIntervalSince1970 - Double(info.st_mtim.tv_sec)
    }
}
