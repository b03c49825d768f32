import FileSystem
import Foundation

/// Finds the mail containers under the paths a user names.
///
/// A path may be a store of any of the given formats (a Maildir with its Maildir++ and
/// `LAYOUT=fs` folders, an mbox, a message file, a backup archive) or any other directory, which
/// is searched for them.
///
/// What it opens and follows (see the README's "Running as root"): a path the user names is
/// resolved once, links in it followed (``FileSystem/resolveNamedPath(_:)``). Below it nothing
/// is followed: a symbolic link met while walking is reported, not entered or read; FIFOs,
/// sockets and devices are reported and never opened; a directory that cannot be read is
/// reported. Each reason is one ``PrivctlError`` in ``StoreScan/problems``, so a run can say
/// what it did not search. A directory reached twice (a bind mount) is walked once, and trees
/// deeper than ``maximumDepth`` are reported, not followed down. `.privctl-blocked` (the
/// ``BlockedStore``) and `tmp/` are never searched.
public struct StoreLocator: Sendable {
    /// The directory beside a store where privctl keeps blocked messages (see `BlockedStore`).
    /// Searches never descend into it: blocked mail is out of the live store on purpose.
    public static let blockedDirectoryName = ".privctl-blocked"
    /// How deep below a named path the locator looks.
    public static let maximumDepth = 64

    /// The formats asked, in order, whether a directory or file is theirs.
    public let formats: [any MailStoreFormat]

    public init(formats: [any MailStoreFormat]) {
        self.formats = formats
    }

    /// The containers under `paths`, in a stable order, each once, and what could not be
    /// looked at.
    ///
    /// - Throws: ``PrivctlError`` for a named path that does not exist, cannot be read, or is a
    ///   file of no known format.
    public func scan(_ paths: [String]) throws(PrivctlError) -> StoreScan {
        var scan = StoreScan()
        // Paths as bytes: two folders whose names differ only in Unicode normalisation are
        // equal as Swift strings, and are two folders.
        var seen = Set<[UInt8]>()
        // A path inside another named directory is covered by it: searched (and changed) once.
        let resolved = paths.map { try? FileSystem.resolveNamedPath($0) }
        for (index, path) in paths.enumerated() {
            if let mine = resolved[index], resolved.enumerated().contains(where: { other in
                guard other.offset != index, let outer = other.element else { return false }
                return FileSystem.isBelow(mine, outer) || (mine == outer && other.offset < index)
            }) {
                continue
            }
            var one = try self.scan(path)
            scan.problems += one.problems
            one.containers.removeAll { !seen.insert(Array($0.path.utf8)).inserted }
            scan.containers += one.containers
        }
        return scan
    }

    /// The containers under one path.
    public func scan(_ path: String) throws(PrivctlError) -> StoreScan {
        let resolved: String
        do {
            resolved = try FileSystem.resolveNamedPath(path)
        } catch where error.code == .notFound {
            throw PrivctlError(.notFound, path: path, problem: "no such file or directory")
        }
        guard let info = try FileSystem.info(atPath: resolved) else {
            throw PrivctlError(.notFound, path: path, problem: "no such file or directory")
        }
        var scan = StoreScan()
        switch info.kind {
        case .directory:
            // cur/ or new/ of a Maildir is not a store: its messages belong to the Maildir, whose
            // other folder would be left out. Say which path to name instead.
            let (parent, name) = FileSystem.split(resolved)
            if name == "cur" || name == "new" || name == "tmp",
                ["cur", "new", "tmp"].allSatisfy({ (try? FileSystem.info(atPath: parent + "/" + $0))??.kind == .directory })
            {
                throw PrivctlError(.invalidInput, path: path, problem: "is the \(name)/ folder of the Maildir \(parent); name the Maildir")
            }
            let directory: Directory
            do {
                directory = try Directory.open(resolved)
                _ = try directory.entries()
            } catch {
                throw PrivctlError(error.code, path: path, problem: error.problem)
            }
            var visited = Set<FileIdentity>()
            walk(directory, depth: 0, visited: &visited, into: &scan)
        case .regular:
            let (parent, name) = FileSystem.split(resolved)
            let file = CandidateFile(directory: try Directory.open(parent), name: name)
            guard file.firstBytes() != nil else {
                // Say why: permissions, most likely.
                _ = try FileSystem.openFile(atPath: resolved)
                throw PrivctlError(.unreadable, path: path, problem: "cannot be read")
            }
            guard let container = formats.lazy.compactMap({ $0.container(forFile: file, named: true) }).first else {
                throw PrivctlError(.notMail, path: path, problem: "not a Maildir, an mbox, a message file or a backup archive")
            }
            scan.containers.append(container)
        default:
            throw PrivctlError(.notRegularFile, path: path, problem: "is a \(info.kind.rawValue); privctl reads only files and directories")
        }
        return scan
    }

