import CArchive
import FileSystem
import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// One member of an archive, as its header describes it.
public struct ArchiveMember: Sendable, Equatable {
    /// What kind of file the member is.
    public enum Kind: Sendable, Equatable {
        case file, directory, symlink, hardlink, other
    }

    /// The member's name exactly as stored: never resolved against the file system, so names
    /// with `..` or a leading `/` are only data.
    public var name: String
    public var kind: Kind
    /// Size of the data in bytes (0 when the format does not say).
    public var size: Int
    public var mode: UInt32
    public var modified: Date?
    /// For links: the target as stored.
    public var linkTarget: String?
    /// How many names the member's file had where the archive was made (1 when not recorded).
    public var linkCount = 1
}

/// Reads archives (tar in every dialect, zip, cpio, …; plain, gzip, bzip2, xz, zstd — whatever
/// the system's libarchive supports) as a stream of members, without unpacking to disk.
///
/// This is the only type that holds libarchive read handles. Data is streamed in blocks, so an
/// archive of any size needs only a block's worth of memory.
///
/// **Integrity.** Every check the archive carries is made while reading, and a failed one is
/// ``PrivctlError/Code/corrupt``, never a warning passed over:
/// - gzip is not left to libarchive, whose gzip reader never compares a member's CRC-32 and
///   length with its trailer: the file goes through zlib here (``GzipStream``), which does, for
///   every gzip member, and to the end of the file (a truncated stream is damage too);
/// - xz, bzip2 and zstd are checked by their libraries inside libarchive (a failure is fatal);
/// - libarchive's `ARCHIVE_WARN` on a member's data is always damage (zip: "ZIP bad CRC", a
///   wrong compressed or uncompressed size); on a header it is damage too (zip: the local
///   header disagrees with the central directory, "Inconsistent CRC32 values"; tar: a malformed
///   pax attribute). The one harmless header warning, a UTF-8 name that cannot be converted to
///   the C locale's ASCII, cannot occur: headers are read in a UTF-8 locale (``ArchiveLocale``);
/// - `ARCHIVE_RETRY` on a header is a tar header whose checksum fails ("Damaged tar archive");
/// - a tar must end with its end-of-archive blocks: one cut off at a member boundary reads
///   through without any error from libarchive, and is damage here. Concatenated tar archives
///   (`cat a.tar b.tar`) are read to the end, so no member hides behind an early end marker and
///   every compressed stream is read (and checked) to its end.
///
/// Tar members carry no checksum of their data: a changed byte inside a plain tar's member is
/// invisible to any reader.
///
/// **Salvage.** By default the first damage throws. A reader made with `salvage` reads on past
/// whatever it can: a member whose data or header fails its check is returned and marked
/// (``currentMemberDamage``), a damaged tar header is skipped to the next readable one, and
/// after a fatal error (truncation, a broken compressed stream) the archive simply ends; each
/// is listed in ``damage``.
public final class ArchiveReader {
    let handle: OpaquePointer
    let path: String
    /// The archive file, opened through the file-system layer (no link followed, regular files
    /// only) and kept open while libarchive reads it.
    private let file: OpenFile
    /// The gzip decompression in front of libarchive, for a gzip file.
    private let gzip: Unmanaged<GzipSource>?
    /// The current member's libarchive entry (valid until the next header is read), for
    /// ``ArchiveWriter`` to copy with all its metadata.
    private(set) var currentEntry: OpaquePointer?
    /// Whether damage is read past (see the type's description) instead of thrown.
    public let salvage: Bool

    /// Damage found in the archive.
    public struct Damage: Sendable, Equatable {
        /// The member's position (as ``nextMember()`` counts, from 0), nil when the damage is
        /// not in a member that could be read (a skipped tar header, the compressed stream's
        /// checksum, a missing end of the archive).
        public var index: Int?
        /// The member's name, when known.
        public var name: String?
        /// What is wrong (code ``PrivctlError/Code/corrupt``, path the archive).
        public var problem: PrivctlError
        /// Whether nothing after it could be read.
        public var endedReading: Bool
    }

