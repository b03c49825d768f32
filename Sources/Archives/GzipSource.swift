import FileSystem
import Foundation

/// A gzip file inflated for libarchive, in bounded pieces, with every member's CRC-32 and length
/// checked, on a thread of its own: while libarchive and privctl work on one piece, the next
/// ones are inflated on the other core (at most ``depth`` ahead, so memory stays bounded).
///
/// A member that is whole in the input buffer is inflated at once by libdeflate
/// (``GzipMemberDecompressor``, about twice as fast; the archives privctl writes are members of
/// about 1 MiB); a longer one, or one libdeflate rejects, streams through zlib (``GzipStream``),
/// whose verdict on bad data stands. With a ``tee`` it keeps what it inflates for a
/// byte-for-byte copy, with where each member ends and the member's compressed bytes (when it
/// is not longer than ``TarStreamCopy/holdLimit``), so an unchanged member can be copied as it is.
final class GzipSource {
    /// The longest piece handed out.
    static let pieceCapacity = 2 << 20
    /// Pieces inflated ahead of the one handed out.
    static let depth = 3

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

    /// The inflating thread's state: the file, the input buffer, zlib and libdeflate. Only
    /// ``take()``, ``recycle(_:)`` and ``cancel()`` are called from outside it.
    final class Inflation: @unchecked Sendable {
        private let file: OpenFile
        private let inflater: GzipStream
        /// One libdeflate decompressor per member inflated side by side.
        private let wholeMembers: [GzipMemberDecompressor]
        private let keepingMembers: Bool
        private let streamPiece: Int
        private let input: UnsafeMutableRawBufferPointer
        private var inputStart = 0
        private var inputEnd = 0
        /// The file is read to its end.
        private var endOfFile = false
        /// Bytes inflated so far.
        private var inflated = 0
        /// No member is half read: the next byte starts one (or the file ends).
        private var atMemberStart = true
        /// libdeflate could not take the member being read: zlib reads it.
        private var streamingMember = false
        /// The member that starts now did not inflate to the length its header states.
        private var statedLengthFailed = false
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
            wholeMembers = (0..<min(2, ProcessInfo.processInfo.activeProcessorCount)).compactMap { _ in GzipMemberDecompressor() }
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
            while var buffers = acquire(upTo: wholeMembers.count) {
                do throws(PrivctlError) {
                    if atMemberStart && !streamingMember && !statedLengthFailed {
                        let (handedOver, left) = inflateStatedMembers(into: buffers)
                        guard handedOver >= 0 else { return }
                        buffers = left
                        if handedOver > 0 {
                            buffers.forEach(recycle)
                            continue
                        }
                    }
                    buffers.dropFirst().forEach(recycle)
                    let buffer = buffers[0]
                    do throws(PrivctlError) {
                        guard try inflateNext(into: buffer) else { return }
                    } catch {
                        recycle(buffer)
                        throw error
                    }
                } catch {
                    _ = put(.failure(error))
                    return
                }
            }
        }

