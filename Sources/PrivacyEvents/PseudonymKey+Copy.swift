import FileSystem
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
        let text: [UInt8]
        do {
            text = try FileSystem.openFile(atPath: FileSystem.resolveNamedPath(source.path)).readAll(limit: 4096)
        } catch {
            throw PseudonymKeyError("cannot read the pseudonym key \(source.path): \(error.problem)")
        }
        let bytes = Array((String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) + "\n").utf8)
        do {
            let directory = try FileSystem.openOwnDirectory(destination.deletingLastPathComponent().path)
            let name = destination.lastPathComponent
            if let replaced {
                // A second name for the old key before the rename takes the first.
                let keep = "\(name).\(replaced.fingerprint).replaced"
                if try directory.info(keep) == nil {
                    let copy = try directory.createFile(keep, permissions: 0o600)
                    try copy.write(try directory.openFile(name).readAll(limit: 4096))
                    try copy.sync()
                }
            }
            let replacement = try ReplacementFile(for: name, in: directory, attributes: nil)
            try replacement.file.write(bytes)
            try replacement.commit()
        } catch {
            throw PseudonymKeyError("cannot write the pseudonym key \(path): \(error.problem); nothing was changed")
        }
        return (key, true)
    }
}
