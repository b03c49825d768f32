import FileSystem
import Foundation

/// A gzip file inflated for libarchive, in bounded pieces, with every member's CRC-32 and length
/// checked, on a thread of its own: while libarchive and privctl work on one piece, the next
/// ones are inflated on the other cores (at most ``depth`` ahead, so memory stays bounded).
///
/// Members that state their length (``GzipMemberCompressor``: every member privctl writes) are
/// each read and inflated whole by libdeflate (``GzipMemberDecompressor``), up to ``window`` of
/// them at once on every core, and handed over in order; a member is only taken when it inflates
/// to exactly its stated length with its checks passing, else it and everything after it is read
/// again in order. Other members are read in order: one that is whole in the input buffer by
/// libdeflate, a longer one (what `gzip` writes) or one libdeflate rejects streaming through
/// zlib (``GzipStream``), whose verdict on bad data stands. With a ``tee`` it keeps what it inflates for a
/// byte-for-byte copy, with where each member ends and the member's compressed bytes (when it
/// is not longer than ``TarStreamCopy/holdLimit``), so an unchanged member can be copied as it is.
final class GzipSource {
    /// The longest piece handed out (and the longest member inflated whole).
    static let pieceCapacity = 1 << 20
    /// Pieces inflated ahead of the one handed out.
    static let depth = 6
    /// The most members with a stated length inflated at once.
    static let window = 4

    private let inflation: Inflation
    /// The piece handed to libarchive; valid until the next call of ``next()``.
    private(set) var output: UnsafeRawPointer?
    private var handedOut: UnsafeMutableRawBufferPointer?
    private var finished = false
    /// Why reading failed; libarchive only learns that it did.
    private(set) var failure: PrivctlError?
    /// Keeps what is inflated for a byte-for-byte copy (``ArchiveReader/rawBytes``).
    var tee: RawTee?

    /// With `keepingRawBytes`, a ``tee`` keeps what is inflated. `blockSize` is the most zlib
    /// hands out at once.
    init(file: OpenFile, blockSize: Int, keepingRawBytes: Bool = false) throws(PrivctlError) {
        inflation = try Inflation(file: file, streamPiece: min(max(blockSize, 1 << 12) * 4, Self.pieceCapacity), keepingMembers: keepingRawBytes)
        tee = keepingRawBytes ? RawTee() : nil
        let inflation = inflation
        let thread = Thread { inflation.run() }
        thread.name = "privctl.gunzip"
        thread.start()
    }

    deinit {
        if let handedOut { inflation.recycle(handedOut) }
        inflation.cancel()
    }

    /// The next inflated piece (at ``output``): its length, 0 at the end of the file, -1 when
    /// the file is damaged or unreadable (``failure``).
    func next() -> Int {
        if failure != nil { return -1 }
        if finished { return 0 }
        if let handedOut {
            inflation.recycle(handedOut)
            self.handedOut = nil
        }
        while true {
            switch inflation.take() {
            case .bytes(let buffer, let count, let memberEnd):
                if let tee {
                    if count > 0 { tee.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
                    if let memberEnd { tee.memberEnded(memberEnd) }
                }
                guard count > 0 else {
                    inflation.recycle(buffer)
                    continue
                }
                handedOut = buffer
                output = UnsafeRawPointer(buffer.baseAddress)
                return count
            case .end:
                finished = true
                return 0
            case .failure(let error):
                failure = error
                return -1
            }
        }
    }

    /// Reads and checks the rest of the file (what follows the archive's end in the stream).
    func drain() throws(PrivctlError) {
        while true {
            let count = next()
            if count < 0 { throw failure! }
            if count == 0 { return }
        }
    }
}

extension GzipSource {
    /// What the inflating thread hands over, in order.
    enum Piece {
        /// `count` inflated bytes at the start of `buffer` (0 when only a member's trailer was
        /// read), and the member that ends with them.
        case bytes(UnsafeMutableRawBufferPointer, count: Int, memberEnd: RawTee.MemberEnd?)
        /// The file ended after a whole member.
        case end
        /// The file is damaged or unreadable; nothing follows.
        case failure(PrivctlError)
    }