    /// The damage read past so far (salvage only), in archive order.
    public private(set) var damage: [Damage] = []
    /// The damage of the current member's header or data, once found (salvage only).
    public private(set) var currentMemberDamage: PrivctlError?
    /// The current member's position and name.
    private var currentIndex = -1
    private var currentName: String?
    /// Set after a fatal error in salvage: nothing more can be read.
    private var ended = false
    /// Whether a damaged tar header was the last thing met (consecutive retries are one damage).
    private var inDamagedRegion = false
    /// Where in the current member's content the next byte handed out is, its size, and a
    /// block held back while the hole before it is handed out (sparse members).
    private var dataPosition = 0
    private var memberSize = 0
    private var pendingBlock: (UnsafeRawPointer, Int, Int)?

    /// Opens the archive file at an absolute path.
    public convenience init(url: URL, blockSize: Int = 1 << 16, salvage: Bool = false) throws(PrivctlError) {
        try self.init(file: FileSystem.openFile(atPath: url.path), blockSize: blockSize, salvage: salvage)
    }

    /// Reads an archive from an open file, from its start.
    ///
    /// With `keepingRawBytes` a gzip archive's inflated bytes are kept for ``rawBytes`` until
    /// taken (a plain archive's are read again from the file).
    public init(file: OpenFile, blockSize: Int = 1 << 16, salvage: Bool = false, keepingRawBytes: Bool = false) throws(PrivctlError) {
        try file.seek(to: 0)
        let magic = try file.read(at: 0, count: min(2, try file.info().size))
        try file.seek(to: 0)
        guard let handle = archive_read_new() else {
            throw PrivctlError(.failed, path: file.path, problem: "libarchive could not allocate a reader")
        }
        archive_read_support_filter_all(handle)
        archive_read_support_format_all(handle)
        // Read on after a tar's end marker: a second archive appended to the first is read,
        // and the compressed stream is read (and checked) to its end.
        archive_read_set_options(handle, "tar:read_concatenated_archives")
        let status: Int32
        var gzip: Unmanaged<GzipSource>?
        if magic == [0x1F, 0x8B] {
            let source: GzipSource
            do {
                source = try GzipSource(file: file, blockSize: blockSize, keepingRawBytes: keepingRawBytes)
            } catch {
                archive_read_free(handle)
                throw error
            }
            let retained = Unmanaged.passRetained(source)
            gzip = retained
            status = archive_read_open2(handle, retained.toOpaque(), nil, { _, context, buffer in
                guard let context, let buffer else { return -1 }
                let source = Unmanaged<GzipSource>.fromOpaque(context).takeUnretainedValue()
                let count = source.next()
                buffer.pointee = source.output
                return count
            }, nil, nil)
        } else {
            status = archive_read_open_fd(handle, file.descriptor, blockSize)
        }
        if status != ARCHIVE_OK {
            let problem = gzip?.takeUnretainedValue().failure?.problem ?? Self.message(handle)
            archive_read_free(handle)
            gzip?.release()
            // Thrown before the stored properties are set, so deinit does not free it again.
            throw PrivctlError(.corrupt, path: file.path, problem: problem)
        }
        self.handle = handle
        self.path = file.path
        self.file = file
        self.gzip = gzip
        self.salvage = salvage
    }

    deinit {
        archive_read_free(handle)
        gzip?.release()
    }

