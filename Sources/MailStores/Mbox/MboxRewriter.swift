import FileSystem
import Foundation
import PrivacyEvents

/// Removes messages from an mbox without losing or changing any other byte of it.
///
/// Under the mailbox's locks (``MailboxLock``), the mbox is read again and the messages to
/// remove are found by content hash, so mail delivered since the plan was made is kept and a
/// message that changed is not removed. The kept bytes are copied verbatim to a
/// ``ReplacementFile`` in the same directory, which is fsynced and read back (every kept
/// message's hash in order, no removed hash anywhere) before it is renamed over the mbox and the
/// directory is fsynced. Killed at any moment, the mbox is either the old or the new file, whole.
public struct MboxRewriter {
    /// A message that was (or would be) removed.
    public struct Removed: Sendable {
        /// Its 0-based index in the mbox before the rewrite.
        public var index: Int
        /// SHA-256 of the message bytes (without the `From ` line).
        public var contentHash: String
        /// The stored bytes, `From ` line included, exactly as they were in the mbox.
        public var storedBytes: [UInt8]
    }

    /// What a rewrite did.
    public struct Result: Sendable {
        public var removed: [Removed]
        public var keptCount: Int
        public var oldSize: Int
        public var newSize: Int
        /// Hard links to the mbox besides its own name: they keep the old content.
        public var otherLinks: Int
    }

    public let path: String
    public let lockTimeout: TimeInterval
    public let limits: ReadLimits

    public init(path: String, lockTimeout: TimeInterval = 30, limits: ReadLimits = .standard) {
        self.path = path
        self.lockTimeout = lockTimeout
        self.limits = limits
    }

    /// The hash a message is compared by: its content's, or for one too large to read, its
    /// size and place (it is kept, never removed).
    private static func key(_ message: StoredMessage) -> String {
        if let bytes = message.bytes { return ContentHash.sha256(bytes) }
        return "unread:\(message.size)"
    }

    /// Removes every message whose content hash is in `hashes` (every occurrence).
    ///
    /// `beforeReplace` runs with the removed messages while the locks are held, after the new
    /// file is complete and verified and before it replaces the mbox: a caller keeping blocked
    /// copies writes them there, so a crash leaves a message in both places, never in neither.
    /// - Throws: ``PrivctlError``; the mbox is then unchanged.
    public func remove(
        contentHashes hashes: Set<String>, beforeReplace: ([Removed]) throws -> Void = { _ in }
    ) throws -> Result {
        let lock = try MailboxLock(path: path, timeout: lockTimeout)
        defer { lock.release() }
        let container = MailContainer(format: MboxFormat(), path: path, folder: "")
        // What a killed run left is removed first, also when nothing is removed now (a run
        // killed after its rename left an empty private directory): it was never renamed, so
        // it is nobody's mailbox.
        try ReplacementFile.removeLeftovers(for: lock.name, in: lock.directory)

        // What the mbox holds now, read through the locked descriptor.
        var ranges: [(range: Range<Int>, hash: String)] = []
        let reader = MboxFile(container, file: lock.file, limits: limits)
        try reader.forEachBatch { batch in
            for message in batch { ranges.append((message.byteRange!, Self.key(message))) }
        }
        let leading = reader.skippedLeadingBytes
        let info = try lock.file.info()
        let removing = ranges.indices.filter { hashes.contains(ranges[$0].hash) }
        guard !removing.isEmpty else {
            return Result(removed: [], keptCount: ranges.count, oldSize: info.size, newSize: info.size, otherLinks: info.linkCount - 1)
        }
        let removeSet = Set(removing)
        var removed: [Removed] = []
        for i in removing {
            let r = ranges[i].range
            removed.append(Removed(index: i, contentHash: ranges[i].hash, storedBytes: try lock.file.read(at: r.lowerBound, count: r.count)))
        }

        // The new file, beside the old one.
        let replacement = try ReplacementFile(for: lock.name, in: lock.directory, attributes: info)
        var newSize = 0
        func copy(_ range: Range<Int>) throws {
            var offset = range.lowerBound
            while offset < range.upperBound {
                let count = min(1 << 20, range.upperBound - offset)
                try replacement.file.write(try lock.file.read(at: offset, count: count))
                offset += count
                newSize += count
            }
        }
        if leading > 0 { try copy(0..<leading) }
        var keptHashes: [String] = []
        for (i, message) in ranges.enumerated() where !removeSet.contains(i) {
            try copy(message.range)
            keptHashes.append(message.hash)
        }
        // Each kept range carries its own separator line, so every kept message reads back
        // byte for byte as before, wherever its neighbours went.
        try replacement.file.sync()

        // Read the new file back before it may replace anything.
        var check: [String] = []
        do {
            try MboxFile(MailContainer(format: MboxFormat(), path: replacement.temporaryPath, folder: ""), file: replacement.openCopy(), limits: limits)
                .forEachBatch { batch in
                    for message in batch { check.append(Self.key(message)) }
                }
        } catch {
            if !keptHashes.isEmpty {
                throw PrivctlError(.failed, path: path, problem: "the rewritten mbox cannot be read back (\(error)); the original is unchanged")
            }
        }
        guard check == keptHashes, !check.contains(where: { hashes.contains($0) }) else {
            throw PrivctlError(.failed, path: path, problem: "the rewritten mbox did not read back as expected; the original is unchanged")
        }

        // A writer that ignores every lock may have appended meanwhile: the mbox must still be
        // what was read, under its name, or nothing is replaced.
        let now = try lock.file.info()
        guard now.size == info.size, now.modified == info.modified, let named = try lock.directory.info(lock.name),
            named.isSameFile(as: info)
        else {
            replacement.abandon()
            throw PrivctlError(
                .changedWhileRead, path: path,
                problem: "changed while privctl rewrote it (a program wrote without taking the mailbox locks); the original is unchanged; run again")
        }
        try beforeReplace(removed)
        try replacement.commit()
        return Result(removed: removed, keptCount: keptHashes.count, oldSize: info.size, newSize: newSize, otherLinks: info.linkCount - 1)
    }
}