    /// One member with a stated length, read and inflated on some core.
    final class MemberJob: @unchecked Sendable {
        let offset: Int
        let length: Int
        let output: UnsafeMutableRawBufferPointer
        /// The member's compressed bytes.
        private(set) var input: [UInt8] = []
        /// What it inflated to; nil when it did not inflate to exactly its stated length.
        private(set) var produced: Int?
        let done = DispatchSemaphore(value: 0)

        init(offset: Int, length: Int, output: UnsafeMutableRawBufferPointer) {
            self.offset = offset
            self.length = length
            self.output = output
        }

        func run(file: OpenFile, decompressors: DecompressorPool) {
            defer { done.signal() }
            input = [UInt8](repeating: 0, count: length)
            let read = input.withUnsafeMutableBytes { try? file.read(at: offset, into: $0) }
            guard read == length, let decompressor = decompressors.take() else { return }
            defer { decompressors.give(decompressor) }
            let result = input.withUnsafeBytes { decompressor.decompress($0, into: output) }
            if let result, result.consumed == length { produced = result.produced }
        }
    }

    /// libdeflate decompressors for the members inflated at once, each used by one at a time.
    final class DecompressorPool: @unchecked Sendable {
        private let lock = NSLock()
        private var idle: [GzipMemberDecompressor] = []

        func take() -> GzipMemberDecompressor? { lock.withLock { idle.popLast() } ?? GzipMemberDecompressor() }
        func give(_ decompressor: GzipMemberDecompressor) { lock.withLock { idle.append(decompressor) } }
    }

    /// The inflating thread's state: the file, the input buffer, zlib and libdeflate. Only
    /// ``take()``, ``recycle(_:)`` and ``cancel()`` are called from outside it.
    final class Inflation: @unchecked Sendable {
        private let file: OpenFile
        private let inflater: GzipStream
        private let wholeMember = GzipMemberDecompressor()
        private let decompressors = DecompressorPool()
        private let keepingMembers: Bool
        private let streamPiece: Int
        private let input: UnsafeMutableRawBufferPointer
        private var inputStart = 0
        private var inputEnd = 0
        /// The file offset of `input`'s first byte.
        private var inputOffset = 0
        /// The file is read to its end.
        private var endOfFile = false
        /// Bytes inflated so far.
        private var inflated = 0
        /// No member is half read: the next byte starts one (or the file ends).
        private var atMemberStart = true
        /// libdeflate could not take the member being read: zlib reads it.
        private var streamingMember = false
        /// The member that starts now states no length, or not its own: it is read in order.
        private var readInOrder = false
        /// The compressed bytes of the member zlib is reading, while they are wanted.
        private var memberBytes: [UInt8] = []
        private var memberTooLong = false

        private let condition = NSCondition()
        private let stopped = DispatchSemaphore(value: 0)
        // Guarded by `condition`:
        private var ready: [Piece] = []
        private var spare: [UnsafeMutableRawBufferPointer] = []
        private var cancelled = false

        init(file: OpenFile, streamPiece: Int, keepingMembers: Bool) throws(PrivctlError) {
            self.file = file
            self.streamPiece = streamPiece
            self.keepingMembers = keepingMembers
            inflater = try GzipStream(.decompress)
            // Twice the longest member libdeflate takes whole: one always is whole when it starts.
            input = .allocate(byteCount: 2 * GzipSource.pieceCapacity, alignment: 16)
        }

        deinit {
            input.deallocate()
            for buffer in spare { buffer.deallocate() }
            for case .bytes(let buffer, _, _) in ready { buffer.deallocate() }
        }

        // MARK: The consuming side

        /// The next piece, waiting for it.
        func take() -> Piece {
            condition.lock()
            defer { condition.unlock() }
            while ready.isEmpty { condition.wait() }
            condition.broadcast()
            return ready.removeFirst()
        }