    /// The containers under a directory that may itself be a store.
    private func walk(_ directory: Directory, depth: Int, visited: inout Set<FileIdentity>, into scan: inout StoreScan) {
        if let info = try? directory.info() {
            guard visited.insert(FileIdentity(info)).inserted else { return }
        }
        for format in formats {
            if let found = format.containers(inDirectory: directory, scan: &scan) {
                scan.containers += found
                return
            }
        }
        for child in scan.children(of: directory, depth: depth, skipping: [Self.blockedDirectoryName]) {
            switch child {
            case .directory(let name):
                if let sub = scan.open(name, in: directory) { walk(sub, depth: depth + 1, visited: &visited, into: &scan) }
            case .file(let name):
                let file = CandidateFile(directory: directory, name: name)
                if let container = formats.lazy.compactMap({ $0.container(forFile: file, named: false) }).first {
                    scan.containers.append(container)
                } else if file.firstBytes() == nil, ((try? directory.info(name)) ?? nil) != nil {
                    // Unreadable (permissions): it may be an mbox; say it was not searched.
                    scan.report(PrivctlError(.unreadable, path: directory.path(of: name), problem: "cannot be read"))
                }
            }
        }
    }
}

/// What a walk met in a directory.
public enum DirectoryChild: Sendable, Equatable {
    case directory(String)
    case file(String)
}

extension StoreScan {
    /// The subdirectories and regular files of `directory` (at `depth` below the named path),
    /// except `skipped` names. Symbolic links, FIFOs, sockets and devices are reported here and
    /// not returned, as are subdirectories deeper than ``StoreLocator/maximumDepth`` and a
    /// directory that cannot be listed: what a walk does not enter is always said.
    public mutating func children(of directory: Directory, depth: Int, skipping skipped: Set<String> = []) -> [DirectoryChild] {
        let entries: [Directory.Entry]
        do {
            entries = try directory.entries()
        } catch {
            report(error)
            return []
        }
        var children: [DirectoryChild] = []
        for entry in entries {
            let path = directory.path(of: entry.name)
            if skipped.contains(entry.name) {
                // privctl's blocked store is not live mail; anything else of that name a user
                // made is searched like any folder (it could hide mail otherwise).
                guard entry.name == StoreLocator.blockedDirectoryName,
                    let info = (try? directory.info(entry.name)) ?? nil,
                    info.kind == .directory, !info.isPrivateToThisUser
                else { continue }
            }
            switch entry.kind ?? ((try? directory.info(entry.name)) ?? nil)?.kind {
            case .directory:
                guard depth < StoreLocator.maximumDepth else {
                    report(PrivctlError(.unsupported, path: path, problem: "more than \(StoreLocator.maximumDepth) directories deep; not searched"))
                    continue
                }
                children.append(.directory(entry.name))
            case .regular:
                children.append(.file(entry.name))
            case .symbolicLink:
                report(PrivctlError(.symbolicLink, path: path, problem: "is a symbolic link; not followed"))
            case .some(let other):
                report(PrivctlError(.notRegularFile, path: path, problem: "is a \(other.rawValue); not opened"))
            case nil:
                continue  // gone meanwhile
            }
        }
        return children
    }

    /// The subdirectory `name` of `directory`, opened without following a link; nil (and
    /// reported) when it cannot be.
    public mutating func open(_ name: String, in directory: Directory) -> Directory? {
        do {
            return try directory.openDirectory(name)
        } catch {
            report(error)
            return nil
        }
    }
}

/// A file's identity on this machine: device and inode.
public struct FileIdentity: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64

    public init(_ info: FileInfo) {
        device = info.device
        inode = info.inode
    }
}

extension StoreLocator {
    /// Backup archive names: tar in any compression, and zip.
    public static func isArchiveName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst", ".zip"]
            .contains { lower.hasSuffix($0) }
    }
}
