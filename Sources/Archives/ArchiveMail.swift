import FileSystem
import Foundation
import MailStores
import PrivacyEvents

/// The mail inside a backup archive, read as a stream: Maildir message files (members under a
/// `cur/` or `new/` directory at any depth), mbox files (members whose content starts with a
/// `From ` line) and `.eml` files become ``StoredMessage``s named `ARCHIVE!MEMBER` (plus `#N`
/// for the messages of an mbox member).
///
/// Nothing is unpacked to disk: member names are only data (`..`, absolute paths and links are
/// never resolved), and memory holds one batch of messages at a time, even for a large mbox
/// member.
public struct ArchiveMail {
    public let container: MailContainer
    public let limits: ReadLimits

    public init(_ container: MailContainer, limits: ReadLimits = .standard) {
        self.container = container
        self.limits = limits
    }

    /// Reads the archive once: `onMessages` gets the mail of each member in batches (one
    /// message for a Maildir or `.eml` member; the messages of an mbox member, with `byteRange`
    /// relative to the member's data) together with the member's position.
    ///
    /// Every member's checksum and the archive's own integrity are checked as it streams by
    /// (``ArchiveReader``). A damaged archive throws ``PrivctlError/Code/corrupt`` naming the
    /// archive, even after messages of members before the damage were handed out; with
    /// ``ReadLimits/salvage`` it is read on past the damage instead, and every damaged member
    /// (and damage outside any member: a skipped header, the compressed stream's checksum, a
    /// truncated end) is handed out as a message without bytes whose ``StoredMessage/problem``
    /// says what is wrong (position -1 for damage outside a member).
    public func read(
        batchSize: Int = 256, onMessages: (Int, [StoredMessage]) throws -> Void
    ) throws {
        do {
            try readMembers(batchSize: batchSize, onMessages: onMessages)
        } catch let error as PrivctlError where error.code == .corrupt && !limits.salvage {
            throw PrivctlError(
                .corrupt, path: container.path,
                problem: "damaged archive: \(error.problem); privctl leaves it as it is (--salvage rebuilds it without the damaged members)")
        }
    }

    /// A message that stands for damage: no bytes, only the problem, never silently skipped.
    private func damaged(_ problem: PrivctlError, item: String, part: Int?) -> StoredMessage {
        var message = StoredMessage(
            container: container, item: item, identity: "archive:\(container.path)\(item)", size: 0)
        message.part = part
        message.problem = PrivctlError(.corrupt, path: container.path + item, problem: problem.problem)
        return message
    }

