import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Erases Maildir message files: content overwritten, then every link removed.
///
/// A Maildir message is a file; a copy made by a client or by Dovecot's hard-link copies is
/// another link to the same inode. Unlinking one link leaves the content reachable through the
/// others, so the links under the store are found (same device and inode) and all removed. When
/// no link remains outside the store, the content is overwritten with zeros and fsynced before
/// the last unlink. (On copy-on-write file systems and SSDs, overwriting in place does not
/// guarantee the old blocks are gone; full-disk encryption is the remedy there.)
///
/// The mailbox stays whole at every moment: each link is first renamed into its folder's `tmp/`
/// (which Maildir readers never look at), and only there overwritten and unlinked. A run killed
/// in between leaves a file in `tmp/`, which Dovecot removes after 36 hours, and never a
/// half-overwritten message in `cur/` or `new/`.
public struct MaildirEraser {
    /// What erasing one message did.
    public struct Outcome: Sendable {
        /// Every path unlinked (the message and its other links in the store).
        public var removedPaths: [String]
        /// Whether the content was overwritten before the last unlink.
        public var overwritten: Bool
        /// Links outside the searched store that still hold the content (0 when none).
        public var linksLeftElsewhere: Int
    }

    /// The Maildir's top directory, searched for other links.
    public let storePath: String

    public init(storePath: String) {
        self.storePath = storePath
    }

    /// Erases the message file at `path`.
    public func erase(_ path: String) throws -> Outcome {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw ErasureError(path: path, problem: "cannot erase: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw ErasureError(path: path, problem: "not a regular file; not erased") }
        var links = [path]
        if info.st_nlink > 1 { links += otherLinks(device: info.st_dev, inode: info.st_ino, besides: path) }
        let elsewhere = Int(info.st_nlink) - links.count
        // Out of the mailbox first.
        var staged: [String] = []
        for link in links {
            let target = try stagingPath(for: link)
            guard Glibc.rename(link, target) == 0 else {
                throw ErasureError(path: link, problem: "cannot move out of the mailbox: \(String(cString: strerror(errno)))")
            }
            staged.append(target)
            try DurableFile.syncDirectory(DurableFile.directory(of: link))
        }
        var overwritten = false
        if elsewhere <= 0, let first = staged.first {
            try overwrite(first, size: Int(info.st_size))
            overwritten = true
        }
        var directories = Set<String>()
        for file in staged {
            guard unlink(file) == 0 || errno == ENOENT else {
                throw ErasureError(path: file, problem: "cannot remove: \(String(cString: strerror(errno)))")
            }
            directories.insert(DurableFile.directory(of: file))
        }
        for directory in directories.sorted() { try DurableFile.syncDirectory(directory) }
        return Outcome(removedPaths: links, overwritten: overwritten, linksLeftElsewhere: max(0, elsewhere))
    }

    /// `FOLDER/tmp/.privctl-erase-NAME` for a message `FOLDER/cur/NAME` (or `new/`); for a file
    /// outside a Maildir, a hidden name beside it.
    private func stagingPath(for path: String) throws -> String {
        let directory = DurableFile.directory(of: path)
        let name = URL(fileURLWithPath: path).lastPathComponent
        let sub = URL(fileURLWithPath: directory).lastPathComponent
        guard sub == "cur" || sub == "new" else { return directory + "/.privctl-erase-" + name }
        let tmp = DurableFile.directory(of: directory) + "/tmp"
        if access(tmp, F_OK) != 0 { try DurableFile.makeDirectory(tmp) }
        return tmp + "/.privctl-erase-" + name
    }

    private func overwrite(_ path: String, size: Int) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ErasureError(path: path, problem: "cannot open to overwrite: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let zeros = [UInt8](repeating: 0, count: min(max(size, 1), 1 << 20))
        var done = 0
        while done < size {
            let count = min(zeros.count, size - done)
            try zeros.withUnsafeBytes { raw in
                try DurableFile.writeAll(fd, UnsafeRawBufferPointer(rebasing: raw[0..<count]), path: path)
            }
            done += count
        }
        try DurableFile.sync(fd, path: path)
    }

    /// Other paths under the store with the same device and inode.
    private func otherLinks(device: dev_t, inode: ino_t, besides path: String) -> [String] {
        var found: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: storePath) else { return [] }
        while let relative = walker.nextObject() as? String {
            let candidate = storePath + "/" + relative
            if candidate == path { continue }
            var info = stat()
            if lstat(candidate, &info) == 0, info.st_dev == device, info.st_ino == inode, (info.st_mode & S_IFMT) == S_IFREG {
                found.append(candidate)
            }
        }
        return found
    }
}