        /// Gives a buffer handed out back.
        func recycle(_ buffer: UnsafeMutableRawBufferPointer) {
            condition.withLock { spare.append(buffer) }
        }

        /// Stops the thread and waits until it has.
        func cancel() {
            condition.withLock {
                cancelled = true
                condition.broadcast()
            }
            stopped.wait()
        }

        // MARK: The inflating thread

        func run() {
            defer { stopped.signal() }
            do throws(PrivctlError) {
                while true {
                    if atMemberStart && !streamingMember && !readInOrder {
                        guard inflateStatedMembers() else { return }
                    }
                    guard let buffer = acquire() else { return }
                    do throws(PrivctlError) {
                        guard try inflateNext(into: buffer) else { return }
                    } catch {
                        recycle(buffer)
                        throw error
                    }
                }
            } catch {
                _ = put(.failure(error))
            }
        }

        /// From ``position``: the members that state their length, each read and inflated on
        /// some core, up to ``GzipSource/window`` at once, handed over in order. Stops at the
        /// first member that states nothing (or not its own length, or is damaged): that one is
        /// read in order next. false: the reader is gone.
        private func inflateStatedMembers() -> Bool {
            var window: [MemberJob] = []
            defer {
                for job in window {
                    job.done.wait()
                    recycle(job.output)
                }
            }
            var next = position
            while true {
                while window.count < GzipSource.window, let length = statedLength(at: next) {
                    guard let buffer = acquire() else { return false }
                    let job = MemberJob(offset: next, length: length, output: buffer)
                    window.append(job)
                    next += length
                    let file = file
                    let decompressors = decompressors
                    DispatchQueue.global().async { job.run(file: file, decompressors: decompressors) }
                }
                guard !window.isEmpty else {
                    readInOrder = true
                    return true
                }
                let job = window.removeFirst()
                job.done.wait()
                guard let produced = job.produced else {
                    // Not its own length, or damaged; what follows it was found by that length.
                    recycle(job.output)
                    readInOrder = true
                    return true
                }
                inflated += produced
                moveInput(to: job.offset + job.length)
                let memberEnd = RawTee.MemberEnd(uncompressed: inflated, compressed: keepingMembers ? job.input : nil)
                guard put(.bytes(job.output, count: produced, memberEnd: memberEnd)) else { return false }
            }
        }

        /// The length the member at `offset` states, when it states one libdeflate can take whole.
        private func statedLength(at offset: Int) -> Int? {
            var header = [UInt8](repeating: 0, count: 32)
            guard let count = header.withUnsafeMutableBytes({ try? file.read(at: offset, into: $0) }), count == header.count
            else { return nil }
            guard let length = header.withUnsafeBytes({ GzipMemberCompressor.statedLength($0) }),
                length > GzipMemberCompressor.headerLength + 8, length <= input.count
            else { return nil }
            return length
        }

        /// The file offset of the next byte not yet inflated.
        private var position: Int { inputOffset + inputStart }

        /// Goes on reading in order from `offset` (the input buffer is emptied).
        private func moveInput(to offset: Int) {
            inputOffset = offset
            inputStart = 0
            inputEnd = 0
            endOfFile = false
        }

