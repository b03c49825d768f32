import FileSystem

/// Copies a tar stream to a sink member by member, byte for byte: a kept member's headers (ustar,
/// GNU, pax extended and sparse headers alike) and data go on exactly as they were, so nothing
/// of what the member's creator wrote is lost; a left-out member's bytes do not, except the pax
/// global headers and volume labels among its headers, which later members need.
///
/// The bytes come from ``RawBytes`` in stream order; the caller says up to which stream offset
/// the current member's fate (``keeping``) holds, as libarchive's positions tell.
///
/// Into gzip, what does not change is not compressed again: a gzip member of the old archive
/// whose bytes all go on unchanged (privctl writes its archives as members of 256 KiB, so an
/// archive privctl rewrote before is mostly such members) is copied as it was compressed: the
/// very bytes zlib or libdeflate checked (``GzipSource``), not read again. Its inflated bytes are
/// held until its end shows it whole (at most ``holdLimit``; a longer member, such as the one
/// member `gzip` and `tar -z` write, is compressed anew like a changed one).
final class TarStreamCopy {
    /// Where the copy goes.
    enum Output {
        /// The tar as it is.
        case plain((UnsafeRawBufferPointer) throws -> Void)
        /// Compressed: the unchanged gzip members of the archive the bytes come from are copied
        /// as they are.
        case gzip(ParallelGzipSink)
    }

    /// The most inflated bytes of one old gzip member held to copy it whole.
    static let holdLimit = 4 << 20

    private let source: RawBytes
    private let output: Output
    /// For a plain file: the offset of the next byte not yet taken.
    private var filePosition = 0
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    /// Whether the bytes taken now go to the sink.
    var keeping = true
    /// Where the old gzip member that holds ``position`` starts in the inflated stream.
    private var memberStart = 0
    /// Whether every byte of that member taken so far was kept (and is in ``held``).
    private var holding: Bool
    private var held: [UInt8] = []
    /// Old gzip members copied as they were.
    private(set) var membersCopied = 0

    init(source: RawBytes, output: Output) {
        self.source = source
        self.output = output
        if case .gzip = output, case .inflated = source { holding = true } else { holding = false }
    }

    deinit { buffer.deallocate() }

    /// The stream offset of the next byte not yet taken.
    var position: Int {
        switch source {
        case .inflated(let tee): tee.position
        case .file: filePosition
        }
    }

    /// Takes the bytes up to `offset`: to the sink while ``keeping``, else nowhere.
    func take(upTo offset: Int) throws {
        switch source {
        case .inflated(let tee):
            let target = min(offset, tee.end)
            while true {
                let end = tee.nextMemberEnd
                if let end, end.uncompressed <= tee.position {
                    try memberEnded(end)
                    tee.dropMemberEnd()
                    continue
                }
                guard tee.position < target else { return }
                try tee.take(upTo: min(target, end?.uncompressed ?? target)) { try pass($0) }
            }
        case .file(let file, _):
            while filePosition < offset {
                let count = try file.read(
                    at: filePosition, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, offset - filePosition)]))
                guard count > 0 else { throw PrivctlError(.corrupt, path: file.path, problem: "the archive ends early (truncated)") }
                try pass(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                filePosition += count
            }
        }
    }

    /// Writes bytes that are not in the old archive (a member written anew) at this point.
    func insert(_ bytes: UnsafeRawBufferPointer) throws {
        if holding { try release() }
        try write(bytes)
    }

    /// Writes what is still held; call after ``takeRest()``.
    func finish() throws {
        if holding { try release() }
    }

    /// One piece of the stream, taken.
    private func pass(_ piece: UnsafeRawBufferPointer) throws {
        if keeping {
            guard holding else { return try write(piece) }
            held.append(contentsOf: piece)
            if held.count > Self.holdLimit { try release() }
        } else if holding {
            // Something of this member goes: what it keeps is compressed anew.
            try release()
        }
    }

    /// Compresses what is held of the current old member anew, and holds no more of it.
    private func release() throws {
        holding = false
        try held.withUnsafeBytes { try write($0) }
        held.removeAll(keepingCapacity: true)
    }

    /// An old gzip member ends at ``position``: copied as it was when all of it was kept.
    private func memberEnded(_ end: RawTee.MemberEnd) throws {
        if holding, case .gzip(let sink) = output {
            if let member = end.compressed, end.uncompressed > memberStart, held.count == end.uncompressed - memberStart {
                try sink.writeMember(member)
                membersCopied += 1
                held.removeAll(keepingCapacity: true)
            } else {
                try release()
            }
        }
        memberStart = end.uncompressed
        if case .gzip = output { holding = true }
    }

    private func write(_ bytes: UnsafeRawBufferPointer) throws {
        switch output {
        case .plain(let sink): try sink(bytes)
        case .gzip(let sink): try sink.write(bytes)
        }
    }

    /// Takes everything that is left (what follows the last member: the end-of-archive blocks
    /// and the record's padding) to the sink.
    func takeRest() throws {
        keeping = true
        switch source {
        case .inflated(let tee): try take(upTo: tee.end)
        case .file(_, let size): try take(upTo: size)
        }
    }

    /// At the start of a member that is left out or written anew, whose headers begin at
    /// ``position`` (libarchive has read them all): copies what in them belongs to the archive
    /// rather than to the member (pax global headers `g`, GNU volume labels `V`, and zero blocks,
    /// the end of an archive another was appended to) and leaves out its extended headers and
    /// long names, up to its own header, which goes with the member.
    func keepGlobalHeaders() throws {
        let wasKeeping = keeping
        defer { keeping = wasKeeping }
        while true {
            let header = try peek(512)
            guard header.count == 512 else { return }
            let length: Int
            if header.allSatisfy({ $0 == 0 }) {
                keeping = true
                length = 512
            } else {
                guard let size = Self.octal(header[124..<136]) else { return }
                let flag = header[156]
                if flag == UInt8(ascii: "g") || flag == UInt8(ascii: "V") {
                    keeping = true
                } else if [UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "L"), UInt8(ascii: "K")].contains(flag) {
                    keeping = false
                } else {
                    return  // the member's own header: the rest goes with the member
                }
                length = 512 + (size + 511) / 512 * 512
            }
            try take(upTo: position + length)
        }
    }

    private func peek(_ count: Int) throws -> [UInt8] {
        switch source {
        case .inflated(let tee): tee.peek(count)
        case .file(let file, _): try file.read(at: filePosition, count: count)
        }
    }

    /// A tar header's octal number field (NULs and spaces around it allowed; empty is 0), nil
    /// when it holds anything else (a base-256 number).
    static func octal(_ field: ArraySlice<UInt8>) -> Int? {
        var value = 0
        var digits = 0
        for byte in field {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                value = value * 8 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            case 0, UInt8(ascii: " "):
                if digits > 0 { return value }
            default:
                return nil
            }
        }
        // An empty field (GNU tar writes a volume label's size as NULs) is 0.
        return value
    }
}
