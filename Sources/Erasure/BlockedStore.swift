import Foundation
import MailStores

#if canImport(Glibc)
    import Glibc
#endif

/// Where blocked messages are kept: out of the live mailbox, where IMAP and POP3 clients do not
/// see them, but still on the same file system, so moving there is a rename.
///
/// For a Maildir at `DIR/Maildir` the blocked store is `DIR/.privctl-blocked/Maildir/`, a tree
/// that mirrors the Maildir (`.Sent/cur/NAME` stays `.Sent/cur/NAME`), so unblocking moves each
/// file back to exactly where it was. For an mbox `DIR/anna` it is the mbox
/// `DIR/.privctl-blocked/anna`. Directories are created with mode 0700 and files keep their
/// mode, so only the mailbox owner (and root) can read them; the mail server does not look
/// there: its Maildir is `DIR/Maildir`, and names starting with a dot are hidden from mbox
/// folder listings.
public struct BlockedStore: Sendable {
    /// The directory `.privctl-blocked` beside the store.
    public let root: String
    /// The store's own path (Maildir top directory or mbox file).
    public let storePath: String

    /// The blocked store of a Maildir or mbox at `storePath`.
    public init(storePath: String) {
        self.storePath = storePath
        let parent = DurableFile.directory(of: storePath)
        root = parent + "/" + StoreLocator.blockedDirectoryName
    }

    /// The name of the store inside the blocked store.
    private var storeName: String { URL(fileURLWithPath: storePath).lastPathComponent }

    /// Where a Maildir message file at `path` (inside the store) is kept while blocked.
    public func blockedPath(forMaildirFile path: String) -> String? {
        guard path.hasPrefix(storePath + "/") else { return nil }
        return root + "/" + storeName + String(path.dropFirst(storePath.count))
    }

    /// Where a blocked Maildir file goes back to.
    public func livePath(forBlockedFile path: String) -> String? {
        let prefix = root + "/" + storeName + "/"
        guard path.hasPrefix(prefix) else { return nil }
        return storePath + "/" + path.dropFirst(prefix.count)
    }

    /// The mbox holding blocked messages of an mbox store.
    public var blockedMbox: String { root + "/" + storeName }

    /// Moves a Maildir message file into the blocked store; returns its new path.
    @discardableResult
    public func block(maildirFile path: String) throws -> String {
        guard let target = blockedPath(forMaildirFile: path) else {
            throw ErasureError(path: path, problem: "is not inside the store \(storePath)")
        }
        try move(path, to: target)
        return target
    }

    /// Moves a single message file (a `.eml`) into the blocked store, beside the store's own
    /// blocked files; returns its new path.
    @discardableResult
    public func block(file path: String) throws -> String {
        let target = root + "/" + URL(fileURLWithPath: path).lastPathComponent
        try move(path, to: target)
        return target
    }

    /// Blocked single message files (`.eml`) of this directory, with the path each came from.
    public func blockedSingleFiles() -> [(blocked: String, live: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let parent = DurableFile.directory(of: root)
        return names.sorted().filter { $0.lowercased().hasSuffix(".eml") }.map { (root + "/" + $0, parent + "/" + $0) }
    }

    /// Moves a blocked Maildir file back to where it was; returns that path.
    @discardableResult
    public func unblock(blockedFile path: String) throws -> String {
        guard let target = livePath(forBlockedFile: path) else {
            throw ErasureError(path: path, problem: "is not inside the blocked store \(root)")
        }
        try move(path, to: target)
        return target
    }

    /// Moves a blocked single message file back to `livePath` (where ``block(file:)`` took it
    /// from).
    public func restore(blockedFile path: String, to livePath: String) throws {
        guard path.hasPrefix(root + "/") else { throw ErasureError(path: path, problem: "is not inside the blocked store \(root)") }
        try move(path, to: livePath)
    }

    /// Every blocked Maildir file, with the path it came from.
    public func blockedMaildirFiles() -> [(blocked: String, live: String)] {
        let top = root + "/" + storeName
        guard let walker = FileManager.default.enumerator(atPath: top) else { return [] }
        var files: [(String, String)] = []
        while let relative = walker.nextObject() as? String {
            let path = top + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            files.append((path, storePath + "/" + relative))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    private func move(_ from: String, to: String) throws {
        let directory = DurableFile.directory(of: to)
        try DurableFile.makeDirectory(directory)
        if access(to, F_OK) == 0 {
            throw ErasureError(path: to, problem: "already exists; not overwritten")
        }
        guard Glibc.rename(from, to) == 0 else {
            throw ErasureError(path: from, problem: "cannot move to \(to): \(String(cString: strerror(errno)))")
        }
        try DurableFile.syncDirectory(directory)
        try DurableFile.syncDirectory(DurableFile.directory(of: from))
    }
}
