import FileSystem

/// Where blocked messages are kept: out of the live mailbox, where IMAP and POP3 clients do not
/// see them, but on the same file system, so moving there is a rename.
///
/// For a Maildir at `DIR/Maildir` the blocked store is `DIR/.privctl-blocked/Maildir/`, a tree
/// that mirrors the Maildir (`.Sent/cur/NAME` stays `.Sent/cur/NAME`), so unblocking moves each
/// file back to exactly where it was. For an mbox `DIR/anna` it is the mbox
/// `DIR/.privctl-blocked/anna`; for a message file `DIR/x.eml`, `DIR/.privctl-blocked/x.eml`.
///
/// privctl creates `.privctl-blocked` and every directory in it with mode 0700, owned by the
/// user privctl runs as, and refuses one it did not make: a directory owned by someone else, one
/// others can read or write, or a symbolic link anywhere on the way
/// (``PrivctlError/Code/notOwnStore``). A user who plants `.privctl-blocked` (or a link named
/// like it) in their own mailbox directory cannot make privctl write anywhere else.
public struct BlockedStore: Sendable {
    /// The directory `.privctl-blocked` beside the store.
    public let root: String
    /// The store's own path (Maildir top directory, mbox or message file).
    public let storePath: String
    /// The directory holding the store.
    public let parent: String
    /// The store's name, which is also its name inside the blocked store.
    public let storeName: String

    /// The blocked store of the Maildir, mbox or message file at `storePath`.
    public init(storePath: String) {
        self.storePath = storePath
        (parent, storeName) = FileSystem.split(storePath)
        root = (parent == "/" ? "" : parent) + "/" + StoreLocator.blockedDirectoryName
    }

    /// The path of `relative` (components below the store) inside the blocked store.
    public func path(_ relative: [String]) -> String {
        ([root, storeName] + relative).joined(separator: "/")
    }

    /// Opens the blocked store's directory for `relative` (a path of directories below the
    /// store's own name; empty for the root itself when `includingStoreName` is false),
    /// creating what is missing with mode 0700 when `create` is true. Returns nil when it does
    /// not exist and `create` is false.
    ///
    /// - Throws: ``PrivctlError/Code/notOwnStore`` for a directory on the way that is not
    ///   privctl's own.
    public func openDirectory(_ relative: [String], includingStoreName: Bool = true, create: Bool) throws(PrivctlError) -> Directory? {
        let parentDirectory = try Directory.open(parent)
        var names = [StoreLocator.blockedDirectoryName]
        if includingStoreName { names.append(storeName) }
        names += relative
        var current = parentDirectory
        for name in names {
            if create { try current.makeDirectory(name, permissions: 0o700) }
            guard let info = try current.info(name) else { return nil }
            guard info.kind == .directory, info.isPrivateToThisUser else {
                throw PrivctlError(
                    .notOwnStore, path: current.path(of: name),
                    problem: "is not privctl's own blocked store (\(Self.describe(info))); refused: nothing is moved there")
            }
            current = try current.openDirectory(name)
            let opened = try current.info()
            guard opened.isSameFile(as: info), opened.isPrivateToThisUser else {
                throw PrivctlError(.notOwnStore, path: current.path, problem: "changed while privctl opened it; refused")
            }
        }
        return current
    }

    private static func describe(_ info: FileInfo) -> String {
        if info.kind != .directory { return "a \(info.kind.rawValue)" }
        return "owner \(info.owner), mode \(String(info.permissions, radix: 8))"
    }

    /// Whether anything is kept for this store.
    public func exists(_ relative: [String] = []) -> Bool {
        ((try? openDirectory(relative, create: false)) ?? nil) != nil
    }

    /// Where the blocked messages of a file store are kept: the mbox holding an mbox store's
    /// blocked messages, or a blocked message file.
    public var blockedFile: String { root + "/" + storeName }

    /// The blocked store of a file store (an mbox, a message file) as a container of `format`:
    /// `.privctl-blocked/NAME`, when it exists.
    public func blockedFileContainer(format: any MailStoreFormat, folder: String) throws(PrivctlError) -> BlockedContainer? {
        guard let root = try openDirectory([], includingStoreName: false, create: false),
            let info = try root.info(storeName), info.kind == .regular
        else { return nil }
        return BlockedContainer(container: MailContainer(format: format, path: blockedFile, folder: folder), liveStore: storePath)
    }

    /// What the blocked file of a file store holds (empty when there is none).
    public func blockedFileSnapshot(format: any MailStoreFormat, limits: ReadLimits) throws -> ContentSnapshot {
        guard let blocked = try blockedFileContainer(format: format, folder: "") else { return ContentSnapshot() }
        return try ContentSnapshot(of: blocked.container, limits: limits)
    }

    /// Moves the file `name` from `directory` into the blocked store at `relative` (directories
    /// below the store's name, e.g. `[".Sent", "cur"]`); returns its new path. Never replaces a
    /// file there.
    @discardableResult
    public func block(_ name: String, in directory: Directory, to relative: [String]) throws(PrivctlError) -> String {
        guard let target = try openDirectory(relative, create: true) else {
            throw PrivctlError(.failed, path: path(relative), problem: "cannot create the blocked store")
        }
        try directory.move(name, to: name, in: target)
        try target.sync()
        try directory.sync()
        return target.path(of: name)
    }

    /// Moves a single message file into the blocked store root (as `.privctl-blocked/NAME`).
    @discardableResult
    public func blockFile(_ name: String, in directory: Directory) throws(PrivctlError) -> String {
        guard let target = try openDirectory([], includingStoreName: false, create: true) else {
            throw PrivctlError(.failed, path: root, problem: "cannot create the blocked store")
        }
        try directory.move(name, to: storeName, in: target)
        try target.sync()
        try directory.sync()
        return target.path(of: storeName)
    }
}
