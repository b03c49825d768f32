import FileSystem
import Foundation

/// A place that holds messages: a Maildir folder, an mbox file, a single message file, a backup
/// archive. What it is and how it is read and changed is its ``format``.
public struct MailContainer: Hashable, Sendable {
    /// The format: how this container is read and changed.
    public let format: any MailStoreFormat
    /// The folder directory, the mbox, message or archive file: absolute, resolved once (links
    /// the user named followed, none after).
    public let path: String
    /// The folder name as a mail client shows it: "INBOX" for a Maildir's top level, "Sent" or
    /// "Archive.2019" for Maildir++ folders, the file name for an mbox.
    public var folder: String
    /// The store the container belongs to: the Maildir's top directory for every folder of a
    /// Maildir, the file itself otherwise. Messages keep their identity when they move between
    /// folders of one store.
    public let storePath: String

    public init(format: any MailStoreFormat, path: String, folder: String, storePath: String? = nil) {
        self.format = format
        self.path = path
        self.folder = folder
        self.storePath = storePath ?? path
    }

    /// The path as a file URL.
    public var url: URL { URL(fileURLWithPath: path) }
    /// The store's path as a file URL.
    public var store: URL { URL(fileURLWithPath: storePath) }

    /// Calls `body` with batches of this container's messages (see
    /// ``MailStoreFormat/forEachBatch(of:size:limits:_:)``).
    public func forEachBatch(size: Int = 256, limits: ReadLimits = .standard, _ body: ([StoredMessage]) throws -> Void) throws {
        try format.forEachBatch(of: self, size: size, limits: limits, body)
    }

    public static func == (lhs: MailContainer, rhs: MailContainer) -> Bool {
        lhs.format.name == rhs.format.name && lhs.path == rhs.path && lhs.folder == rhs.folder && lhs.storePath == rhs.storePath
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(format.name)
        hasher.combine(path)
    }
}
