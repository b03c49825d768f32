import FileSystem
import Foundation
import PrivacyEvents

/// Reads the messages of one Maildir folder: the files in `cur/` and `new/`.
///
/// File names follow the Maildir convention `TIME.UNIQUE.HOST[,S=SIZE][,W=SIZE][:2,FLAGS]`. The
/// part before `:2,` is the message's unique name and stays when flags change, the message
/// moves from `new/` to `cur/`, or a client moves it to another folder of the same Maildir.
/// `tmp/` holds deliveries in progress and is never read, nor are names starting with a dot.
///
/// The folder is opened once (no link followed); every message is read relative to its
/// `cur/` or `new/` descriptor. An entry that is not a regular file (a link, a FIFO) is handed
/// out with its ``StoredMessage/problem``, never opened.
public struct MaildirFolder: Sendable {
    public let container: MailContainer
    private let identityPrefix: String

    public init(_ container: MailContainer) {
        self.container = container
        self.identityPrefix = "maildir:" + container.storePath + ":"
    }

    /// Calls `body` with batches of messages, streaming the directory listing so memory stays
    /// bounded by the batch size, not the folder size.
    ///
    /// - Throws: ``PrivctlError`` when the folder, its `cur/` or its `new/` cannot be opened (a
    ///   link there is not followed): the folder is then not read at all.
    public func forEachBatch(size: Int = 512, _ body: ([StoredMessage]) throws -> Void) throws {
        let folder = try Directory.open(container.path)
        var batch: [StoredMessage] = []
        batch.reserveCapacity(size)
        // A mail client's server moves new mail to cur/ while the folder is listed: a message
        // listed in new/ and again in cur/ is one message, handed out once. The unique names
        // listed in new/ with their file names there, and where the pending batch holds them.
        var delivered: [String: String] = [:]
        var pending: [String: Int] = [:]
        var newDirectory: Directory?
        for sub in ["new", "cur"] {
            guard let info = try folder.info(sub) else { continue }
            guard info.kind == .directory else {
                throw PrivctlError(
                    info.kind == .symbolicLink ? .symbolicLink : .notDirectory, path: folder.path(of: sub),
                    problem: "is a \(info.kind.rawValue), not a directory; the folder is not read")
            }
            let directory = try folder.openDirectory(sub)
            if sub == "new" { newDirectory = directory }
            let prefix = directory.path + "/"
            try directory.forEachEntry { entry in
                if entry.name.utf8.first == UInt8(ascii: ".") { return }
                let message = message(named: entry.name, kind: entry.kind, in: sub, directory: directory, prefix: prefix)
                let unique = MaildirName(entry.name).uniqueName
                if sub == "new" {
                    delivered[unique] = entry.name
                    pending[unique] = batch.count
                } else if let name = delivered[unique], let newDirectory, !Self.exists(name, in: newDirectory) {
                    // Moved from new/ since it was listed there: read here if not handed out
                    // yet, else it already was.
                    if let slot = pending[unique] { batch[slot] = message }
                    return
                }
                batch.append(message)
                if batch.count == size {
                    try body(batch)
                    batch.removeAll(keepingCapacity: true)
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }
        if !batch.isEmpty { try body(batch) }
    }

    /// Adds every message to `digest` as ``forEachBatch(size:_:)`` hands it out (item, size),
    /// from the directory listing alone; false as soon as an entry would be handed out with a
    /// problem (not a regular file, a name that is not UTF-8, a size nothing says).
    public func list(into digest: inout ListingDigest) throws -> Bool {
        let folder = try Directory.open(container.path)
        for sub in ["new", "cur"] {
            guard let info = try folder.info(sub) else { continue }
            guard info.kind == .directory else { return false }
            let directory = try folder.openDirectory(sub)
            var listable = true
            try directory.forEachEntry { entry in
                guard listable, entry.name.utf8.first != UInt8(ascii: ".") else { return }
                guard entry.kind != .unnamable else { listable = false; return }
                var size = MaildirName(entry.name).size
                var kind = entry.kind
                if size == nil || kind == nil {
                    guard let info = try? directory.info(entry.name) else { listable = false; return }
                    kind = info.kind
                    size = size ?? info.size
                }
                guard kind == .regular, let size else { listable = false; return }
                digest.add(item: sub + "/" + entry.name, size: size)
            }
            guard listable else { return false }
        }
        return true
    }

    /// The identity of every message file in `new/` and `cur/` now, from the listing alone,
    /// with the number of files that have it.
    public func identities() throws -> [String: Int] {
        let folder = try Directory.open(container.path)
        var found: [String: Int] = [:]
        for sub in ["new", "cur"] {
            guard let info = try folder.info(sub), info.kind == .directory else { continue }
            try folder.openDirectory(sub).forEachEntry { entry in
                guard entry.name.utf8.first != UInt8(ascii: ".") else { return }
                found[identityPrefix + MaildirName(entry.name).uniqueName, default: 0] += 1
            }
        }
        return found
    }

    /// Whether `name` is still an entry of `directory` (no link followed).
    private static func exists(_ name: String, in directory: Directory) -> Bool {
        (try? directory.info(name)) != nil
    }

    /// The message for a directory entry.
    func message(named name: String, kind: FileInfo.Kind?, in sub: String, directory: Directory, prefix: String) -> StoredMessage {
        let parts = MaildirName(name)
        let path = prefix + name
        var size = parts.size
        var delivered = parts.time
        var problem: PrivctlError?
        var kind = kind
        if kind != .unnamable && (size == nil || delivered == nil || kind == nil) {
            // Not a standard name: the file itself says how big it is and when it arrived.
            if let info = try? directory.info(name) {
                kind = info.kind
                size = size ?? info.size
                delivered = delivered ?? Date(timeIntervalSince1970: info.modified)
            }
        }
        if let kind, kind != .regular {
            problem = PrivctlError(
                kind == .symbolicLink ? .symbolicLink : .notRegularFile, path: path,
                problem: kind == .symbolicLink ? "is a symbolic link; not followed" : "is a \(kind.rawValue); not opened")
        }
        var message = StoredMessage(
            container: container, item: sub + "/" + name,
            identity: identityPrefix + parts.uniqueName, size: size ?? 0,
            flags: parts.flags, deliveredAt: delivered, filePath: path, directory: directory)
        message.fileName = name
        message.problem = problem
        return message
    }
}
