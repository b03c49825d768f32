import Foundation

extension PseudonymKey {
    /// Copies a key file to `destination` (mode 0600), as `privctl key export` and `privctl key
    /// import` do to give every host of a fleet the same key.
    ///
    /// The source is read with ``load(at:)``, so a file that group or others can read, or that
    /// is not a key, is refused. The copy is written to a temporary file beside `destination`,
    /// fsynced and renamed, so a crash leaves the old file or the new one. An existing
    /// destination holding the same key is left alone; one holding another key is replaced
    /// only with `replacing` (its pseudonyms would no longer match the ledger's), and then the
    /// old key is kept beside it as `NAME.FINGERPRINT.replaced`, never lost.
    ///
    /// - Returns: the key, and whether `destination` changed.
    @discardableResult
    public static func copyKeyFile(from source: URL, to destination: URL, replacing: Bool = false)
        throws(PseudonymKeyError) -> (key: PseudonymKey, changed: Bool)
    {
        let key = try load(at: source)
        let path = destination.path
        var replaced: PseudonymKey?
        if FileManager.default.fileExists(atPath: path) {
            let existing = try load(at: destination)
            if existing.fingerprint == key.fingerprint { return (key, false) }
            replaced = existing
            guard replacing else {
                throw PseudonymKeyError(
                    "\(path) already holds another pseudonym key (\(existing.fingerprint), not \(key.fingerprint)); nothing was changed (--force replaces it, and pseudonyms made with the old key no longer match)")
            }
        }
        guard let text = try? String(contentsOf: source, encoding: .utf8) else {
            throw PseudonymKeyError("cannot read the pseudonym key \(source.path)")
        }
        let bytes = Array((text.trimmingCharacters(in: .whitespacesAndNewlines) + "\n").utf8)
        let directory = destination.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw PseudonymKeyError("cannot create the directory \(directory.path): \(error.localizedDescription)")
        }
        let temporary = directory.appendingPathComponent(".\(destination.lastPathComponent).\(getpid()).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw PseudonymKeyError("cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        if let replaced {
            // A second name for the old key before the rename takes the first.
            let keep = "\(path).\(replaced.fingerprint).replaced"
            guard link(path, keep) == 0 || errno == EEXIST else {
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw PseudonymKeyError("cannot keep the old pseudonym key as \(keep): \(reason); nothing was changed")
            }
        }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw PseudonymKeyError("cannot write the pseudonym key \(path): \(reason)")
        }
        let directoryFD = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
        return (key, true)
    }
}
