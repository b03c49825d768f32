import FileSystem

/// Erases message files (Maildir messages, `.eml` files): content overwritten, then every link
/// in the store removed.
///
/// A Maildir message is a file; a copy made by a client or by Dovecot's hard-link copies is
/// another link to the same inode. Unlinking one link leaves the content reachable through the
/// others, so the links under the store are found (same device and inode; the walk follows no
/// symbolic link) and all removed. When no link remains outside the store, the content is
/// overwritten with zeros and fsynced before the last unlink; links outside the store are
/// reported (``Outcome/linksLeftElsewhere``) and the content is then not overwritten, because
/// it is not privctl's to destroy there. (On copy-on-write file systems and SSDs, overwriting in
/// place does not guarantee the old blocks are gone; full-disk encryption is the remedy there.)
///
/// The mailbox stays whole at every moment: each link is first moved into its folder's `tmp/`
/// (which Maildir readers never look at; a hidden name beside a file outside a Maildir), and
/// only there overwritten and unlinked. A run killed in between leaves a file in `tmp/`, which
/// Dovecot removes after 36 hours, and never a half-overwritten message in `cur/` or `new/`.
public struct MessageFileEraser {
    /// What erasing one message did.
    public struct Outcome: Sendable {
        /// Every path unlinked (the message and its other links in the store).
        public var removedPaths: [String]
        /// Whether the content was overwritten before the last unlink.
        public var overwritten: Bool
        /// Links outside the searched store that still hold the content (0 when none).
        public var linksLeftElsewhere: Int
    }

    /// The store's top directory, searched for other links (a Maildir's top; for a message
    /// file, its directory).
    public let storePath: String

    public init(storePath: String) {
        self.storePath = storePath
    }

    /// Erases the file `name` in `directory`.
    public func erase(_ name: String, in directory: Directory) throws(PrivctlError) -> Outcome {
        guard let info = try directory.info(name) else {
            throw PrivctlError(.notFound, path: directory.path(of: name), problem: "is gone; not erased")
        }
        guard info.kind == .regular else {
            throw PrivctlError(.notRegularFile, path: directory.path(of: name), problem: "is a \(info.kind.rawValue); not erased")
        }
        var links: [(directory: Directory, name: String)] = [(directory, name)]
        if info.linkCount > 1 {
            links += try otherLinks(of: info, besides: directory.path(of: name))
        }
        let elsewhere = info.linkCount - links.count
        // Out of the mailbox first.
        var staged: [(directory: Directory, name: String)] = []
        for link in links {
            let (stagingDirectory, stagingName) = try staging(for: link.name, in: link.directory)
            try link.directory.move(link.name, to: stagingName, in: stagingDirectory)
            staged.append((stagingDirectory, stagingName))
            try link.directory.sync()
        }
        var overwritten = false
        if elsewhere <= 0, let first = staged.first {
            let file = try first.directory.openFile(first.name, access: .write)
            try overwrite(file, size: info.size)
            overwritten = true
        }
        for file in staged { try file.directory.unlink(file.name) }
        for file in staged { try file.directory.sync() }
        return Outcome(
            removedPaths: links.map { $0.directory.path(of: $0.name) }, overwritten: overwritten,
            linksLeftElsewhere: max(0, elsewhere))
    }

    /// `FOLDER/tmp/.privctl-erase-TOKEN-NAME` for a message in `FOLDER/cur/` (or `new/`); for a
    /// file outside a Maildir, a hidden name beside it.
    private func staging(for name: String, in directory: Directory) throws(PrivctlError) -> (Directory, String) {
        let stagingName = ".privctl-erase-" + Directory.randomToken() + "-" + name
        let (folderPath, sub) = FileSystem.split(directory.path)
        guard sub == "cur" || sub == "new" else { return (directory, stagingName) }
        let folder = try Directory.open(folderPath)
        if try folder.info("tmp") == nil, try folder.makeDirectory("tmp", permissions: 0o700) {
            // A Maildir's tmp/ belongs to the mailbox owner, as the rest of it.
            let owner = try folder.info()
            try folder.openDirectory("tmp").setOwner(owner.owner, group: owner.group)
        }
        return (try folder.openDirectory("tmp"), stagingName)
    }

    private func overwrite(_ file: OpenFile, size: Int) throws(PrivctlError) {
        let zeros = [UInt8](repeating: 0, count: min(max(size, 1), 1 << 20))
        var done = 0
        while done < size {
            let count = min(zeros.count, size - done)
            try zeros.withUnsafeBytes { raw in
                Result { () throws(PrivctlError) in try file.write(UnsafeRawBufferPointer(rebasing: raw[0..<count])) }
            }.get()
            done += count
        }
        try file.sync()
    }

    /// Other links under the store with the same device and inode (no symbolic link followed).
    func otherLinks(of target: FileInfo, besides path: String) throws(PrivctlError) -> [(directory: Directory, name: String)] {
        var found: [(directory: Directory, name: String)] = []
        var visited = Set<FileIdentity>()
        func walk(_ directory: Directory, depth: Int) {
            guard depth < StoreLocator.maximumDepth, let me = try? directory.info(), visited.insert(FileIdentity(me)).inserted,
                let entries = try? directory.entries()
            else { return }
            for entry in entries {
                let kind = entry.kind ?? (try? directory.info(entry.name))??.kind
                if kind == .directory, entry.name != StoreLocator.blockedDirectoryName {
                    if let child = try? directory.openDirectory(entry.name) { walk(child, depth: depth + 1) }
                } else if kind == .regular, directory.path(of: entry.name) != path,
                    let info = try? directory.info(entry.name), info.isSameFile(as: target)
                {
                    found.append((directory, entry.name))
                }
            }
        }
        walk(try Directory.open(storePath), depth: 0)
        return found
    }
}
