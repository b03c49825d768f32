import FileSystem
import Foundation

/// Appends stored messages (`From ` line included, as ``MboxRewriter`` hands them out) to an
/// mbox, under its locks, and fsyncs it.
///
/// Used to move a message into the blocked store and back: the bytes are the same bytes, so the
/// message reads back byte-identical. A missing mbox is created (`O_EXCL`, mode 0600) in
/// `directory`, which the caller opened (the blocked store, or the live mbox's directory).
public struct MboxAppender {
    public let path: String
    public let lockTimeout: TimeInterval

    public init(path: String, lockTimeout: TimeInterval = 30) {
        self.path = path
        self.lockTimeout = lockTimeout
    }

    /// Appends the messages; each is separated from what precedes it by a blank line.
    public func append(_ messages: [[UInt8]], creatingIn directory: Directory? = nil) throws {
        guard !messages.isEmpty else { return }
        if let directory {
            let name = FileSystem.split(path).name
            // Created meanwhile by another process: appended to below.
            if try directory.info(name) == nil, case .failure(let error) = Result(catching: { () throws(PrivctlError) in
                _ = try directory.createFile(name, permissions: 0o600)
            }), error.code != .alreadyExists {
                throw error
            }
        }
        let lock = try MailboxLock(path: path, timeout: lockTimeout)
        defer { lock.release() }
        let file = lock.file
        var size = try file.info().size
        // The last two bytes decide whether a blank line is needed before the next `From `.
        var tail: [UInt8] = size > 0 ? try file.read(at: max(0, size - 2), count: min(2, size)) : []
        for message in messages {
            var bytes: [UInt8] = []
            if size > 0 {
                if tail.last != 0x0A { bytes.append(0x0A) }
                if !(tail.count == 2 && tail[0] == 0x0A && tail[1] == 0x0A) { bytes.append(0x0A) }
            }
            bytes += message
            try file.seek(to: size)
            try file.write(bytes)
            size += bytes.count
            tail = Array(bytes.suffix(2))
        }
        try file.sync()
    }
}
