import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Compresses a byte stream to gzip on every core and writes it to a file descriptor.
///
/// The stream is cut into chunks of ``chunkSize``; each chunk becomes one complete gzip member
/// (RFC 1952 allows any number in a row, and `gzip -d`, `gzip -t`, GNU tar and bsdtar read them as
/// one stream, as they read `pigz` output). Chunks are compressed in parallel and written in
/// order, so memory holds at most a few chunks per core.
public final class ParallelGzipSink {
    public let chunkSize: Int
    public let level: Int32
    private let fd: Int32
    private let path: String
    private let cores: Int
    private var pending: [[UInt8]] = []
    private var current: [UInt8] = []
    /// Compressed bytes written so far.
    public private(set) var bytesWritten = 0

    public init(fd: Int32, path: String, level: Int32 = 6, chunkSize: Int = 1 << 20) {
        self.fd = fd
        self.path = path
        self.level = level
        self.chunkSize = chunkSize
        self.cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        current.reserveCapacity(chunkSize)
    }

    /// Adds uncompressed bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let take = min(chunkSize - current.count, bytes.count - offset)
            current.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)]))
            offset += take
            if current.count == chunkSize {
                pending.append(current)
                current = []
                current.reserveCapacity(chunkSize)
                if pending.count >= cores * 2 { try flushPending() }
            }
        }
    }

    /// Compresses and writes what is left.
    public func finish() throws {
        if !current.isEmpty || (pending.isEmpty && bytesWritten == 0) {
            pending.append(current)
            current = []
        }
        try flushPending()
    }

    private func flushPending() throws {
        guard !pending.isEmpty else { return }
        let chunks = pending
        pending.removeAll(keepingCapacity: true)
        let level = self.level
        let results = UnsafeMutableBufferPointer<[UInt8]?>.allocate(capacity: chunks.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let slots = Slots(base: results.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { i in
            slots.base[i] = try? GzipStream.compress(chunks[i], level: level)
        }
        for i in 0..<chunks.count {
            guard let compressed = results[i] else {
                throw ArchiveError(path: path, problem: "gzip compression failed")
            }
            try compressed.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw ArchiveError(path: path, problem: "cannot write: \(String(cString: strerror(errno)))")
                    }
                    done += n
                }
            }
            bytesWritten += compressed.count
        }
    }

    /// Each worker writes only its own slot.
    private struct Slots: @unchecked Sendable {
        let base: UnsafeMutablePointer<[UInt8]?>
    }
}
