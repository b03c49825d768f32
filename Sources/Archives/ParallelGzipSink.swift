import FileSystem
import Dispatch
import Foundation

/// Compresses a byte stream to gzip on every core (libdeflate, ``GzipMemberCompressor``) and
/// writes it to a file descriptor.
///
/// The stream is cut into chunks of ``chunkSize``; each chunk becomes one complete gzip member
/// (RFC 1952 allows any number in a row, and `gzip -d`, `gzip -t`, GNU tar and bsdtar read them as
/// one stream, as they read `pigz` output). Chunks are compressed in the background while the
/// caller goes on producing the next ones, and written in order; at most four chunks per core
/// are in flight, so memory stays bounded whatever the stream's length. A member that is already
/// compressed (``writeMember(_:)``) goes in between as it is.
public final class ParallelGzipSink: @unchecked Sendable {
    /// 256 KiB: a member that changes in a later erase is compressed anew whole, so small
    /// members keep that work small; measured on backup tars, 256 KiB members are 0.01 % larger
    /// than 1 MiB ones (deflate's window is 32 KiB).
    public static let defaultChunkSize = 256 << 10
    public let chunkSize: Int
    public let level: Int32
    private let file: OpenFile
    private var current: [UInt8] = []
    private var nextIndex = 0

    private let queue = DispatchQueue(label: "privctl.gzip", attributes: .concurrent)
    private let group = DispatchGroup()
    private let slots: DispatchSemaphore
    private let lock = NSLock()
    // Guarded by `lock`:
    private var finished: [Int: [UInt8]] = [:]
    private var nextToWrite = 0
    private var failure: PrivctlError?
    private var written = 0
    private var idle: [GzipMemberCompressor] = []

    /// Compressed bytes written so far.
    public var bytesWritten: Int { lock.withLock { written } }

    /// A sink writing to `file`, compressing at libdeflate's `level` (``GzipMemberCompressor``).
    public init(file: OpenFile, level: Int32 = GzipMemberCompressor.defaultLevel, chunkSize: Int = ParallelGzipSink.defaultChunkSize) {
        self.file = file
        self.level = level
        self.chunkSize = chunkSize
        slots = DispatchSemaphore(value: 4 * max(1, ProcessInfo.processInfo.activeProcessorCount))
        current.reserveCapacity(chunkSize)
    }

    /// Adds uncompressed bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if let failure = lock.withLock({ failure }) { throw failure }
        var offset = 0
        while offset < bytes.count {
            let take = min(chunkSize - current.count, bytes.count - offset)
            current.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)]))
            offset += take
            if current.count == chunkSize { submit() }
        }
    }

    /// Adds a complete gzip member as it is (one copied from another gzip file): the bytes added
    /// before it are compressed as a member of their own, and it is written after them.
    public func writeMember(_ member: [UInt8]) throws {
        if let failure = lock.withLock({ failure }) { throw failure }
        if !current.isEmpty { submit() }
        enqueue { _ in member }
    }

    /// Compresses and writes what is left, and waits for every chunk to be written.
    public func finish() throws {
        if !current.isEmpty || nextIndex == 0 { submit() }
        group.wait()
        if let failure = lock.withLock({ failure }) { throw failure }
    }

    private func submit() {
        let chunk = current
        current = []
        current.reserveCapacity(chunkSize)
        enqueue { sink in
            // A compressor per chunk in flight, made once and handed back (libdeflate's state is
            // a few hundred KiB: not allocated again for every MiB).
            let compressor = sink.lock.withLock { sink.idle.popLast() } ?? GzipMemberCompressor(level: sink.level)
            let compressed = compressor?.compress(chunk)
            if let compressor { sink.lock.withLock { sink.idle.append(compressor) } }
            return compressed
        }
    }

    /// Makes the next member in the background (nil: compression failed) and writes it in turn.
    private func enqueue(_ make: @escaping @Sendable (ParallelGzipSink) -> [UInt8]?) {
        let index = nextIndex
        nextIndex += 1
        slots.wait()
        group.enter()
        queue.async { [self] in
            defer {
                slots.signal()
                group.leave()
            }
            let compressed = make(self)
            lock.lock()
            defer { lock.unlock() }
            guard let compressed else {
                failure = failure ?? PrivctlError(.failed, path: file.path, problem: "gzip compression failed")
                return
            }
            finished[index] = compressed
            // Write every chunk that is next in order.
            while failure == nil, let ready = finished.removeValue(forKey: nextToWrite) {
                if let error = writeAll(ready) { failure = error }
                written += ready.count
                nextToWrite += 1
            }
        }
    }

    private func writeAll(_ bytes: [UInt8]) -> PrivctlError? {
        do {
            try file.write(bytes)
            return nil
        } catch {
            return error
        }
    }
}