        /// At a member's start: the members that state their length (``GzipMemberCompressor``)
        /// and are whole in the input, one per buffer, inflated side by side and handed over in
        /// order. Says how many were handed over (-1: the reader is gone) and which buffers are
        /// left. A member that does not inflate to exactly its stated length stops the run; it
        /// is read as if it stated nothing.
        private func inflateStatedMembers(
            into buffers: [UnsafeMutableRawBufferPointer]
        ) -> (handedOver: Int, left: [UnsafeMutableRawBufferPointer]) {
            if inputEnd - inputStart < input.count / 2 && !endOfFile {
                do { try fill() } catch { return (0, buffers) }  // the reading path meets the failure
            }
            var members: [Range<Int>] = []
            var start = inputStart
            while members.count < buffers.count,
                let length = GzipMemberCompressor.statedLength(UnsafeRawBufferPointer(rebasing: input[start..<inputEnd])),
                length > GzipMemberCompressor.headerLength, start + length <= inputEnd
            {
                members.append(start..<(start + length))
                start += length
            }
            guard !members.isEmpty else {
                statedLengthFailed = true
                return (0, buffers)
            }
            // Each member is read from its own part of the input into its own buffer by its own
            // decompressor: nothing is shared between the iterations.
            nonisolated(unsafe) let input = UnsafeRawBufferPointer(input)
            nonisolated(unsafe) let targets = buffers
            let ranges = members
            let decompressors = wholeMembers
            nonisolated(unsafe) var results = [(consumed: Int, produced: Int)?](repeating: nil, count: members.count)
            results.withUnsafeMutableBufferPointer { results in
                nonisolated(unsafe) let results = results
                DispatchQueue.concurrentPerform(iterations: members.count) { i in
                    results[i] = decompressors[i].decompress(UnsafeRawBufferPointer(rebasing: input[ranges[i]]), into: targets[i])
                }
            }
            var handedOver = 0
            for (i, member) in members.enumerated() {
                guard let result = results[i], result.consumed == member.count else {
                    statedLengthFailed = true
                    break
                }
                let compressed = keepingMembers ? Array(UnsafeRawBufferPointer(rebasing: input[member])) : nil
                inputStart = member.upperBound
                inflated += result.produced
                guard put(.bytes(buffers[i], count: result.produced, memberEnd: .init(uncompressed: inflated, compressed: compressed))) else {
                    return (-1, Array(buffers[(i + 1)...]))
                }
                handedOver += 1
            }
            return (handedOver, Array(buffers[handedOver...]))
        }

        /// Inflates the next piece into `buffer` and hands it over: false when nothing follows
        /// (the file ended, or the reader is gone).
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
                statedLengthFailed = false
            }
            guard step.produced > 0 || memberEnd != nil else {
                recycle(buffer)
                return true
            }
            return put(.bytes(buffer, count: step.produced, memberEnd: memberEnd))
        }

        /// Up to `count` buffers to inflate into, at least one, once fewer than
        /// ``GzipSource/depth`` pieces wait; nil when cancelled.
        private func acquire(upTo count: Int) -> [UnsafeMutableRawBufferPointer]? {
            condition.lock()
            defer { condition.unlock() }
            while !cancelled && ready.count >= GzipSource.depth { condition.wait() }
            if cancelled { return nil }
            return (0..<max(1, min(count, GzipSource.depth - ready.count))).map { _ in
                spare.popLast() ?? .allocate(byteCount: GzipSource.pieceCapacity, alignment: 16)
            }
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

        /// At a member's start: the whole member through libdeflate, when it is whole in the
        /// input (read on first when less than half the buffer is left) and inflates to at most
        /// a buffer's length. nil: zlib reads this member.
        private func inflateWholeMember(into buffer: UnsafeMutableRawBufferPointer) -> (produced: Int, memberEnd: RawTee.MemberEnd)? {
            guard let wholeMembers = wholeMembers.first else { return nil }
            if inputEnd - inputStart < input.count / 2 && !endOfFile {
                do { try fill() } catch { return nil }  // zlib meets the failure and reports it
            }
            guard inputStart < inputEnd,
                let step = wholeMembers.decompress(UnsafeRawBufferPointer(rebasing: input[inputStart..<inputEnd]), into: buffer)
            else {
                streamingMember = true
                return nil
            }
            let compressed = keepingMembers ? Array(UnsafeRawBufferPointer(rebasing: input[inputStart..<(inputStart + step.consumed)])) : nil
            inputStart += step.consumed
            inflated += step.produced
            statedLengthFailed = false
            return (step.produced, .init(uncompressed: inflated, compressed: compressed))
        }

        /// Moves what is left of the input to the buffer's start and reads the file on until the
        /// buffer is full or the file ends.
        private func fill() throws(PrivctlError) {
            if inputStart > 0 {
                let left = inputEnd - inputStart
                if left > 0 { input.baseAddress!.copyMemory(from: input.baseAddress! + inputStart, byteCount: left) }
                inputStart = 0
                inputEnd = left
            }
            while inputEnd < input.count && !endOfFile {
                let count = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: input[inputEnd...]))
                if count == 0 { endOfFile = true }
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
