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
    private let directoryPath: String
    private let identityPrefix: String

    public init(_ container: MailContainer) {
        self.container = container
        self.directoryPath = container.path
        self.identityPrefix = "maildir:" + container.storePath + ":"
    }

    /// Calls `body` with batches of messages, streaming the directory listing so memory stays
    /// bounded by the batch size, not the folder size.
    public func forEachBatch(size: Int = 512, _ body: ([StoredMessage]) throws -> Void) throws {
        var batch: [StoredMessage] = []
        batch.reserveCapacity(size)
        for sub in ["new", "cur"] {
            let dirPath = directoryPath + "/" + sub
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
        let path = directoryPath + "/" + sub + "/" + name
        var size = parts.size
        var delivered = parts.time
        if size == nil || delivered == nil {
            // Not a standard name: the file itself says how big it is and when it arrived.
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            size = size ?? Int(info.st_size)
            delivered = delivered ?? Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec))
        }
        return StoredMessage(
            container: container, item: sub + "/" + name,
            identity: identityPrefix + parts.uniqueName, size: size ?? 0,
            flags: parts.flags, deliveredAt: delivered, filePath: path)
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
        // One pass over the bytes: this runs for every message of every run.
        let bytes = Array(name.utf8)
        var infoStart: Int? = nil
        for i in stride(from: bytes.count - 1, through: 0, by: -1)
        where bytes[i] == UInt8(ascii: ":") || bytes[i] == UInt8(ascii: "!") {
            infoStart = i
            break
        }
        let uniqueEnd = infoStart ?? bytes.count
        uniqueName = infoStart == nil ? name : String(decoding: bytes[0..<uniqueEnd], as: UTF8.self)
        if let infoStart, bytes.count - infoStart >= 3, bytes[infoStart + 1] == UInt8(ascii: "2"),
            bytes[infoStart + 2] == UInt8(ascii: ",")
        {
            flags = String(decoding: bytes[(infoStart + 3)...], as: UTF8.self)
        } else {
            flags = nil
        }
        // ",S=12345" after the first comma-separated field.
        size = nil
        var i = 0
        while i < uniqueEnd, bytes[i] != UInt8(ascii: ",") { i += 1 }
        while i + 2 < uniqueEnd {
            if bytes[i] == UInt8(ascii: ","), bytes[i + 1] == UInt8(ascii: "S"), bytes[i + 2] == UInt8(ascii: "=") {
                var value = 0, digits = 0, j = i + 3
                while j < uniqueEnd, bytes[j] >= 0x30, bytes[j] <= 0x39, digits < 18 {
                    value = value * 10 + Int(bytes[j] - 0x30)
                    digits += 1
                    j += 1
                }
                if digits > 0, j == uniqueEnd || bytes[j] == UInt8(ascii: ",") { size = value }
                break
            }
            i += 1
        }
        var seconds = 0, digits = 0
        while digits < uniqueEnd, digits < 18, bytes[digits] >= 0x30, bytes[digits] <= 0x39 {
            seconds = seconds * 10 + Int(bytes[digits] - 0x30)
            digits += 1
        }
        time = digits > 0 ? Date(timeIntervalSince1970: Double(seconds)) : nil
    }
}
