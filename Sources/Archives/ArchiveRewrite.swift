import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A copy of an archive without some members (or with bytes cut out of some), written beside it
/// and renamed over it only when the caller has checked the copy.
///
/// ``prepare(_:)`` streams the old archive into a temporary file in the same directory (same
/// format, same compression, every member's metadata copied), fsynced; the caller reads
/// ``temporaryPath`` back and calls ``commit()`` (rename over the original, fsync the directory)
/// or ``discard()``. Killed at any moment, the original or the finished new archive is in place.
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
        /// Bytes cut out of kept members.
        public var bytesCut: Int
        /// Members in the new archive.
        public var keptCount: Int
    }

    public let path: String
    public let temporaryPath: String
    private var committed = false

    public init(path: String) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        temporaryPath = (directory.isEmpty ? "." : directory) + "/." + name + ".privctl-\(getpid()).tmp"
    }

    deinit {
        if !committed { unlink(temporaryPath) }
    }

    /// Writes the copy. `onKeptData` sees the data of every kept member as it is written
    /// (member position, member, bytes), so a caller can hash what the new archive must hold.
    public func prepare(
        _ changes: [Int: Change], onKeptData: (Int, ArchiveMember, UnsafeRawBufferPointer) -> Void = { _, _, _ in }
    ) throws -> Outcome {
        // A temporary file left by a killed run is nobody's archive.
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        for leftover in (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        where leftover.hasPrefix("." + name + ".privctl-") && leftover.hasSuffix(".tmp") {
            unlink((directory.isEmpty ? "." : directory) + "/" + leftover)
        }

        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ArchiveError(path: path, problem: "cannot read: \(String(cString: strerror(errno)))")
        }
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(info.st_mode & 0o7777))
        guard fd >= 0 else {
            throw ArchiveError(path: path, problem: "cannot create \(temporaryPath): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        if getuid() == 0 { _ = fchown(fd, info.st_uid, info.st_gid) }

        let reader = try ArchiveReader(url: URL(fileURLWithPath: path))
        var writer: ArchiveWriter?
        var index = 0
        var removed: [(Int, String, Int)] = []
        var bytesCut = 0
        var kept = 0
        while let member = try reader.nextMember() {
            defer { index += 1 }
            if writer == nil { writer = try ArchiveWriter(fd: fd, path: temporaryPath, like: reader) }
            switch changes[index] {
            case .remove:
                removed.append((index, member.name, member.size))
                continue
            case .cut(let ranges, let newSize):
                try writer!.writeHeader(copying: reader, size: newSize)
                var offset = 0
                try reader.readData { block in
                    // Copy the parts of this block outside every cut range.
                    var position = 0
                    while position < block.count {
                        let absolute = offset + position
                        if let cut = ranges.first(where: { $0.contains(absolute) }) {
                            position = min(block.count, cut.upperBound - offset)
                            continue
                        }
                        let nextCut = ranges.map(\.lowerBound).filter { $0 > absolute }.min() ?? Int.max
                        let end = min(block.count, nextCut - offset)
                        let piece = UnsafeRawBufferPointer(rebasing: block[position..<end])
                        try writer!.writeData(piece)
                        onKeptData(index, member, piece)
                        position = end
                    }
                    offset += block.count
                }
                bytesCut += member.size - newSize
            case nil:
                try writer!.writeHeader(copying: reader)
                try reader.readData { block in
                    try writer!.writeData(block)
                    onKeptData(index, member, block)
                }
            }
            kept += 1
        }
        guard let writer else {
            throw ArchiveError(path: path, problem: "the archive has no members; nothing to rewrite")
        }
        try writer.close()
        guard fsync(fd) == 0 else {
            throw ArchiveError(path: temporaryPath, problem: "cannot flush to disk: \(String(cString: strerror(errno)))")
        }
        var newInfo = stat()
        fstat(fd, &newInfo)
        return Outcome(
            oldSize: Int(info.st_size), newSize: Int(newInfo.st_size),
            removed: removed.map { (index: $0.0, name: $0.1, size: $0.2) }, bytesCut: bytesCut, keptCount: kept)
    }

    /// Renames the checked copy over the original and fsyncs the directory.
    public func commit() throws {
        guard rename(temporaryPath, path) == 0 else {
            throw ArchiveError(path: path, problem: "cannot replace it: \(String(cString: strerror(errno)))")
        }
        committed = true
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            defer { close(fd) }
            guard fsync(fd) == 0 else {
                throw ArchiveError(path: directory, problem: "cannot flush the directory: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Removes the copy; the original stays as it was.
    public func discard() {
        unlink(temporaryPath)
    }
}
