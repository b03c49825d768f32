import FileSystem
import CArchive
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes an archive in the format and compression of another, member by member, copying each
/// member's libarchive entry (mode, owner, times, link targets, xattrs, ACLs) from an
/// ``ArchiveReader``.
///
/// The only type besides ``ArchiveReader`` that holds libarchive handles. gzip is not left to
/// libarchive: the uncompressed archive goes to a ``ParallelGzipSink``, which compresses on
/// every core. Other compressions (bzip2, xz, zstd, …) and zip use libarchive's own writers.
public final class ArchiveWriter {
    private let handle: OpaquePointer
    private let path: String
    private let sink: ParallelGzipSink?
    private let sinkBox: Unmanaged<SinkBox>?
    private let holdBack: HoldBack?
    private var closed = false

    /// Opens a writer on `file` (not closed by the writer) for an archive like the one `reader`
    /// is reading (call after its first ``ArchiveReader/nextMember()``).
    public init(file: OpenFile, like reader: ArchiveReader, gzipLevel: Int32 = GzipMemberCompressor.defaultLevel) throws {
        let path = file.path
        guard let handle = archive_write_new() else {
            throw PrivctlError(.failed, path: path, problem: "libarchive could not allocate a writer")
        }
        self.path = path
        // Every tar dialect is written as restricted pax: a member that fits a ustar header
        // keeps one, and only a member that needs more (a name over 100 or 255 bytes,
        // extended attributes, ACLs, sub-second times) gets a pax extended header. Writing the
        // dialect of the first member instead would drop what later members' headers carry.
        let isTar = reader.formatCode & ARCHIVE_FORMAT_BASE_MASK == ARCHIVE_FORMAT_TAR
        var status = archive_write_set_format(handle, isTar ? ARCHIVE_FORMAT_TAR_PAX_RESTRICTED : reader.formatCode)
        if status != ARCHIVE_OK {
            let problem = ArchiveReader.message(handle)
            archive_write_free(handle)
            throw PrivctlError(.unsupported, path: path, problem: "cannot write this archive format: \(problem)")
        }
        // Extended attributes in the SCHILY form only, which GNU tar, star and libarchive all
        // read; libarchive's default adds a LIBARCHIVE copy that GNU tar warns about on every
        // member. (A libarchive without the option keeps its default.)
        if isTar { _ = archive_write_set_format_option(handle, "pax", "xattrheader", "SCHILY") }
        // Filters are written innermost first; the reader lists them outermost first.
        let filters = reader.filterCodes
        let ownGzip = filters == [ARCHIVE_FILTER_GZIP]
        if !ownGzip {
            for code in filters.reversed() where archive_write_add_filter(handle, code) != ARCHIVE_OK {
                let problem = ArchiveReader.message(handle)
                archive_write_free(handle)
                throw PrivctlError(.unsupported, path: path, problem: "cannot write this compression: \(problem)")
            }
        }
        // No padding beyond the format's own record: the last block may be short.
        archive_write_set_bytes_in_last_block(handle, 1)
        if ownGzip {
            let sink = ParallelGzipSink(file: file, level: gzipLevel)
            let box = Unmanaged.passRetained(SinkBox(sink.write))
            status = archive_write_open2(handle, box.toOpaque(), nil, writeToSinkBox, nil, nil)
            self.sink = sink
            self.sinkBox = box
        } else {
            status = archive_write_open_fd(handle, file.descriptor)
            self.sink = nil
            self.sinkBox = nil
        }
        self.handle = handle
        self.holdBack = nil
        if status != ARCHIVE_OK {
            let problem = ArchiveReader.message(handle)
            throw PrivctlError(.failed, path: path, problem: "cannot open for writing: \(problem)")
        }
    }

