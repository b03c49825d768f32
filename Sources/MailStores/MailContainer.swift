import Foundation

/// A place that holds messages: a Maildir folder, an mbox file, or a single message file.
public struct MailContainer: Hashable, Sendable {
    /// What kind of container this is.
    public enum Kind: String, Sendable {
        /// One Maildir folder (its `cur/` and `new/`); Maildir++ subfolders are containers of
        /// their own.
        case maildirFolder = "maildir"
        /// An mbox file.
        case mbox
        /// A file holding one message (`.eml`).
        case messageFile = "eml"
        /// A backup archive (tar, tar.gz, zip, …) whose members are Maildir trees, mbox files
        /// and message files; read through the Archives module.
        case archive
    }

    public var kind: Kind
    /// The folder directory, the mbox file or the message file (absolute, symlinks resolved).
    public let url: URL
    /// The folder name as a mail client shows it: "INBOX" for a Maildir's top level, "Sent" or
    /// "Archive.2019" for Maildir++ folders, the file name for an mbox.
    public var folder: String
    /// The store the container belongs to: the Maildir's top directory for every folder of a
    /// Maildir, the file itself for an mbox or message file. Messages keep their identity when
    /// they move between folders of one store.
    public let store: URL

    /// The path, as used in output and in the ledger (kept, not derived: it is read per message).
    public let path: String
    /// The store's path.
    public let storePath: String

    public init(kind: Kind, url: URL, folder: String, store: URL? = nil) {
        self.kind = kind
        self.url = url
        self.folder = folder
        self.store = store ?? url
        self.path = url.path
        self.storePath = (store ?? url).path
    }
}