    private func readMembers(
        batchSize: Int, onMessages: (Int, [StoredMessage]) throws -> Void
    ) throws {
        let reader = try ArchiveReader(url: container.url, salvage: limits.salvage)
        var index = 0
        var readAsMessages = Set<String>()
        while let member = try reader.nextMember() {
            defer { index += 1 }
            let kind = Self.mailKind(of: member)
            switch kind {
            case .maildir, .eml:
                let folder = Self.folder(of: member.name)
                let name = (member.name as NSString).lastPathComponent
                let parts = MaildirName(name)
                var message = StoredMessage(
                    container: MailContainer(format: container.format, path: container.path, folder: folder),
                    item: "!" + member.name, identity: "archive:\(container.path)!\(member.name)", size: member.size,
                    flags: parts.flags, deliveredAt: parts.time ?? member.modified)
                message.part = index
                if member.size == 0 && member.linkCount > 1 && reader.storesLinkDataLast {
                    // cpio (newc) stores a hard-linked file's content once, with its last name:
                    // this name's content is elsewhere, so it cannot be searched as a message.
                    try reader.readData { _ in }
                    message.problem = PrivctlError(
                        .unsupported, path: container.path + message.item,
                        problem: "a hard-linked message whose content the archive stores under another of its names (cpio)")
                } else if member.size > limits.maxMessageSize {
                    // Hashed as it streams by, never held: reported, not read.
                    try reader.readData { _ in }
                    message.problem = PrivctlError(
                        .tooLarge, path: container.path + message.item,
                        problem: "message of \(member.size) bytes, more than the limit of \(limits.maxMessageSize) bytes; not read (--max-message-size)")
                } else {
                    // A member whose header says less than it holds is still read only up to the limit.
                    var bytes: [UInt8] = []
                    var tooLarge = false
                    try reader.readData { block in
                        if bytes.count + block.count > limits.maxMessageSize {
                            tooLarge = true
                            bytes = []
                        }
                        if !tooLarge { bytes.append(contentsOf: block) }
                    }
                    if tooLarge {
                        message.problem = PrivctlError(
                            .tooLarge, path: container.path + message.item,
                            problem: "message larger than the limit of \(limits.maxMessageSize) bytes; not read (--max-message-size)")
                    } else {
                        message.size = bytes.count
                        message.bytes = bytes
                    }
                }
                if let damage = reader.currentMemberDamage {
                    message = damaged(damage, item: message.item, part: index)
                }
                readAsMessages.insert(member.name)
                try onMessages(index, [message])
            case .maybeMbox:
                // Look at the first block: an mbox starts with `From `.
                var first = try reader.nextDataBlock()
                let looksLikeMbox = first.starts(with: Array("From ".utf8))
                    || first.starts(with: [0xEF, 0xBB, 0xBF] + Array("From ".utf8))
                guard looksLikeMbox else {
                    while !first.isEmpty {
                        first = try reader.nextDataBlock()
                            }
                    break
                }
                var pendingFirst: [UInt8]? = first
                let mbox = MboxFile(MailContainer(format: MboxFormat(), path: container.path, folder: Self.folder(of: member.name)), limits: limits)
                try mbox.forEachBatch(size: batchSize, reading: {
                    if let chunk = pendingFirst {
                        pendingFirst = nil
                        return chunk
                    }
                    let chunk = try reader.nextDataBlock()
                    return chunk
                }) { batch in
                    let renamed = batch.map { original in
                        var message = original
                        message.item = "!" + member.name + original.item
                        message.identity = "archive:\(container.path)\(message.item)"
                        message.container = MailContainer(format: container.format, path: container.path, folder: mbox.container.folder)
                        message.part = index
                        // Named by member and position, as every archive message.
                        message.identifiedByContent = false
                        if let problem = message.problem {
                            message.problem = PrivctlError(problem.code, path: container.path + message.item, problem: problem.problem)
                        }
                        return message
                    }
                    try onMessages(index, renamed)
                }
            case .other:
                try reader.readData { _ in }
                // A message stored as a hard link to a member that was not read as mail (tar
                // keeps the data under the first name): its content was not searched.
                if member.kind == .hardlink, let target = member.linkTarget, !readAsMessages.contains(target),
                    [.maildir, .eml].contains(Self.mailKind(ofName: member.name))
                {
                    var message = StoredMessage(
                        container: container, item: "!" + member.name, identity: "archive:\(container.path)!\(member.name)", size: 0)
                    message.part = index
                    message.problem = PrivctlError(
                        .unsupported, path: container.path + "!" + member.name,
                        problem: "a hard link to \(target), which privctl does not read as mail; its content was not searched")
                    try onMessages(index, [message])
                }
            }
            if let damage = reader.currentMemberDamage, kind != .maildir, kind != .eml {
                try onMessages(index, [damaged(damage, item: "!" + member.name, part: index)])
            }
        }
        let outside = reader.damage.enumerated().filter { $0.element.index == nil }
        if !outside.isEmpty {
            try onMessages(-1, outside.map { damaged($0.element.problem, item: "!#damage-\($0.offset)", part: nil) })
        }
    }

    enum MailKind { case maildir, eml, maybeMbox, other }

    /// What a member probably holds, from its name and kind.
    static func mailKind(of member: ArchiveMember) -> MailKind {
        guard member.kind == .file else { return .other }
        return mailKind(ofName: member.name)
    }

    /// What a file of this name probably holds.
    static func mailKind(ofName path: String) -> MailKind {
        let components = path.split(separator: "/")
        if components.count >= 2, ["cur", "new"].contains(components[components.count - 2]) { return .maildir }
        if path.lowercased().hasSuffix(".eml") { return .eml }
        if LogFileName.isLogPath(path) || components.last?.hasPrefix(".") == true { return .other }
        if components.contains(where: { $0 == "tmp" }) { return .other }
        let name = String(components.last ?? "")
        // Dovecot's and other programs' files are never mail.
        if name.hasPrefix("dovecot") || name == "subscriptions" || name == "maildirfolder" { return .other }
        return .maybeMbox
    }

    /// The mail folder a member belongs to: the Maildir++ folder (`.Sent` → "Sent") above
    /// `cur/`, or the mbox file's name.
    static func folder(of name: String) -> String {
        let components = name.split(separator: "/").map(String.init)
        if components.count >= 3, ["cur", "new"].contains(components[components.count - 2]) {
            let folder = components[components.count - 3]
            if folder.hasPrefix(".") { return String(folder.dropFirst()) }
            return "INBOX"
        }
        return components.last ?? name
    }
}
