import FileSystem
import Foundation

/// A copy of an archive without some members (or with bytes cut out of some), written beside it
/// and renamed over it only when the caller has checked the copy.
///
/// ``prepare(_:salvage:removing:onRemovedData:onCutData:onKeptData:)`` streams the old archive into a ``ReplacementFile`` in
/// the same directory (`O_EXCL`, an unguessable name; same format, same compression, every
/// member's metadata copied), and starts writing it back to disk; the caller reads
/// ``temporaryPath`` back meanwhile and calls ``commit()`` (the copy fsynced, renamed over the
/// original, the directory fsynced) or ``discard()``. Killed at any
/// moment, the original or the finished new archive is in place. The new archive keeps the
/// original's owner, mode and modification time: its age is its backup's age.
public final class ArchiveRewrite {
    /// What happens to one member, by its position in the archive (0-based, directories and
    /// links counted).
    public enum Change: Sendable, Equatable {
        /// Left out.
        case remove
        /// Kept with these byte ranges of its content left out (for an mbox member, the removed
        /// messages); `newSize` is what remains.
        case cut([Range<Int>], newSize: Int)
    }

    /// What the copy did.
    public struct Outcome: Sendable {
        public var oldSize: Int
        public var newSize: Int
        /// Members left out, with their sizes.
        public var removed: [(index: Int, name: String, size: Int)]
        /// Members from which bytes were cut.
        public var cut: [(index: Int, name: String)]
        /// Bytes cut out of kept members.
        public var bytesCut: Int
        /// Members in the new archive.
        public var keptCount: Int
        /// Damage read past in the old archive (with `salvage`).
        public var damage: [ArchiveReader.Damage] = []
        /// gzip members of the old archive copied as they were, not compressed again.
        public var gzipMembersCopied = 0
    }

    public let path: String
    private let directory: Directory
    private let name: String
    private var replacement: ReplacementFile?
    private var original: FileInfo?
    /// The background fsync of the written copy.
    private var syncing: DispatchGroup?
    /// The new archive as committed, from its open descriptor (what a later stat of the path
    /// must find for it to be this file).
    public private(set) var committedInfo: FileInfo?

    public init(path: String) throws(PrivctlError) {
        self.path = path
        let (directoryPath, name) = FileSystem.split(path)
        self.directory = try Directory.open(directoryPath)
        self.name = name
    }

    /// Where the copy is written (known after ``prepare(_:salvage:removing:onRemovedData:onCutData:onKeptData:)`` started).
    public var temporaryPath: String { replacement?.temporaryPath ?? path }

    /// Opens the copy for reading back.
    public func openCopy() throws(PrivctlError) -> OpenFile {
        guard let replacement else { throw PrivctlError(.failed, path: path, problem: "no copy was written") }
        return try replacement.openCopy()
    }

