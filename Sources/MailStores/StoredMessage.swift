import Foundation

/// A message as a store holds it, before parsing: where it is, its identity and its bytes.
public struct StoredMessage: Sendable {
    /// The container it is in.
    public var container: MailContainer
    /// Its name in the container: `cur/NAME` or `new/NAME` in a Maildir folder, `#N` in an mbox
    /// (N the 0-based message index), "" for a message file.
    public var item: String
    /// A key that stays the same while the message is unchanged: for Maildir the store and the
    /// unique name (flags, `new/`→`cur/` and moves between folders do not change it), for mbox
    /// the file and the byte offset, which the pipeline replaces with a content hash.
    public var identity: String
    /// Size in bytes as stored.
    public var size: Int
    /// Maildir flags from the `:2,` suffix (for example "RS"), nil elsewhere.
    public var flags: String?
    /// When the store received it: the Maildir unique name's time, or the mbox `From ` line's
    /// date. Used when a message has no usable Date header.
    public var deliveredAt: Date?
    /// The message bytes when the store already read them (mbox); nil means read ``filePath``.
    public var bytes: [UInt8]?
    /// The file holding exactly this message (Maildir, message file), nil for mbox. A path, not
    /// a URL: building a URL per message costs more than reading a small message.
    public var filePath: String?
    /// For mbox: where the `From ` line starts and where the message ends, in the file.
    public var byteRange: Range<Int>?

    public init(
        container: MailContainer, item: String, identity: String, size: Int, flags: String? = nil,
        deliveredAt: Date? = nil, bytes: [UInt8]? = nil, filePath: String? = nil, byteRange: Range<Int>? = nil
    ) {
        self.container = container
        self.item = item
        self.identity = identity
        self.size = size
        self.flags = flags
        self.deliveredAt = deliveredAt
        self.bytes = bytes
        self.filePath = filePath
        self.byteRange = byteRange
    }

    /// The path shown to users: the message file, `MBOX#N`, or `ARCHIVE!MEMBER` (`#N` added
    /// for a message of an mbox member).
    public var displayPath: String {
        switch container.kind {
        case .mbox, .archive: return container.path + item
        case .maildirFolder: return container.path + "/" + item
        case .messageFile: return container.path
        }
    }

    /// The message bytes, reading the file if the store did not.
    public func readBytes() throws(StoreError) -> [UInt8] {
        if let bytes { return bytes }
        guard let filePath else { return [] }
        return try FileReader.readAll(filePath)
    }
}
