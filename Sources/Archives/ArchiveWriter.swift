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
    private var closed = false

    /// Opens a writer on `file` (not closed by the writer) for an archive like the one `reader`
    /// is reading (call after its first ``ArchiveReader/nextMember()``).
    public init(file: OpenFile, like reader: ArchiveReader, gzipLevel: Int32 = 6) throws {
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
            let box = Unmanaged.passRetained(SinkBox(sink))
            status = archive_write_open2(handle, box.toOpaque(), nil, { _, context, buffer, length in
                guard let context, let buffer else { return -1 }
                let box = Unmanaged<SinkBox>.fromOpaque(context).takeUnretainedValue()
                do {
                    try box.sink.write(UnsafeRawBufferPointer(start: buffer, count: length))
                    return length
                } catch {
                    box.failure = error
                    return -1
                }
            }, nil, nil)
            self.sink = sink
            self.sinkBox = box
        } else {
            status = archive_write_open_fd(handle, file.descriptor)
            self.sink = nil
            self.sinkBox = nil
        }
        self.handle = handle
        if status != ARCHIVE_OK {
            let problem = ArchiveReader.message(handle)
            throw PrivctlError(.failed, path: path, problem: "cannot open for writing: \(problem)")
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
    }

    private func failure() -> PrivctlError {
        if let error = sinkBox?.takeUnretainedValue().failure as? PrivctlError { return error }
        return PrivctlError(.failed, path: path, problem: ArchiveReader.message(handle))
    }

    /// What the write callback reaches.
    private final class SinkBox {
        let sink: ParallelGzipSink
        var failure: (any Error)?
        init(_ sink: ParallelGzipSink) { self.sink = sink }
    }
}
