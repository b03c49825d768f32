import FileSystem
import Foundation

/// A message as a store holds it, before parsing: where it is, its identity and its bytes.
public struct StoredMessage: Sendable {
    /// The container it is in.
    public var container: MailContainer
    /// Its name in the container: `cur/NAME` or `new/NAME` in a Maildir folder, `#N` in an mbox
    /// (N the 0-based message index), `!MEMBER[#N]` in an archive, "" for a message file.
    public var item: String
    /// A key that stays the same while the message is unchanged: for Maildir the store and the
    /// unique name (flags, `new/`→`cur/` and moves between folders do not change it), for mbox
    /// the file and the byte offset, which the pipeline replaces with a content hash (see
    /// ``identifiedByContent``).
    public var identity: String
    /// Size in bytes as stored.
    public var size: Int
    /// Maildir flags from the `:2,` suffix (for example "RS"), nil elsewhere.
    public var flags: String?
    /// When the store received it: the Maildir unique name's time, or the mbox `From ` line's
    /// date. Used when a message has no usable Date header.
    public var deliveredAt: Date?
    /// The message bytes when the store already read them (mbox, archives); nil means read the
    /// file (``readBytes(limits:)``).
    public var bytes: [UInt8]?
    /// The file holding exactly this message (Maildir, message file), nil for mbox. A path, not
    /// a URL: building a URL per message costs more than reading a small message.
    public var filePath: String?
    /// The open directory holding ``filePath``, which it is read through (no path resolved per
    /// message, no link followed), and the file's name in it.
    public var directory: Directory?
    public var fileName: String?
    /// For mbox: where the `From ` line starts and where the message ends, in the file (or in
    /// the archive member's data).
    public var byteRange: Range<Int>?
    /// For a message inside an archive: the position of the member holding it.
    public var part: Int?
    /// Whether the stored bytes quote `From ` lines mbox-style (`>From `): the parser sees
    /// them unquoted (``parseableBytes(_:)``).
    public var quotesFromLines = false
    /// Whether the message is identified by its content (an mbox has no names): the pipeline
    /// replaces ``identity`` with one built from the content hash.
    public var identifiedByContent = false
    /// Why the message could not be handed out with its bytes (too large, a link, a FIFO):
    /// callers report it, never skip it silently.
    public var problem: PrivctlError?

    public init(
        container: MailContainer, item: String, identity: String, size: Int, flags: String? = nil,
        deliveredAt: Date? = nil, bytes: [UInt8]? = nil, filePath: String? = nil, directory: Directory? = nil,
        byteRange: Range<Int>? = nil
    ) {
        self.container = container
        self.item = item
        self.identity = identity
        self.size = size
        self.flags = flags
        self.deliveredAt = deliveredAt
        self.bytes = bytes
        self.filePath = filePath
        self.directory = directory
        self.byteRange = byteRange
    }

    /// The path shown to users: the message file, `MBOX#N`, or `ARCHIVE!MEMBER` (`#N` added
    /// for a message of an mbox member).
    public var displayPath: String {
        guard let first = item.utf8.first else { return container.path }
        if first == UInt8(ascii: "#") || first == UInt8(ascii: "!") { return container.path + item }
        return container.path + "/" + item
    }

    /// The message bytes, reading the file if the store did not.
    ///
    /// - Throws: ``PrivctlError``: the message's ``problem``, or why the file could not be read
    ///   (``PrivctlError/Code/tooLarge`` above `limits`).
    public func readBytes(limits: ReadLimits = .standard) throws(PrivctlError) -> [UInt8] {
        if let problem { throw problem }
        if let bytes { return bytes }
        guard let filePath else { return [] }
        let file: OpenFile
        if let directory {
            file = try directory.openFile(fileName ?? FileSystem.split(filePath).name)
        } else {
            file = try FileSystem.openFile(atPath: filePath)
        }
        return try file.readAll(limit: limits.maxMessageSize)
    }

    /// The bytes as the parser must see them: mbox `>From ` quoting undone where the store
    /// quotes.
    public func parseableBytes(_ raw: [UInt8]) -> [UInt8] {
        quotesFromLines ? MboxFile.unescape(raw) : raw
    }
}
