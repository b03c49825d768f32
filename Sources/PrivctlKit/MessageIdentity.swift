import MailStores

/// The scan index's key for a message, the same for `classify`, `erase` and `expire`.
enum MessageIdentity {
    /// An mbox message is known by its content: the `occurrence`-th message (from 0) with this
    /// hash in that mbox, so removing an earlier message does not change a later one's identity.
    static func mbox(path: String, contentHash: String, occurrence: Int) -> String {
        "mbox:\(path):\(contentHash):\(occurrence)"
    }
}
