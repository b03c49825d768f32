import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads the messages of one Maildir folder: the files in `cur/` and `new/`.
///
/// File names follow the Maildir convention `TIME.UNIQUE.HOST[,S=SIZE][,W=SIZE][:2,FLAGS]`. The
/// part before `:2,` is the message's unique name and stays when flags change, the message
/// moves from `new/` to `cur/`, or a client moves it to another folder of the same Maildir. `tmp/` holds deliveries in progress and is never read, nor are
/// names starting with a dot.
public struct MaildirFolder: Sendable {
    public let container: MailContainer

    public init(_ container: MailContainer) {
        self.container = container
    }

    /// Calls `body` with batches of messages, streaming the directory listing so memory stays
    /// bounded by the batch size, not the folder size.
    public func forEachBatch(size: Int = 512, _ body: ([StoredMessage]) throws -> Void) throws {
        var batch: [StoredMessage] = []
        batch.reserveCapacity(size)
        for sub in ["new", "cur"] {
            let dirPath = container.url.appendingPathComponent(sub).path
            guard let dir = opendir(dirPath) else { continue }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name.hasPrefix(".") { continue }
                let type = entry.pointee.d_type
                if type != UInt8(DT_REG) && type != UInt8(DT_UNKNOWN) && type != UInt8(DT_LNK) { continue }
                guard let message = message(named: name, in: sub) else { continue }
                batch.append(message)
                if batch.count == size {
                    try body(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        if !batch.isEmpty { try body(batch) }
    }

    /// The message for a file name, or nil when it is not a regular file.
    func message(named name: String, in sub: String) -> StoredMessage? {
        let parts = MaildirName(name)
        let url = container.url.appendingPathComponent(sub).appendingPathComponent(name)
        var size = parts.size
        var delivered = parts.time
        if size == nil || delivered == nil {
            // Not a standard name: the file itself says how big it is and when it arrived.
            var info = stat()
            guard stat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            size = size ?? Int(info.st_size)
            delivered = delivered ?? Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec))
        }
        return StoredMessage(
            container: container, item: sub + "/" + name,
            identity: "maildir:" + container.store.path + ":" + parts.uniqueName, size: size ?? 0,
            flags: parts.flags, deliveredAt: delivered, fileURL: url)
    }
}

/// The parts of a Maildir file name.
public struct MaildirName: Sendable, Equatable {
    /// Everything before the `:2,` info (or before `:` for other info kinds).
    public var uniqueName: String
    /// The flags after `:2,`, nil when there is no info part.
    public var flags: String?
    /// The `S=` size Dovecot and Courier put in the name, when present.
    public var size: Int?
    /// The delivery time at the start of the name, when it is a number.
    public var time: Date?

    public init(_ name: String) {
        let separatorIndex = name.lastIndex(of: ":") ?? name.lastIndex(of: "!")
        if let colon = separatorIndex {
            uniqueName = String(name[..<colon])
            let info = name[name.index(after: colon)...]
            flags = info.hasPrefix("2,") ? String(info.dropFirst(2)) : nil
        } else {
            uniqueName = name
            flags = nil
        }
        size = nil
        for field in uniqueName.split(separator: ",").dropFirst() where field.hasPrefix("S=") {
            size = Int(field.dropFirst(2))
        }
        let seconds = uniqueName.prefix(while: { $0.isNumber })
        time = Double(seconds).map { Date(timeIntervalSince1970: $0) }
    }
}
