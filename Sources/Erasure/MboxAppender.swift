import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Appends stored messages (`From ` line included, as ``MboxRewriter`` hands them out) to an
/// mbox, under its locks, creating it (mode 0600, its directory 0700) if needed, and fsyncs it.
///
/// Used to move a message into the blocked store and back: the bytes are the same bytes, so the
/// message reads back byte-identical.
public struct MboxAppender {
    public let path: String
    public let lockTimeout: TimeInterval

    public init(path: String, lockTimeout: TimeInterval = 30) {
        self.path = path
        self.lockTimeout = lockTimeout
    }

    /// Appends the messages; each is separated from what precedes it by a blank line.
    public func append(_ messages: [[UInt8]]) throws {
        guard !messages.isEmpty else { return }
        try DurableFile.makeDirectory(DurableFile.directory(of: path))
        let created = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard created >= 0 else { throw ErasureError(path: path, problem: "cannot create the mbox: \(String(cString: strerror(errno)))") }
        close(created)
        let lock = try MailboxLock(path: path, timeout: lockTimeout)
        defer { lock.release() }
        let fd = lock.descriptor
        var info = stat()
        fstat(fd, &info)
        var size = Int(info.st_size)
        // The last two bytes decide whether a blank line is needed before the next `From `.
        var tail: [UInt8] = size > 0 ? try DurableFile.read(fd, offset: max(0, size - 2), count: min(2, size), path: path) : []
        for message in messages {
            var bytes: [UInt8] = []
            if size > 0 {
                if tail.last != 0x0A { bytes.append(0x0A) }
                if !(tail.count == 2 && tail[0] == 0x0A && tail[1] == 0x0A) { bytes.append(0x0A) }
            }
            bytes += message
            guard lseek(fd, off_t(size), SEEK_SET) >= 0 else {
                throw ErasureError(path: path, problem: "cannot seek: \(String(cString: strerror(errno)))")
            }
            try DurableFile.writeAll(fd, bytes, path: path)
            size += bytes.count
            tail = Array(bytes.suffix(2))
        }
        try DurableFile.sync(fd, path: path)
    }
}