    /// The next member's header, or nil at the end of the archive. The member's data must be read
    /// (``readData(_:)``) before the next call, or it is skipped.
    ///
    /// At the end the archive's own integrity is checked: the compressed stream read to its end
    /// with every checksum matching, a tar's end-of-archive blocks present.
    public func nextMember() throws(PrivctlError) -> ArchiveMember? {
        currentMemberDamage = nil
        currentEntry = nil
        while true {
            if ended { return nil }
            var entry: OpaquePointer?
            let status = ArchiveLocale.run { archive_read_next_header(handle, &entry) }
            switch status {
            case ARCHIVE_EOF:
                try checkEnd()
                ended = true
                return nil
            case ARCHIVE_OK:
                inDamagedRegion = false
            case ARCHIVE_RETRY:
                // A tar header whose checksum fails: libarchive looks for the next one block by
                // block, and says so once per block.
                let after = currentName.map { "after member \($0)" } ?? "at the start"
                if !inDamagedRegion {
                    try found(PrivctlError(.corrupt, path: path, problem: "damaged member header \(after) (\(Self.message(handle))); that member cannot be read"), index: nil, name: nil, ends: false)
                }
                inDamagedRegion = true
                continue
            case ARCHIVE_WARN where entry != nil:
                inDamagedRegion = false
            default:
                try found(fatal(), index: nil, name: nil, ends: true)
                return nil
            }
            guard let entry else { continue }
            currentEntry = entry
            currentIndex += 1
            let member = Self.member(entry)
            currentName = member.name
            // An encrypted member is not damage: it cannot be read, searched or copied without
            // its passphrase, so the archive is refused whole (salvage must not drop it).
            if archive_entry_is_encrypted(entry) != 0 {
                throw PrivctlError(
                    .unsupported, path: path,
                    problem: "member \(member.name) is encrypted: privctl cannot read it, so it cannot search or rewrite this archive")
            }
            // A name that is not valid in the archive's character set is a warning about the
            // name, not damage: the member is read under its raw bytes.
            let nameOnly = archive_entry_pathname(entry) != nil && ArchiveLocale.run { archive_entry_pathname_w(entry) == nil }
            if status == ARCHIVE_WARN && !nameOnly {
                let problem = PrivctlError(.corrupt, path: path, problem: "member \(member.name): \(Self.message(handle))")
                try found(problem, index: currentIndex, name: member.name, ends: false)
                currentMemberDamage = problem
            }
            dataPosition = 0
            pendingBlock = nil
            // Only a sparse member's content goes on past its last data block (a hard link's
            // size may name data it does not carry).
            memberSize = archive_entry_sparse_count(entry) > 0 ? member.size : 0
            return member
        }
    }