    /// Writes the copy. `removing` is asked about every member as it is met and may leave out
    /// further ones (for example hard links to a removed member, which always come after it in
    /// a tar). `onKeptData` sees the data of every kept member as it is written (member
    /// position, member, bytes), so a caller can hash what the new archive must hold;
    /// `onRemovedData` the data of every member left out, and `onCutData` the bytes cut out of a
    /// member (member position, where the cut range starts, bytes), so that it can check they
    /// are what it meant to take out.
    ///
    /// The old archive is read with all its checks (``ArchiveReader``): damage throws
    /// ``PrivctlError/Code/corrupt`` and no copy is left. With `salvage` the old archive is read
    /// past its damage; the damaged members must be among those removed (the caller learns them
    /// from ``ArchiveReader/survey(file:)``), and ``Outcome/damage`` lists what was read past. A
    /// kept member that turns out damaged still throws: no damaged byte goes into a new archive.
    public func prepare(
        _ changes: [Int: Change], salvage: Bool = false, removing: (Int, ArchiveMember) -> Bool = { _, _ in false },
        onRemovedData: (Int, UnsafeRawBufferPointer) -> Void = { _, _ in },
        onCutData: (Int, Int, UnsafeRawBufferPointer) -> Void = { _, _, _ in },
        onKeptData: (Int, ArchiveMember, UnsafeRawBufferPointer) -> Void = { _, _, _ in }
    ) throws -> Outcome {
        // What a killed run left is nobody's archive.
        try ReplacementFile.removeLeftovers(for: name, in: directory)
        let source = try directory.openFile(name)
        let info = try source.info()
        original = info
        let replacement = try ReplacementFile(for: name, in: directory, attributes: info)
        self.replacement = replacement

        // A tar, plain or gzip, is copied byte for byte (``TarStreamCopy``) but for what changes;
        // other formats and compressions, and a salvage, through libarchive's writer.
        let reader = try ArchiveReader(file: source, salvage: salvage, keepingRawBytes: !salvage)
        var writer: ArchiveWriter?
        var copy: TarStreamCopy?
        var gzipSink: ParallelGzipSink?
        var index = 0
        var removed: [(Int, String, Int)] = []
        var cut: [(index: Int, name: String)] = []
        var bytesCut = 0
        var kept = 0
        var gzipMembersCopied = 0
        while let member = try reader.nextMember() {
            defer { index += 1 }
            if writer == nil && copy == nil {
                if !salvage, reader.isTar,
                    let raw = try reader.rawBytes()
                {
                    let file = replacement.file
                    if reader.filterNames == ["gzip"] {
                        let sink = ParallelGzipSink(file: file)
                        gzipSink = sink
                        copy = TarStreamCopy(source: raw, output: .gzip(sink))
                    } else {
                        copy = TarStreamCopy(source: raw, output: .plain({ try file.write($0) }))
                    }
                } else {
                    reader.stopKeepingRawBytes()
                    writer = try ArchiveWriter(file: replacement.file, like: reader)
                }
            }
            // What is left of the member before goes as it went; this one's headers start here.
            try copy?.take(upTo: reader.headerPosition)
            // Asked for every member, so a caller can follow hard links to removed ones.
            var change = changes[index]
            if removing(index, member) { change = .remove }
            if let copy {
                copy.keeping = change == nil
                // A left-out or changed member's own bytes go; global headers it begins with stay.
                if change != nil { try copy.keepGlobalHeaders() }
            }
            switch change {
            case .remove:
                removed.append((index, member.name, member.size))
                try reader.readData { block in
                    onRemovedData(index, block)
                    try copy?.take(upTo: reader.consumedPosition)
                }
                continue
            case .cut(let ranges, let newSize):
                // The changed member is written anew (a pax member, like every tar privctl writes).
                let fragment = try copy.map { copy in try ArchiveWriter(memberFragmentsTo: copy.insert, path: path) }
                let out = fragment ?? writer!
                try out.writeHeader(copying: reader, size: newSize)
                var offset = 0
                try reader.readData { block in
                    // Copy the parts of this block outside every cut range.
                    var position = 0
                    while position < block.count {
                        let absolute = offset + position
                        if let which = ranges.firstIndex(where: { $0.contains(absolute) }) {
                            let end = min(block.count, ranges[which].upperBound - offset)
                            onCutData(index, ranges[which].lowerBound, UnsafeRawBufferPointer(rebasing: block[position..<end]))
                            position = end
                            continue
                        }
                        let nextCut = ranges.map(\.lowerBound).filter { $0 > absolute }.min() ?? Int.max
                        let end = min(block.count, nextCut - offset)
                        let piece = UnsafeRawBufferPointer(rebasing: block[position..<end])
                        try out.writeData(piece)
                        onKeptData(index, member, piece)
                        position = end
                    }
                    offset += block.count
                    try copy?.take(upTo: reader.consumedPosition)
                }
                try fragment?.close()
                bytesCut += member.size - newSize
                cut.append((index, member.name))
            case nil:
                try writer?.writeHeader(copying: reader)
                try reader.readData { block in
                    try writer?.writeData(block)
                    onKeptData(index, member, block)
                    try copy?.take(upTo: reader.consumedPosition)
                }
            }
            if let damage = reader.currentMemberDamage {
                throw PrivctlError(.corrupt, path: path, problem: "\(damage.problem); not rebuilt")
            }
            kept += 1
        }
        if let copy {
            // The last member's rest, then the end-of-archive blocks and padding as they were.
            try copy.take(upTo: reader.headerPosition)
            try copy.takeRest()
            try copy.finish()
            try gzipSink?.finish()
            gzipMembersCopied = copy.membersCopied
        } else if let writer {
            try writer.close()
        } else {
            // An archive without members (a scrub erased all it held): nothing to leave out,
            // nothing to write; the caller discards the copy and the archive stays as it is.
            guard changes.isEmpty else {
                throw PrivctlError(.notMail, path: path, problem: "the archive has no members; nothing to rewrite")
            }
            return Outcome(
                oldSize: info.size, newSize: info.size, removed: [], cut: [], bytesCut: 0, keptCount: 0, damage: reader.damage)
        }
        // Written back to disk while the caller reads the copy back (from the page cache);
        // commit() waits for it and syncs again before the rename.
        let file = replacement.file
        let syncing = DispatchGroup()
        DispatchQueue.global().async(group: syncing) { _ = try? file.sync() }
        self.syncing = syncing
        return Outcome(
            oldSize: info.size, newSize: try replacement.file.info().size,
            removed: removed.map { (index: $0.0, name: $0.1, size: $0.2) }, cut: cut, bytesCut: bytesCut, keptCount: kept,
            damage: reader.damage, gzipMembersCopied: gzipMembersCopied)
    }

    /// Renames the checked copy over the original (with the original's times) and fsyncs the
    /// directory.
    public func commit() throws(PrivctlError) {
        guard let replacement else { throw PrivctlError(.failed, path: path, problem: "no copy was written") }
        syncing?.wait()
        // The archive must still be the file that was copied: written to, truncated or replaced
        // meanwhile (its status-change time moves with every write), it is left as it is now.
        let now = try directory.info(name)
        guard let original, let now, now.device == original.device, now.inode == original.inode, now.size == original.size,
            now.changedSeconds == original.changedSeconds, now.changedNanoseconds == original.changedNanoseconds
        else {
            discard()
            throw PrivctlError(
                .changedWhileRead, path: path, problem: "the archive changed while privctl rewrote it; left as it is now, nothing erased")
        }
        try replacement.file.setTimes(
            accessed: (original.accessedSeconds, original.accessedNanoseconds),
            modified: (original.modifiedSeconds, original.modifiedNanoseconds))
        try replacement.commit()
        committedInfo = try? replacement.file.info()
    }

    /// Removes the copy; the original stays as it was.
    public func discard() {
        syncing?.wait()
        replacement?.abandon()
    }
}
