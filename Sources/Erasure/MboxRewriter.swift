import Foundation
import MailStores
import PrivacyEvents

#if canImport(Glibc)
    import Glibc
#endif

/// Removes messages from an mbox without losing or changing any other byte of it.
///
/// Under the mailbox's locks (``MailboxLock``), the mbox is read again and the messages to
/// remove are found by content hash, so mail delivered since the plan was made is kept and a
/// message that changed is not removed. The kept bytes are copied verbatim to a temporary file
/// in the same directory, which is fsynced and read back (every kept message's hash in order, no
/// removed hash anywhere) before it is renamed over the mbox and the directory is fsynced.
/// Killed at any moment, the mbox is either the old or the new file, whole.
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
    }

    public let path: String
    public let lockTimeout: TimeInterval

    public init(path: String, lockTimeout: TimeInterval = 30) {
        self.path = path
        self.lockTimeout = lockTimeout
    }

    /// Removes every message whose content hash is in `hashes` (every occurrence).
    ///
    /// `beforeReplace` runs with the removed messages while the locks are held, after the new
    /// file is complete and verified and before it replaces the mbox: a caller keeping blocked
    /// copies writes them there, so a crash leaves a message in both places, never in neither.
    /// - Throws: ``ErasureError``; the mbox is then unchanged.
    public func remove(
        contentHashes hashes: Set<String>, beforeReplace: ([Removed]) throws -> Void = { _ in }
    ) throws -> Result {
        let lock = try MailboxLock(path: path, timeout: lockTimeout)
        defer { lock.release() }
        let container = MailContainer(kind: .mbox, url: URL(fileURLWithPath: path), folder: "")

        // What the mbox holds now, read through the locked descriptor.
        var ranges: [(range: Range<Int>, hash: String)] = []
        var leading = 0
        do {
            let reader = MboxFile(container, descriptor: lock.descriptor)
            try reader.forEachBatch { batch in
                for message in batch { ranges.append((message.byteRange!, ContentHash.sha256(message.bytes ?? []))) }
            }
            leading = reader.skippedLeadingBytes
        } catch let error as StoreError {
            throw ErasureError(path: path, problem: error.problem)
        }
        var info = stat()
        fstat(lock.descriptor, &info)
        let oldSize = Int(info.st_size)
        let removing = ranges.indices.filter { hashes.contains(ranges[$0].hash) }
        guard !removing.isEmpty else {
            return Result(removed: [], keptCount: ranges.count, oldSize: oldSize, newSize: oldSize)
        }
        let removeSet = Set(removing)
        var removed: [Removed] = []
        for i in removing {
            let r = ranges[i].range
            removed.append(Removed(
                index: i, contentHash: ranges[i].hash,
                storedBytes: try DurableFile.read(lock.descriptor, offset: r.lowerBound, count: r.count, path: path)))
        }

        // The new file, beside the old one. A temporary file left by a killed run is removed
        // first: it was never renamed, so it is nobody's mailbox.
        let directory = DurableFile.directory(of: path)
        let name = URL(fileURLWithPath: path).lastPathComponent
        for leftover in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where leftover.hasPrefix("." + name + ".privctl-") && leftover.hasSuffix(".tmp") {
            unlink(directory + "/" + leftover)
        }
        let temporary = directory + "/." + name + ".privctl-\(getpid()).tmp"
        let out = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(info.st_mode & 0o7777))
        guard out >= 0 else {
            throw ErasureError(path: path, problem: "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        var replaced = false
        defer {
            close(out)
            if !replaced { unlink(temporary) }
        }
        if getuid() == 0 { _ = fchown(out, info.st_uid, info.st_gid) }
        var newSize = 0
        func copy(_ range: Range<Int>) throws {
            var offset = range.lowerBound
            while offset < range.upperBound {
                let count = min(1 << 20, range.upperBound - offset)
                let chunk = try DurableFile.read(lock.descriptor, offset: offset, count: count, path: path)
                try DurableFile.writeAll(out, chunk, path: temporary)
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
        try DurableFile.sync(out, path: temporary)

        // Read the new file back before it may replace anything.
        var check: [String] = []
        do {
            try MboxFile(MailContainer(kind: .mbox, url: URL(fileURLWithPath: temporary), folder: "")).forEachBatch { batch in
                for message in batch { check.append(ContentHash.sha256(message.bytes ?? [])) }
            }
        } catch {
            if !keptHashes.isEmpty { throw ErasureError(path: path, problem: "the rewritten mbox cannot be read back: \(error)") }
        }
        guard check == keptHashes, !check.contains(where: { hashes.contains($0) }) else {
            throw ErasureError(path: path, problem: "the rewritten mbox did not read back as expected; the original is unchanged")
        }

        try beforeReplace(removed)
        try DurableFile.rename(temporary, path)
        replaced = true
        try DurableFile.syncDirectory(directory)
        return Result(removed: removed, keptCount: keptHashes.count, oldSize: oldSize, newSize: newSize)
    }
}