        /// Inflates the next piece in order into `buffer` and hands it over: false when nothing
        /// follows (the file ended, or the reader is gone).
        private func inflateNext(into buffer: UnsafeMutableRawBufferPointer) throws(PrivctlError) -> Bool {
            if atMemberStart && !streamingMember, let step = inflateWholeMember(into: buffer) {
                return put(.bytes(buffer, count: step.produced, memberEnd: step.memberEnd))
            }
            if inputStart == inputEnd {
                try fill()
                if inputStart == inputEnd {
                    // A failure found together with the last bytes comes out now.
                    _ = try inflate(UnsafeRawBufferPointer(start: nil, count: 0), into: buffer)
                    guard atMemberStart else {
                        throw PrivctlError(.corrupt, path: file.path, problem: "the gzip data ends early: the archive is truncated")
                    }
                    recycle(buffer)
                    _ = put(.end)
                    return false
                }
            }
            let step = try inflate(UnsafeRawBufferPointer(rebasing: input[inputStart..<inputEnd]), into: buffer)
            if keepingMembers && !memberTooLong {
                memberBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[inputStart..<(inputStart + step.consumed)]))
                if memberBytes.count > TarStreamCopy.holdLimit {
                    memberTooLong = true
                    memberBytes = []
                }
            }
            inputStart += step.consumed
            inflated += step.produced
            if step.consumed > 0 { atMemberStart = step.endedMember }
            var memberEnd: RawTee.MemberEnd?
            if step.endedMember {
                memberEnd = .init(uncompressed: inflated, compressed: keepingMembers && !memberTooLong ? memberBytes : nil)
                memberBytes.removeAll(keepingCapacity: true)
                memberTooLong = false
                streamingMember = false
                readInOrder = false
            }
            guard step.produced > 0 || memberEnd != nil else {
                recycle(buffer)
                return true
            }
            return put(.bytes(buffer, count: step.produced, memberEnd: memberEnd))
        }

        /// A buffer to inflate into, once fewer than ``GzipSource/depth`` pieces wait; nil when
        /// cancelled.
        private func acquire() -> UnsafeMutableRawBufferPointer? {
            condition.lock()
            defer { condition.unlock() }
            while !cancelled && ready.count >= GzipSource.depth { condition.wait() }
            if cancelled { return nil }
            return spare.popLast() ?? .allocate(byteCount: GzipSource.pieceCapacity, alignment: 16)
        }

        /// Hands a piece over; false when cancelled (the piece's buffer is freed).
        private func put(_ piece: Piece) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            guard !cancelled else {
                if case .bytes(let buffer, _, _) = piece { buffer.deallocate() }
                return false
            }
            ready.append(piece)
            condition.broadcast()
            return true
        }

        /// At a member's start, in order: the whole member through libdeflate, when it is whole
        /// in the input (read on first when less than half the buffer is left) and inflates to at
        /// most a buffer's length. nil: zlib reads this member.
        private func inflateWholeMember(into buffer: UnsafeMutableRawBufferPointer) -> (produced: Int, memberEnd: RawTee.MemberEnd)? {
            guard let wholeMember else { return nil }
            if inputEnd - inputStart < input.count / 2 && !endOfFile {
                do { try fill() } catch { return nil }  // zlib meets the failure and reports it
            }
            guard inputStart < inputEnd,
                let step = wholeMember.decompress(UnsafeRawBufferPointer(rebasing: input[inputStart..<inputEnd]), into: buffer)
            else {
                streamingMember = true
                return nil
            }
            let compressed = keepingMembers ? Array(UnsafeRawBufferPointer(rebasing: input[inputStart..<(inputStart + step.consumed)])) : nil
            inputStart += step.consumed
            inflated += step.produced
            readInOrder = false
            return (step.produced, .init(uncompressed: inflated, compressed: compressed))
        }

        /// Moves what is left of the input to the buffer's start and reads the file on until the
        /// buffer is full or the file ends.
        private func fill() throws(PrivctlError) {
            if inputStart > 0 {
                let left = inputEnd - inputStart
                if left > 0 { input.baseAddress!.copyMemory(from: input.baseAddress! + inputStart, byteCount: left) }
                inputOffset += inputStart
                inputStart = 0
                inputEnd = left
            }
            if inputEnd < input.count && !endOfFile {
                let wanted = input.count - inputEnd
                let count = try file.read(at: inputOffset + inputEnd, into: UnsafeMutableRawBufferPointer(rebasing: input[inputEnd...]))
                if count < wanted { endOfFile = true }
                inputEnd += count
            }
        }

        private func inflate(
            _ bytes: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer
        ) throws(PrivctlError) -> (consumed: Int, produced: Int, endedMember: Bool) {
            do {
                return try inflater.decompress(bytes, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<streamPiece]))
            } catch {
                throw PrivctlError(.corrupt, path: file.path, problem: "the gzip data is damaged: \(error.problem)")
            }
        }
    }
}
