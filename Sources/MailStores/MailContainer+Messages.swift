import Foundation

extension MailContainer {
    /// Calls `body` with batches of this container's messages, whatever its kind: Maildir
    /// files (not read yet), mbox messages (with their bytes), or the one message of a message
    /// file. At most `size` messages per batch. Archives are read by `ArchiveMail` in
    /// PrivctlKit (this module does not link libarchive); here they have no messages.
    public func forEachBatch(size: Int = 256, _ body: ([StoredMessage]) throws -> Void) throws {
        switch kind {
        case .maildirFolder:
            try MaildirFolder(self).forEachBatch(size: size, body)
        case .mbox:
            try MboxFile(self).forEachBatch(size: size, body)
        case .messageFile:
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return }
            try body([StoredMessage(
                container: self, item: "", identity: "file:" + path, size: (attributes[.size] as? Int) ?? 0,
                deliveredAt: attributes[.modificationDate] as? Date, filePath: path)])
        case .archive:
            return
        }
    }
}
