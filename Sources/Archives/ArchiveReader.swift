import FileSystem
import CArchive
import Foundation

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
}

/// Reads archives (tar in every dialect, zip, cpio, …; plain, gzip, bzip2, xz, zstd — whatever
/// the system's libarchive supports) as a stream of members, without unpacking to disk.
///
/// This is the only type that holds libarchive read handles. Data is streamed in blocks, so an
/// archive of any size needs only a block's worth of memory.
public final class ArchiveReader {
    let handle: OpaquePointer
    let path: String
    /// The archive file, opened through the file-system layer (no link followed, regular files
    /// only) and kept open while libarchive reads it.
    private let file: OpenFile
    /// The current member's libarchive entry (valid until the next header is read), for
    /// ``ArchiveWriter`` to copy with all its metadata.
    private(set) var currentEntry: OpaquePointer?

    /// Opens the archive file at an absolute path.
    public convenience init(url: URL, blockSize: Int = 1 << 16) throws(PrivctlError) {
        try self.init(file: FileSystem.openFile(atPath: url.path), blockSize: blockSize)
    }

    /// Reads an archive from an open file, from its start.
    public init(file: OpenFile, blockSize: Int = 1 << 16) throws(PrivctlError) {
        try file.seek(to: 0)
        guard let handle = archive_read_new() else {
            throw PrivctlError(.failed, path: file.path, problem: "libarchive could not allocate a reader")
        }
        archive_read_support_filter_all(handle)
        archive_read_support_format_all(handle)
        if archive_read_open_fd(handle, file.descriptor, blockSize) != ARCHIVE_OK {
            let problem = Self.message(handle)
            archive_read_free(handle)
            // Thrown before the stored properties are set, so deinit does not free it again.
            throw PrivctlError(.corrupt, path: file.path, problem: problem)
        }
        self.handle = handle
        self.path = file.path
        self.file = file
    }

    deinit { archive_read_free(handle) }

    /// The next member's header, or nil at the end of the archive. The member's data must be read
    /// (``readData(_:)``) before the next call, or it is skipped.
    public func nextMember() throws(PrivctlError) -> ArchiveMember? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        if status == ARCHIVE_EOF { return nil }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
            throw PrivctlError(.corrupt, path: path, problem: Self.message(handle))
        }
        currentEntry = entry
        let name = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
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
            modified: modified, linkTarget: target)
    }

    /// Streams the current member's data to `body` in blocks.
    public func readData(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var buffer: UnsafeRawPointer?
        var size = 0
        var offset: Int64 = 0
        while true {
            let status = archive_read_data_block(handle, &buffer, &size, &offset)
            if status == ARCHIVE_EOF { return }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
                throw PrivctlError(.corrupt, path: path, problem: Self.message(handle))
            }
            if let buffer, size > 0 { try body(UnsafeRawBufferPointer(start: buffer, count: size)) }
        }
    }

    /// The next block of the current member's data; empty at its end. A pull-style twin of
    /// ``readData(_:)`` for consumers that ask for bytes (an mbox splitter).
    public func nextDataBlock() throws -> [UInt8] {
        var buffer: UnsafeRawPointer?
        var size = 0
        var offset: Int64 = 0
        while true {
            let status = archive_read_data_block(handle, &buffer, &size, &offset)
            if status == ARCHIVE_EOF { return [] }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
                throw PrivctlError(.corrupt, path: path, problem: Self.message(handle))
            }
            if let buffer, size > 0 { return Array(UnsafeRawBufferPointer(start: buffer, count: size)) }
        }
    }

    /// The current member's data as bytes.
    public func readAll() throws -> [UInt8] {
        var bytes: [UInt8] = []
        try readData { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The archive's format as libarchive names it ("GNU tar format", "ZIP 2.0 (deflation)", …),
    /// known after the first header was read.
    public var formatName: String {
        archive_format_name(handle).map { String(cString: $0) } ?? "unknown"
    }

    /// libarchive's code of the archive format (`ARCHIVE_FORMAT_…`), for writing the same.
    public var formatCode: Int32 { archive_format(handle) }

    /// libarchive's codes of the compression filters, outermost first, without "none".
    public var filterCodes: [Int32] {
        (0..<archive_filter_count(handle)).map { archive_filter_code(handle, $0) }.filter { $0 != ARCHIVE_FILTER_NONE }
    }

    /// The compression filters, outermost first ("gzip", "xz", …; "none" for a plain archive).
    public var filterNames: [String] {
        let count = archive_filter_count(handle)
        return (0..<count).compactMap { i in archive_filter_name(handle, i).map { String(cString: $0) } }
            .filter { $0 != "none" }
    }

    static func message(_ handle: OpaquePointer) -> String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
    }
}
