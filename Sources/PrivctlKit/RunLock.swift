import FileSystem
import Foundation

/// The lock that keeps two recording runs (classify, erase, block, unblock, expire, apply, scrub)
/// on one host's ledger chain from running at once: otherwise both would see the same new
/// messages and record them twice.
///
/// A `flock` on `run.lock` in the host's state directory (beside a SQLite ledger, or the
/// `state-dir` of a fleet host). The kernel releases it when the process ends, however it
/// ends, so a killed run's lock is simply taken over by the next run. A second run waits up to
/// `timeout` seconds, then gives up with a ``PrivctlError/Code/locked`` error having done
/// nothing (exit status 4, ``ExitStatus/lockedSkipped``). The file is created once with
/// `O_EXCL` and reused; a link or anything but a regular file there is refused.
public final class RunLock: @unchecked Sendable {
    private let file: OpenFile

    private init(file: OpenFile) { self.file = file }

    deinit { file.close() }

    /// Takes the lock in `directory` for `command`, waiting up to `timeout` seconds.
    public static func acquire(in directory: URL, command: String, timeout: Double) throws(PrivctlError) -> RunLock {
        let folder = try FileSystem.openOwnDirectory(directory.path)
        let name = "run.lock"
        let file: OpenFile
        do {
            file = try folder.openFile(name, access: .readWrite)
        } catch where error.code == .notFound {
            do {
                file = try folder.createFile(name, permissions: 0o600)
            } catch where error.code == .alreadyExists {
                file = try folder.openFile(name, access: .readWrite)
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try file.tryFlock() { return RunLock(file: file) }
            guard Date() < deadline else {
                file.close()
                let waited = timeout > 0 ? " after waiting \(formatSeconds(timeout))" : ""
                throw PrivctlError(
                    .locked, path: file.path,
                    problem: "another privctl run on this ledger holds the lock; this \(command) did nothing\(waited) (see --lock-timeout)")
            }
            usleep(100_000)
        }
    }

    /// Releases the lock (also released when the lock is freed or the process ends).
    public func release() { file.close() }
}

/// "30 s", "1.5 s".
private func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
}
