/// A new version of a file, written beside it and put in its place only when complete.
///
/// The new version is written inside a private directory that privctl creates beside the
/// original (`.NAME.privctl-RANDOM.tmp`, mode 0700, `O_EXCL`-style: a name that exists is never
/// reused), and is renamed from that directory's descriptor over the original. The directory
/// holding the original may belong to the mailbox's owner, who can rename, delete and plant
/// links there at any moment; but nobody else can enter the private directory, and the rename
/// goes through descriptors opened before, so no link planted anywhere can make privctl write
/// through it or rename something else over the original.
///
/// The caller writes ``file``, reads it back if it wants (``openCopy()``), then ``commit()``
/// flushes it, renames it over the original and flushes the directory: killed at any moment, the
/// directory holds the old file or the new one, whole. A replacement released without
/// ``commit()`` removes what it created.
public final class ReplacementFile {
    /// The directory of the original.
    public let directory: Directory
    /// The original's name.
    public let name: String
    /// The private directory's name in ``directory``.
    public let temporaryName: String
    /// The new version, open for writing and reading back.
    public let file: OpenFile
    private let privateDirectory: Directory
    private var finished = false

    /// The name prefix of what a replacement for `name` creates: leftovers of a killed run start
    /// with it (see ``removeLeftovers(for:in:)``).
    public static func temporaryPrefix(for name: String) -> String { "." + name + ".privctl-" }

    /// Starts a replacement for `name` in `directory`, with the owner (when root), group and mode
    /// of `attributes` (the original's).
    public init(for name: String, in directory: Directory, attributes: FileInfo?) throws(PrivctlError) {
        self.directory = directory
        self.name = name
        var created: (name: String, directory: Directory)?
        for _ in 0..<100 where created == nil {
            let candidate = Self.temporaryPrefix(for: name) + Directory.randomToken() + ".tmp"
            if try directory.makeDirectory(candidate, permissions: 0o700) {
                created = (candidate, try directory.openDirectory(candidate))
            }
        }
        guard let created else {
            throw PrivctlError(.alreadyExists, path: directory.path(of: name), problem: "cannot find a free name for a temporary directory")
        }
        temporaryName = created.name
        privateDirectory = created.directory
        // Only privctl's own directory will do: made just now, by this user, for nobody else.
        let info = try privateDirectory.info()
        guard info.isPrivateToThisUser else {
            _ = try? directory.removeDirectory(created.name)
            throw PrivctlError(.notOwnStore, path: privateDirectory.path, problem: "is not privctl's own; nothing was written")
        }
        file = try privateDirectory.createFile(name, permissions: attributes?.permissions ?? 0o600)
        if let attributes { try file.copyAttributes(from: attributes) }
    }

    /// Where the new version is while it is written.
    public var temporaryPath: String { privateDirectory.path(of: name) }

    /// Opens the new version again, for reading it back from its start.
    public func openCopy() throws(PrivctlError) -> OpenFile { try privateDirectory.openFile(name) }

    /// Flushes the new file and makes it the file at `name`; flushes the directory.
    public func commit() throws(PrivctlError) {
        try file.sync()
        try privateDirectory.rename(name, to: name, in: directory)
        finished = true
        try directory.sync()
        _ = try? directory.removeDirectory(temporaryName)
    }

    /// Removes the new version; the original stays as it is.
    public func abandon() {
        guard !finished else { return }
        finished = true
        file.close()
        _ = try? privateDirectory.unlink(name)
        _ = try? directory.removeDirectory(temporaryName)
    }

    deinit { abandon() }

    /// Removes what replacements for `name` left in `directory` when their run was killed: the
    /// private directories (only privctl's own, and only the files in them) and temporary files
    /// of earlier versions (only files of this user that no one else may read, as privctl made
    /// them). None of it was ever renamed, so it is nobody's data. Whatever else carries such a
    /// name (another user's file, a link) stays.
    public static func removeLeftovers(for name: String, in directory: Directory) throws(PrivctlError) {
        let prefix = temporaryPrefix(for: name)
        for entry in try directory.entries() where entry.name.hasPrefix(prefix) && entry.name.hasSuffix(".tmp") {
            guard let info = try directory.info(entry.name) else { continue }
            switch info.kind {
            case .directory where info.isPrivateToThisUser:
                guard let inside = try? directory.openDirectory(entry.name) else { continue }
                for file in (try? inside.entries()) ?? [] where file.kind == .regular { _ = try? inside.unlink(file.name) }
                _ = try? directory.removeDirectory(entry.name)
            case .regular where info.isPrivateToThisUser:
                _ = try? directory.unlink(entry.name)
            default:
                continue
            }
        }
    }
}
