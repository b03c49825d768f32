import FileSystem
import Foundation
import PrivacyEvents

/// Maildir and Maildir++ (Dovecot, Courier, Postfix's `home_mailbox = Maildir/`): a directory
/// with `cur/`, `new/` and `tmp/`, one file per message; Maildir++ folders (`.Sent`,
/// `.Archive.2019`) and `LAYOUT=fs` folders (`Sent/`, `Archive/2019/`) inside it. Each folder is
/// a container; all belong to one store, the top directory.
public struct MaildirFormat: MailStoreFormat {
    public let name = "maildir"

    public init() {}

    // MARK: - Locate

    public func containers(inDirectory directory: Directory, scan: inout StoreScan) -> [MailContainer]? {
        guard Self.isFolder(directory) else { return nil }
        let (parentPath, name) = FileSystem.split(directory.path)
        // A Maildir++ folder named on its own (".Sent") keeps its folder name and its store:
        // it has Dovecot's `maildirfolder` marker, or (as when the store is scanned whole) its
        // parent is a Maildir itself.
        let isSubfolder = name.hasPrefix(".")
            && (((try? directory.info("maildirfolder")) ?? nil) != nil
                || ((try? Directory.open(parentPath)).map(Self.isFolder) ?? false))
        let store = isSubfolder ? parentPath : directory.path
        let topName = isSubfolder ? String(name.dropFirst()) : "INBOX"
        var found = [MailContainer(format: self, path: directory.path, folder: topName, storePath: store)]
        var visited = Set<FileIdentity>()
        collectSubfolders(of: directory, prefix: isSubfolder ? topName : nil, store: store, depth: 0, visited: &visited, into: &found, scan: &scan)
        return found
    }

    /// Whether a directory is a Maildir folder: it has `cur/` or `new/` as real directories.
    public static func isFolder(_ directory: Directory) -> Bool {
        ["cur", "new"].contains { ((try? directory.info($0)) ?? nil)?.kind == .directory }
    }

    private func collectSubfolders(
        of directory: Directory, prefix: String?, store: String, depth: Int, visited: inout Set<FileIdentity>,
        into found: inout [MailContainer], scan: inout StoreScan
    ) {
        guard let me = try? directory.info(), visited.insert(FileIdentity(me)).inserted else { return }
        let skipped: Set<String> = ["cur", "new", "tmp", StoreLocator.blockedDirectoryName]
        for case .directory(let name) in scan.children(of: directory, depth: depth, skipping: skipped) {
            // Hidden directories that are not Maildir++ folders are not mail (Dovecot's own).
            guard let child = scan.open(name, in: directory) else { continue }
            if Self.isFolder(child) {
                // Maildir++ (".Sent", ".Archive.2019") or LAYOUT=fs ("Sent", "Archive/2019").
                let plain = name.hasPrefix(".") ? String(name.dropFirst()) : name
                let folder = prefix.map { "\($0)/\(plain)" } ?? plain
                found.append(MailContainer(format: self, path: child.path, folder: folder, storePath: store))
                if !name.hasPrefix(".") {
                    collectSubfolders(of: child, prefix: folder, store: store, depth: depth + 1, visited: &visited, into: &found, scan: &scan)
                }
            } else if !name.hasPrefix(".") {
                // LAYOUT=fs parents may be plain directories holding folders.
                let plainPrefix = prefix.map { "\($0)/\(name)" } ?? name
                collectSubfolders(of: child, prefix: plainPrefix, store: store, depth: depth + 1, visited: &visited, into: &found, scan: &scan)
            }
        }
    }

    public func container(forFile file: CandidateFile, named: Bool) -> MailContainer? { nil }

    /// The identity a Maildir gives its message file `name` in `directory`, when `directory` is
    /// the `cur/` or `new/` of a Maildir folder (nil otherwise): a message file named on its own
    /// (`privctl erase … ~/Maildir/cur/FILE`) is then the message it is when its folder is read,
    /// so that erasing it forgets that message's scan-index row, and a classify of it alone
    /// collects nothing twice. The store is the one a scan of the whole Maildir gives the
    /// folder: the highest of its ancestors (up to eight levels up) that is a Maildir folder
    /// itself (a Maildir++ `.Sent`, a `LAYOUT=fs` `Archive/2019`), or for a folder with
    /// Dovecot's `maildirfolder` marker at least its parent; else the folder.
    public static func identity(ofMessageFile name: String, in directory: Directory) -> String? {
        let (folderPath, sub) = FileSystem.split(directory.path)
        guard sub == "cur" || sub == "new", let folder = try? Directory.open(folderPath), isFolder(folder) else { return nil }
        let (parentPath, folderName) = FileSystem.split(folderPath)
        var store = folderPath
        if folderName.hasPrefix("."), ((try? folder.info("maildirfolder")) ?? nil) != nil { store = parentPath }
        var path = folderPath
        for _ in 0..<8 {
            let parent = FileSystem.split(path).directory
            guard !parent.isEmpty, parent != path else { break }
            if let directory = try? Directory.open(parent), isFolder(directory) { store = parent }
            path = parent
        }
        return "maildir:" + store + ":" + MaildirName(name).uniqueName
    }

    // MARK: - Read

    public func forEachBatch(
        of container: MailContainer, size: Int, limits: ReadLimits, _ body: ([StoredMessage]) throws -> Void
    ) throws {
        try MaildirFolder(container).forEachBatch(size: size, body)
    }

    public func list(_ container: MailContainer, into digest: inout ListingDigest) throws -> Bool {
        try MaildirFolder(container).list(into: &digest)
    }

    public func identities(in container: MailContainer) throws -> [String: Int]? {
        try MaildirFolder(container).identities()
    }

