/// A new version of a file, written beside it and put in its place only when complete.
///
/// The temporary file is created in the same directory with `O_EXCL` and an unguessable name
/// (`.NAME.privctl-RANDOM.tmp`), so no file or link planted there can be written through. The
/// caller writes it, then ``commit()`` flushes it, runs nothing else, renames it over the
/// original and flushes the directory: killed at any moment, the directory holds the old file or
/// the new one, whole. A replacement released without ``commit()`` removes its temporary file.
public final class ReplacementFile {
    /// The directory of the original.
    public let directory: Directory
    /// The original's name.
    public let name: String
    /// The temporary file's name.
    public let temporaryName: String
    /// The temporary file, open for writing (and reading back).
    public let file: OpenFile
    private var finished = false

    /// The name prefix of temporary files for `name`: leftovers of a killed run start with it.
    public static func temporaryPrefix(for name: String) -> String { "." + name + ".privctl-" }

    /// Starts a replacement for `name` in `directory`, with the owner (when root), group and mode
    /// of `attributes` (the original's).
    public init(for name: String, in directory: Directory, attributes: FileInfo?) throws(PrivctlError) {
        self.directory = directory
        self.name = name
        let created = try directory.createUniqueFile(
            prefix: Self.temporaryPrefix(for: name), suffix: ".tmp", permissions: attributes?.permissions ?? 0o600)
        temporaryName = created.name
        file = created.file
        if let attributes { try file.copyAttributes(from: attributes) }
    }

    /// The temporary file's path.
    public var temporaryPath: String { directory.path(of: temporaryName) }

    /// Flushes the new file and makes it the file at `name`; flushes the directory.
    public func commit() throws(PrivctlError) {
        try file.sync()
        // The directory may be writable by the mailbox's owner, who can put a link in place of
        // the temporary name at any moment: only this very file is renamed over the original.
        guard let there = try directory.info(temporaryName), there.isSameFile(as: try file.info()) else {
            throw PrivctlError(
                .changedWhileRead, path: temporaryPath,
                problem: "was replaced by something else while privctl wrote it; \(directory.path(of: name)) is unchanged")
        }
        try directory.rename(temporaryName, to: name)
        finished = true
        try directory.sync()
    }

    /// Removes the temporary file; the original stays as it is.
    public func abandon() {
        guard !finished else { return }
        finished = true
        file.close()
        _ = try? directory.unlink(temporaryName)
    }

    deinit { abandon() }
}
