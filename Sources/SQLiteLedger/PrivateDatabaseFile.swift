import FileSystem
import Foundation
import PrivacyEvents

/// Where privctl's SQLite files (ledger, scan index, spool) are created: mode 0600, and their
/// directory 0700 when privctl creates it, so that no other user reads a ledger, its `-wal`
/// or its `-shm` (SQLite gives those the database file's mode).
enum PrivateDatabaseFile {
    /// Creates the directory and an empty database file at `url` when they do not exist (never
    /// through a link: `O_EXCL`), and takes group and other permissions away from an existing
    /// file and its `-wal`/`-shm`.
    static func prepare(_ url: URL, label: String) throws(LedgerError) {
        let path = url.path
        let (directoryPath, name) = FileSystem.split(path)
        do {
            let directory = try FileSystem.openOwnDirectory(directoryPath)
            if try directory.info(name) == nil {
                do {
                    _ = try directory.createFile(name, permissions: 0o600)
                } catch where error.code == .alreadyExists {
                    // Created by another process meanwhile.
                }
            }
            for file in [name, name + "-wal", name + "-shm"] {
                guard let info = try directory.info(file), info.kind == .regular, info.permissions & 0o077 != 0,
                    info.owner == UInt32(geteuid())
                else { continue }
                try directory.openFile(file).setPermissions(info.permissions & 0o700)
            }
        } catch {
            throw LedgerError("cannot create the \(label) \(path): \(error.problem)")
        }
    }
}