    // MARK: - Change

    /// The folder's path below its store, as components (`[".Sent"]`, `[]` for INBOX).
    private func folderComponents(_ container: MailContainer) -> [String] {
        guard container.path.count > container.storePath.count, container.path.hasPrefix(container.storePath + "/") else { return [] }
        return container.path.dropFirst(container.storePath.count + 1).split(separator: "/").map(String.init)
    }

    public func apply(_ changes: ChangeSet, to container: MailContainer, options: ChangeOptions) throws -> ChangeReport {
        let before = try ContentSnapshot(of: container, limits: options.limits)
        let folder = try Directory.open(container.path)
        let blocked = BlockedStore(storePath: container.storePath)
        let components = folderComponents(container)
        let outcome = MessageFileChanges(storePath: container.storePath, limits: options.limits).apply(
            changes.changes,
            locate: { change throws(PrivctlError) in
                let sub = change.message.item.split(separator: "/").first.map(String.init) ?? ""
                guard sub == "cur" || sub == "new" else {
                    throw PrivctlError(.outsideStore, path: change.message.displayPath, problem: "is not in cur/ or new/")
                }
                return (try folder.openDirectory(sub), FileSystem.split(change.message.filePath ?? "").name)
            },
            block: { name, directory, _ throws(PrivctlError) in
                // Mirrored below the store's name: `.Sent/cur/NAME` stays `.Sent/cur/NAME`.
                guard directory.path.hasPrefix(container.storePath + "/") else {
                    throw PrivctlError(.outsideStore, path: directory.path(of: name), problem: "is not inside \(container.storePath)")
                }
                let relative = directory.path.dropFirst(container.storePath.count + 1).split(separator: "/").map(String.init)
                return try blocked.block(name, in: directory, to: relative)
            })
        let after = try ContentSnapshot(of: container, limits: options.limits)
        var (checks, passed) = before.compare(after: after, removed: outcome.removed, display: container.path)
        if !outcome.blocked.isEmpty {
            let kept = try Self.blockedSnapshot(blocked, components: components, limits: options.limits)
            let check = ContentSnapshot.checkBlocked(outcome.blocked, in: kept, display: blocked.root)
            checks.append(check.check)
            passed = passed && check.passed
        }
        return ChangeReport(
            applied: outcome.applied, checks: checks, passed: passed && outcome.problems.isEmpty, problems: outcome.problems)
    }

    /// The messages of one folder's part of the blocked store.
    private static func blockedSnapshot(_ blocked: BlockedStore, components: [String], limits: ReadLimits) throws -> ContentSnapshot {
        guard let directory = try blocked.openDirectory(components, create: false) else { return ContentSnapshot() }
        let container = MailContainer(format: MaildirFormat(), path: directory.path, folder: "", storePath: blocked.path([]))
        return try ContentSnapshot(of: container, limits: limits)
    }

    // MARK: - Blocked store

    /// The folders of the store's blocked tree (`.privctl-blocked/NAME/`, mirroring the store).
    /// Callers ask once per store.
    public func blockedContainers(of container: MailContainer) throws -> [BlockedContainer] {
        let blocked = BlockedStore(storePath: container.storePath)
        guard let tree = try blocked.openDirectory([], create: false) else { return [] }
        var scan = StoreScan()
        var found: [MailContainer] = []
        if Self.isFolder(tree) { found.append(MailContainer(format: self, path: tree.path, folder: "INBOX", storePath: tree.path)) }
        var visited = Set<FileIdentity>()
        collectSubfolders(of: tree, prefix: nil, store: tree.path, depth: 0, visited: &visited, into: &found, scan: &scan)
        if let problem = scan.problems.first { throw problem }
        return found.map { BlockedContainer(container: $0, liveStore: container.storePath) }
    }

    public func unblock(
        _ messages: [StoredMessage], contentHashes: [String], from blocked: BlockedContainer, options: ChangeOptions
    ) throws -> [UnblockResult] {
        let store = BlockedStore(storePath: blocked.liveStore)
        var results: [UnblockResult] = []
        for message in messages {
            guard let filePath = message.filePath, filePath.hasPrefix(store.path([]) + "/") else {
                results.append(UnblockResult(livePath: nil, verified: false))
                continue
            }
            let relative = String(filePath.dropFirst(store.path([]).count + 1))
            results.append(try MessageFileChanges.moveBack(filePath, to: blocked.liveStore + "/" + relative, limits: options.limits))
        }
        return results
    }

    // MARK: - Residue

    /// Dovecot's index files in the folder that still hold what `occurs` finds; with `purge`,
    /// `dovecot.index.cache` is deleted (Dovecot rebuilds it).
    public func residue(in container: MailContainer, occurs: ([UInt8]) -> Bool, purge: Bool) -> [String] {
        guard let folder = try? Directory.open(container.path), let entries = try? folder.entries() else { return [] }
        var lines: [String] = []
        for entry in entries where entry.name.hasPrefix("dovecot.index") || entry.name == "dovecot.list.index.log" {
            guard let bytes = try? folder.openFile(entry.name).readAll(limit: 1 << 30), occurs(bytes) else { continue }
            let path = folder.path(of: entry.name)
            if purge, entry.name == "dovecot.index.cache", (try? folder.unlink(entry.name)) == true {
                lines.append("\(path): held the address in Dovecot's header cache; deleted (Dovecot rebuilds it)")
                continue
            }
            lines.append(
                "\(path): Dovecot's index still holds the address of an expunged message; clear it with "
                    + "`doveadm force-resync -u USER '\(container.folder)'` or run privctl erase again with --purge-caches")
        }
        return lines
    }
}
