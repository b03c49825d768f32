import Foundation

/// Finds the mail containers under the paths a user names.
///
/// A path may be a Maildir (a directory with `cur/` or `new/`; its Maildir++ folders `.Sent`,
/// `.Archive.2019`, … and `LAYOUT=fs` subfolders are included), a Maildir++ folder on its own, an
/// mbox file (first line `From `), a message file, or any other directory, which is searched
/// for all of these. Dovecot's own files and `tmp/` are never treated as mail.
public enum StoreLocator {
    /// The directory beside a store where privctl keeps blocked messages (see `BlockedStore`).
    /// Searches never descend into it: blocked mail is out of the live store on purpose.
    public static let blockedDirectoryName = ".privctl-blocked"

    /// The containers under `paths`, in a stable order, each once.
    ///
    /// - Throws: ``StoreError`` for a path that does not exist, cannot be read, or is a file that
    ///   is neither an mbox nor a message.
    public static func containers(under paths: [String]) throws(StoreError) -> [MailContainer] {
        var result: [MailContainer] = []
        var seen = Set<String>()
        for path in paths {
            for container in try containers(under: path) where seen.insert(container.path).inserted {
                result.append(container)
            }
        }
        return result
    }

    /// The containers under one path.
    public static func containers(under path: String) throws(StoreError) -> [MailContainer] {
        let url = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw StoreError(path: path, problem: "no such file or directory")
        }
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw StoreError(path: path, problem: "permission denied")
        }
        if !isDirectory.boolValue {
            if isArchiveName(url.lastPathComponent) {
                return [MailContainer(kind: .archive, url: url, folder: url.lastPathComponent)]
            }
            switch sniff(url) {
            case .mbox: return [MailContainer(kind: .mbox, url: url, folder: url.lastPathComponent)]
            case .message: return [MailContainer(kind: .messageFile, url: url, folder: url.deletingLastPathComponent().lastPathComponent)]
            // An empty mailbox, for example an mbox whose last message was erased.
            case .empty: return [MailContainer(kind: .mbox, url: url, folder: url.lastPathComponent)]
            case .other: throw StoreError(path: path, problem: "not a Maildir, an mbox or a message file")
            }
        }
        var found: [MailContainer] = []
        if isMaildirFolder(url) {
            collectMaildir(root: url, into: &found)
        } else {
            walk(url, into: &found)
        }
        return found
    }

    /// Whether a directory is a Maildir folder (has `cur/` or `new/`).
    public static func isMaildirFolder(_ url: URL) -> Bool {
        directoryExists(url.appendingPathComponent("cur")) || directoryExists(url.appendingPathComponent("new"))
    }

    // MARK: - Maildir

    /// Adds the Maildir at `root` and its subfolders.
    private static func collectMaildir(root: URL, into found: inout [MailContainer]) {
        let rootName = root.lastPathComponent
        // A Maildir++ folder named on its own (".Sent") keeps its folder name and its store.
        let isSubfolder = rootName.hasPrefix(".")
            && FileManager.default.fileExists(atPath: root.appendingPathComponent("maildirfolder").path)
        let store = isSubfolder ? root.deletingLastPathComponent() : root
        let topName = isSubfolder ? String(rootName.dropFirst()) : "INBOX"
        found.append(MailContainer(kind: .maildirFolder, url: root, folder: topName, store: store))
        collectSubfolders(of: root, prefix: isSubfolder ? topName : nil, store: store, into: &found)
    }

    private static func collectSubfolders(of dir: URL, prefix: String?, store: URL, into found: inout [MailContainer]) {
        for name in sortedEntries(of: dir) {
            if ["cur", "new", "tmp"].contains(name) || name == "." || name == ".." || name == blockedDirectoryName { continue }
            let child = dir.appendingPathComponent(name)
            guard directoryExists(child) else { continue }
            if isMaildirFolder(child) {
                // Maildir++ (".Sent", ".Archive.2019") or LAYOUT=fs ("Sent", "Archive/2019").
                let plain = name.hasPrefix(".") ? String(name.dropFirst()) : name
                let folder = prefix.map { "\($0)/\(plain)" } ?? plain
                found.append(MailContainer(kind: .maildirFolder, url: child, folder: folder, store: store))
                if !name.hasPrefix(".") { collectSubfolders(of: child, prefix: folder, store: store, into: &found) }
            } else if !name.hasPrefix(".") {
                // LAYOUT=fs parents may be plain directories holding folders.
                let plainPrefix = prefix.map { "\($0)/\(name)" } ?? name
                collectSubfolders(of: child, prefix: plainPrefix, store: store, into: &found)
            }
        }
    }

    // MARK: - Other directories

    private static func walk(_ dir: URL, into found: inout [MailContainer]) {
        for name in sortedEntries(of: dir) where name != blockedDirectoryName {
            let child = dir.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: child.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                if isMaildirFolder(child) {
                    collectMaildir(root: child, into: &found)
                } else {
                    walk(child, into: &found)
                }
            } else {
                if isArchiveName(name) {
                    found.append(MailContainer(kind: .archive, url: child, folder: name))
                } else if name.lowercased().hasSuffix(".eml") {
                    found.append(MailContainer(kind: .messageFile, url: child, folder: dir.lastPathComponent))
                } else if sniff(child) == .mbox {
                    found.append(MailContainer(kind: .mbox, url: child, folder: name))
                }
            }
        }
    }

    // MARK: - Helpers

    /// Backup archive names: tar in any compression, and zip.
    public static func isArchiveName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst", ".zip"]
            .contains { lower.hasSuffix($0) }
    }

    enum FileKind { case mbox, message, empty, other }

    /// Looks at a file's first bytes.
    static func sniff(_ url: URL) -> FileKind {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return .other }
        defer { try? handle.close() }
        var head = [UInt8]((try? handle.read(upToCount: 4096)) ?? Data())
        if head.isEmpty { return .empty }
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }
        if head.starts(with: Array("From ".utf8)) {
            // "From  : John" is a header field in obsolete syntax, not a separator line.
            let rest = head.dropFirst(4).prefix(while: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            let next = head.dropFirst(4 + rest.count).first
            if next != UInt8(ascii: ":") { return .mbox }
        }
        // A message starts with a header field: a name of printable characters, then a colon.
        var i = 0
        while i < head.count, head[i] > 32, head[i] < 127, head[i] != UInt8(ascii: ":") { i += 1 }
        if i > 0, i < head.count, head[i] == UInt8(ascii: ":") { return .message }
        return .other
    }

    private static func directoryExists(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func sortedEntries(of dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }
}
