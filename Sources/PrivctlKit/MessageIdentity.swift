import FileSystem
import MailStores
import SQLiteLedger

/// The scan index's key for a message, the same for `classify`, `erase` and `expire`.
enum MessageIdentity {
    /// An mbox message is known by its content: the `occurrence`-th message (from 0) with this
    /// hash in that mbox, so removing an earlier message does not change a later one's identity.
    static func mbox(path: String, contentHash: String, occurrence: Int) -> String {
        "mbox:\(path):\(contentHash):\(occurrence)"
    }

    /// A copy of the message `identity` names, in the folder `container`: a file whose unique
    /// name another file of the store has too. A file name cannot hold `/`, so no unique name
    /// makes this key; `number` tells apart further copies in one folder (cur/X and new/X
    /// beside each other, names that differ only in Unicode normalisation) after `//`, which a
    /// resolved folder path never holds.
    static func copy(of identity: String, in container: String, number: Int = 1) -> String {
        "\(identity)/copy\(container)" + (number > 1 ? "//\(number)" : "")
    }

    /// Whether `key` is a copy's key of the message `identity` names (see ``copy(of:in:number:)``).
    static func isCopy(_ key: String, of identity: String) -> Bool {
        key.utf8.starts(with: (identity + "/copy").utf8)
    }
}

extension IndexedMessage {
    /// Whether the file the row names is still where the row says (a regular file, no link
    /// followed): then a file of the same unique name elsewhere is a copy, not this one moved.
    var fileIsStillThere: Bool {
        guard !item.isEmpty, !item.hasPrefix("#") else { return false }
        return (try? FileSystem.info(atPath: container + "/" + item))??.kind == .regular
    }
}