    /// The member a libarchive entry describes.
    private static func member(_ entry: OpaquePointer) -> ArchiveMember {
        let name = archive_entry_pathname(entry).map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) } ?? ""
        let type = archive_entry_filetype(entry)
        var kind: ArchiveMember.Kind
        switch type {
        case 0o100000: kind = .file  // AE_IFREG
        case 0o040000: kind = .directory  // AE_IFDIR
        case 0o120000: kind = .symlink  // AE_IFLNK
        default: kind = .other
        }
        var target: String?
        if let hard = archive_entry_hardlink(entry) {
            kind = .hardlink
            target = String(cString: hard)
        } else if let sym = archive_entry_symlink(entry) {
            target = String(cString: sym)
        }
        let modified = archive_entry_mtime_is_set(entry) != 0
            ? Date(timeIntervalSince1970: Double(archive_entry_mtime(entry))) : nil
        return ArchiveMember(
            name: name, kind: kind, size: Int(archive_entry_size(entry)), mode: UInt32(archive_entry_perm(entry)),
            modified: modified, linkTarget: target, linkCount: max(1, Int(archive_entry_nlink(entry))))
    }

    /// Streams the current member's data to `body` in blocks.
    ///
    /// - Throws: ``PrivctlError/Code/corrupt`` when the data fails its check (without
    ///   `salvage`), and whatever `body` throws.
    public func readData(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        while true {
            guard let block = try nextBlock() else { return }
            if block.count > 0 { try body(block) }
        }
    }

    /// The next block of the current member's data; empty at its end. A pull-style twin of
    /// ``readData(_:)`` for consumers that ask for bytes (an mbox splitter).
    public func nextDataBlock() throws(PrivctlError) -> [UInt8] {
        while true {
            guard let block = try nextBlock() else { return [] }
            if block.count > 0 { return Array(block) }
        }
    }

    /// The next piece of the current member's content: the bytes of one call of
    /// `archive_read_data_block` (possibly none), or zeros for a hole of a sparse member before
    /// them or at its end; nil at the member's end.
    private func nextBlock() throws(PrivctlError) -> UnsafeRawBufferPointer? {
        if let (buffer, size, offset) = pendingBlock {
            if offset > dataPosition { return hole(upTo: offset) }
            pendingBlock = nil
            dataPosition += size
            return UnsafeRawBufferPointer(start: buffer, count: size)
        }
        guard !ended, currentEntry != nil else { return nil }
        var buffer: UnsafeRawPointer?
        var size = 0
        var offset: Int64 = 0
        let status = archive_read_data_block(handle, &buffer, &size, &offset)
        switch status {
        case ARCHIVE_EOF:
            // A sparse member may end in a hole.
            if dataPosition < memberSize, currentMemberDamage == nil { return hole(upTo: memberSize) }
            return nil
        case ARCHIVE_OK:
            break
        case ARCHIVE_WARN:
            // Data warnings are checks that failed: a zip member's CRC-32 or size.
            if currentMemberDamage == nil {
                let problem = PrivctlError(.corrupt, path: path, problem: "member \(currentName ?? "?"): \(Self.message(handle))")
                try found(problem, index: currentIndex, name: currentName, ends: false)
                currentMemberDamage = problem
            }
        default:
            let problem = fatal(member: currentName)
            try found(problem, index: currentIndex, name: currentName, ends: true)
            if currentMemberDamage == nil { currentMemberDamage = problem }
            return nil
        }
        guard let buffer, size > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        if Int(offset) > dataPosition {
            // A hole of a sparse member comes first.
            pendingBlock = (buffer, size, Int(offset))
            return hole(upTo: Int(offset))
        }
        dataPosition += size
        return UnsafeRawBufferPointer(start: buffer, count: size)
    }

    /// Zeros for a hole, up to `end` (at most 64 KiB at once).
    private func hole(upTo end: Int) -> UnsafeRawBufferPointer {
        let count = min(end - dataPosition, zeroBlock.count)
        dataPosition += count
        return UnsafeRawBufferPointer(rebasing: zeroBlock[0..<count])
    }

    /// The current member's data as bytes.
    public func readAll() throws -> [UInt8] {
        var bytes: [UInt8] = []
        try readData { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Damage: thrown, or (salvage) noted and read past; after a fatal one nothing more is read.
    private func found(_ problem: PrivctlError, index: Int?, name: String?, ends: Bool) throws(PrivctlError) {
        guard salvage else { throw problem }
        damage.append(Damage(index: index, name: name, problem: problem, endedReading: ends))
        if ends { ended = true }
    }

    /// The error for a fatal libarchive status: the gzip check's own when it failed first.
    private func fatal(member: String? = nil) -> PrivctlError {
        if let failure = gzip?.takeUnretainedValue().failure { return failure }
        let reason = archive_error_string(handle).map { String(cString: $0) }
            ?? "the archive ends early or cannot be read further (truncated)"
        return PrivctlError(.corrupt, path: path, problem: member.map { "member \($0): \(reason)" } ?? reason)
    }

    /// The checks at the end of the archive.
    private func checkEnd() throws(PrivctlError) {
        if let source = gzip?.takeUnretainedValue() {
            do {
                try source.drain()
            } catch {
                try found(error, index: nil, name: nil, ends: true)
                return
            }
        }
        // A tar ends with zero blocks; libarchive consumes them, so reading stopped past the
        // last header position. Cut off at a member boundary, it did not.
        let isTar = archive_format(handle) & ARCHIVE_FORMAT_BASE_MASK == ARCHIVE_FORMAT_TAR
        if isTar, currentIndex >= 0, archive_filter_bytes(handle, 0) <= archive_read_header_position(handle) {
            try found(
                PrivctlError(.corrupt, path: path, problem: "the archive ends without its end-of-archive blocks (truncated after member \(currentName ?? "?"))"),
                index: nil, name: nil, ends: true)
        }
    }

    /// The archive's format as libarchive names it ("GNU tar format", "ZIP 2.0 (deflation)", …),
    /// known after the first header was read.
    public var formatName: String {
        archive_format_name(handle).map { String(cString: $0) } ?? "unknown"
    }

    /// Where the current member's headers begin in the uncompressed stream (its extended and
    /// global headers included); at the end, where the end-of-archive marker begins.
    public var headerPosition: Int { Int(archive_read_header_position(handle)) }

    /// How much of the uncompressed stream libarchive has used so far.
    public var consumedPosition: Int { Int(archive_filter_bytes(handle, 0)) }

    /// The uncompressed stream again, for copying members byte for byte: a gzip archive's
    /// inflated bytes kept since the reader was made with `keepingRawBytes` (nil without it), a
    /// plain archive's read again from the file. Only for archives without libarchive's own
    /// compression filters.
    public func rawBytes() throws(PrivctlError) -> RawBytes? {
        // Only the tar itself: inside gzip or a plain file, with no compression of libarchive's
        // (a tar.xz wrapped in gzip has its positions in the xz's output, not in these bytes).
        guard archive_filter_count(handle) <= 1 else { return nil }
        if let gzip {
            guard let tee = gzip.takeUnretainedValue().tee else { return nil }
            return .inflated(tee)
        }
        return .file(file, size: try file.info().size)
    }

    /// Stops keeping inflated bytes (the copy does not need them).
    public func stopKeepingRawBytes() {
        gzip?.takeUnretainedValue().tee = nil
    }

    /// Whether the archive is a tar (of any dialect).
    public var isTar: Bool { archive_format(handle) & ARCHIVE_FORMAT_BASE_MASK == ARCHIVE_FORMAT_TAR }

    /// libarchive's code of the archive format (`ARCHIVE_FORMAT_…`), for writing the same.
    public var formatCode: Int32 { archive_format(handle) }

    /// Whether the current member is stored without compression inside the archive (a zip
    /// entry's method "stored", which libarchive names in the format of each entry).
    var currentMemberIsStored: Bool {
        guard let name = archive_format_name(handle) else { return false }
        return String(cString: name).contains("uncompressed")
    }

    /// libarchive's codes of the compression filters, outermost first, without "none".
    public var filterCodes: [Int32] {
        (gzip == nil ? [] : [ARCHIVE_FILTER_GZIP])
            + (0..<archive_filter_count(handle)).map { archive_filter_code(handle, $0) }.filter { $0 != ARCHIVE_FILTER_NONE }
    }

    /// Whether the format stores a hard-linked file's content once, with the last of its names
    /// (SVR4 "newc" cpio), so that earlier names read as empty.
    public var storesLinkDataLast: Bool {
        let format = archive_format(handle)
        return format == ARCHIVE_FORMAT_CPIO_SVR4_NOCRC || format == ARCHIVE_FORMAT_CPIO_SVR4_CRC
    }

    /// The compression filters, outermost first ("gzip", "xz", …; "none" for a plain archive).
    public var filterNames: [String] {
        let count = archive_filter_count(handle)
        return (gzip == nil ? [] : ["gzip"])
            + (0..<count).compactMap { i in archive_filter_name(handle, i).map { String(cString: $0) } }.filter { $0 != "none" }
    }

    static func message(_ handle: OpaquePointer) -> String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
    }

    /// Reads the whole archive in salvage mode and returns its damage (empty for a sound one).
    public static func survey(file: OpenFile) throws(PrivctlError) -> [Damage] {
        let reader = try ArchiveReader(file: file, salvage: true)
        while try reader.nextMember() != nil {
            while try reader.nextBlock() != nil {}
        }
        return reader.damage
    }
}

/// libarchive converts member names between the archive's charset and the locale's. In the C
/// locale, which a Swift program runs in, a UTF-8 name (every pax archive stores its names in
/// UTF-8) "cannot be converted" and comes with a warning that looks like damage. Headers are
/// therefore read and written in a UTF-8 locale of the calling thread (`uselocale`), never
/// changing the process's locale.
enum ArchiveLocale {
    nonisolated(unsafe) private static let utf8 = newlocale(1 << LC_CTYPE, "C.UTF-8", nil)

    static func run<T>(_ body: () -> T) -> T {
        guard let utf8 = utf8 else { return body() }
        let previous = uselocale(utf8)
        defer { uselocale(previous) }
        return body()
    }
}
