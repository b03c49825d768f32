/// Where a piece of personal data lives.
///
/// For live mail `store` is the Maildir folder or mbox file and `item` the message file name or
/// `#N` index; for a backup, `store` is the archive and `item` the member name.
public struct DataLocation: Hashable, Sendable, Codable {
    /// The container: a Maildir folder, an mbox file, an archive.
    public var store: String
    /// The item in it: a message file, `#N` in an mbox, an archive member; nil for the whole store.
    public var item: String?
    /// The Message-ID in plain text, as events recorded before 2026-12 carry it; privctl no
    /// longer writes it (see ``messageIDHash``).
    public var messageID: String?
    /// The keyed hash of the Message-ID (``PseudonymKey/messageIDHash(for:)``), when the data is
    /// a message that has one.
    public var messageIDHash: String?
    /// SHA-256 (hex) of the data's bytes, when known: ties the event to exact content.
    public var contentHash: String?

    public init(
        store: String, item: String? = nil, messageID: String? = nil, messageIDHash: String? = nil,
        contentHash: String? = nil
    ) {
        self.store = store
        self.item = item
        self.messageID = messageID
        self.messageIDHash = messageIDHash
        self.contentHash = contentHash
    }
}