    /// A writer of single tar members (pax, like every tar privctl writes) for a byte-for-byte
    /// copy of the rest of an archive (``ArchiveRewrite``): what it writes goes to `sink`
    /// without the end-of-archive blocks, so that the copy goes on after it.
    init(memberFragmentsTo sink: @escaping (UnsafeRawBufferPointer) throws -> Void, path: String) throws {
        guard let handle = archive_write_new() else {
            throw PrivctlError(.failed, path: path, problem: "libarchive could not allocate a writer")
        }
        self.path = path
        self.handle = handle
        self.sink = nil
        archive_write_set_format(handle, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED)
        _ = archive_write_set_format_option(handle, "pax", "xattrheader", "SCHILY")
        archive_write_set_bytes_in_last_block(handle, 1)
        // The last 1,024 bytes (the end-of-archive blocks that closing writes) are held back.
        let holdBack = HoldBack(count: 1024, sink)
        let box = Unmanaged.passRetained(SinkBox(holdBack.write))
        self.sinkBox = box
        self.holdBack = holdBack
        let status = archive_write_open2(handle, box.toOpaque(), nil, writeToSinkBox, nil, nil)
        if status != ARCHIVE_OK {
            throw PrivctlError(.failed, path: path, problem: "cannot open for writing: \(ArchiveReader.message(handle))")
        }
    }

    deinit {
        if !closed { archive_write_close(handle) }
        archive_write_free(handle)
        sinkBox?.release()
    }

    /// Writes the header of the reader's current member, with `size` instead of its own when
    /// the content changes.
    public func writeHeader(copying reader: ArchiveReader, size: Int? = nil) throws {
        guard let entry = reader.currentEntry, let clone = archive_entry_clone(entry) else {
            throw PrivctlError(.failed, path: path, problem: "no member to copy")
        }
        defer { archive_entry_free(clone) }
        if let size { archive_entry_set_size(clone, Int64(size)) }
        // The data written is the whole content, holes as zeros: the member is written dense.
        archive_entry_sparse_clear(clone)
        // A zip entry keeps its method: stored stays stored, the rest is deflated.
        if archive_format(handle) & ARCHIVE_FORMAT_BASE_MASK == ARCHIVE_FORMAT_ZIP {
            _ = reader.currentMemberIsStored
                ? archive_write_zip_set_compression_store(handle) : archive_write_zip_set_compression_deflate(handle)
        }
        let status = ArchiveLocale.run { archive_write_header(handle, clone) }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN else { throw failure() }
    }

    /// Writes member data.
    public func writeData(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = archive_write_data(handle, bytes.baseAddress! + offset, bytes.count - offset)
            guard n > 0 else { throw failure() }
            offset += n
        }
    }

    /// Ends the archive (writes trailers, flushes compression).
    public func close() throws {
        guard !closed else { return }
        closed = true
        let status = archive_write_close(handle)
        guard status == ARCHIVE_OK else { throw failure() }
        try sink?.finish()
        if let holdBack, holdBack.held != [UInt8](repeating: 0, count: 1024) {
            throw PrivctlError(.failed, path: path, problem: "libarchive ended a member without the expected end-of-archive blocks")
        }
    }

    private func failure() -> PrivctlError {
        if let error = sinkBox?.takeUnretainedValue().failure as? PrivctlError { return error }
        return PrivctlError(.failed, path: path, problem: ArchiveReader.message(handle))
    }


    /// Passes on all but the last `count` bytes written to it.
    private final class HoldBack {
        private let sink: (UnsafeRawBufferPointer) throws -> Void
        private let count: Int
        /// The last bytes written, at most `count`.
        private(set) var held: [UInt8] = []

        init(count: Int, _ sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
            self.count = count
            self.sink = sink
        }

        func write(_ bytes: UnsafeRawBufferPointer) throws {
            held.append(contentsOf: bytes)
            guard held.count > count else { return }
            let passOn = held.count - count
            try held.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[0..<passOn])) }
            held.removeFirst(passOn)
        }
    }
}

/// What the write callback reaches.
private final class SinkBox {
    let write: (UnsafeRawBufferPointer) throws -> Void
    var failure: (any Error)?
    init(_ write: @escaping (UnsafeRawBufferPointer) throws -> Void) { self.write = write }
}

/// The C callback through which libarchive hands a ``SinkBox`` what it writes.
private func writeToSinkBox(
    _ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?, _ buffer: UnsafeRawPointer?, _ length: Int
) -> Int {
    guard let context, let buffer else { return -1 }
    let box = Unmanaged<SinkBox>.fromOpaque(context).takeUnretainedValue()
    do {
        try box.write(UnsafeRawBufferPointer(start: buffer, count: length))
        return length
    } catch {
        box.failure = error
        return -1
    }
}
