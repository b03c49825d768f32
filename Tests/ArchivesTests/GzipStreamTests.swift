import FileSystem
import Foundation
import TestSupport
import Testing

@testable import Archives

@Suite struct GzipStreamTests {
    @Test func roundTripsAndGzipReadsIt() throws {
        let text = Array(String(repeating: "Rechnung Nr. 2021-0042 über 119,00 €\n", count: 5000).utf8)
        let compressed = try GzipStream.compress(text)
        #expect(compressed.count < text.count / 10)
        #expect(try GzipStream.decompress(compressed) == text)
        // The system's gzip agrees.
        let dir = try TemporaryDirectory()
        let url = try dir.write("t.gz", compressed)
        let gzip = try ChildProcess.run("gzip", ["-t", url.path], mergingErrors: true)
        #expect(gzip.succeeded, "\(gzip.output)")
    }

    @Test func readsEveryMemberOfAMultiMemberGzip() throws {
        let a = Array("first member\n".utf8), b = Array("second member\n".utf8)
        let joined = try GzipStream.compress(a) + GzipStream.compress(b)
        #expect(try GzipStream.decompress(joined) == a + b)
    }

    @Test func truncatedOrCorruptDataThrows() throws {
        let compressed = try GzipStream.compress(Array(repeating: 65, count: 100_000))
        #expect(throws: PrivctlError.self) { try GzipStream.decompress(Array(compressed.prefix(compressed.count - 8))) }
        var corrupt = compressed
        corrupt[12] ^= 0xff
        corrupt[13] ^= 0xff
        #expect(throws: PrivctlError.self) { try GzipStream.decompress(corrupt) }
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(GzipStream.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    /// libdeflate's members, as ParallelGzipSink writes them: zlib and gzip read them, and at the
    /// level privctl uses they are within 5 % of zlib's level 6 (the bound for speed).
    @Test func libdeflateMembersAreStandardGzipAtZlibsRatio() throws {
        var text: [UInt8] = []
        for n in 0..<20_000 {
            text += Array("Sehr geehrte Frau Muster, anbei die Rechnung Nr. 2026-\(n * 7919 % 100_000) über \(n % 997),00 €.\n".utf8)
        }
        let compressor = try #require(GzipMemberCompressor())
        let member = try #require(compressor.compress(text))
        let zlib = try GzipStream.compress(text, level: 6)
        #expect(Double(member.count) <= Double(zlib.count) * 1.05, "libdeflate \(member.count) bytes, zlib -6 \(zlib.count)")
        #expect(try GzipStream.decompress(member + member) == text + text)
        let dir = try TemporaryDirectory()
        let url = try dir.write("m.gz", member)
        #expect(try ChildProcess.run("gzip", ["-t", url.path], mergingErrors: true).succeeded)
    }

    /// Each member states its own length in a `PZ` extra field, which other readers skip and
    /// ``GzipSource`` uses to inflate members side by side.
    @Test func membersStateTheirLength() throws {
        let compressor = try #require(GzipMemberCompressor())
        for text in [[UInt8](), Array("one short line\n".utf8), Array(repeating: UInt8(ascii: "x"), count: 300_000)] {
            let member = try #require(compressor.compress(text))
            #expect(member.withUnsafeBytes { GzipMemberCompressor.statedLength($0) } == member.count)
            #expect(try GzipStream.decompress(member) == text)
        }
        // A header without the field (zlib's) states nothing.
        let plain = try GzipStream.compress(Array("plain".utf8))
        #expect(plain.withUnsafeBytes { GzipMemberCompressor.statedLength($0) } == nil)
    }

    /// A stated length is a hint, never trusted alone: members whose `PZ` field lies (too short,
    /// too long, pointing into the next member) read exactly as zlib reads them, and a damaged
    /// member is still damage.
    @Test(arguments: [-7, 1, 5000, 1 << 30])
    func aWrongStatedLengthChangesNothing(offset: Int) throws {
        let compressor = try #require(GzipMemberCompressor())
        var texts: [[UInt8]] = []
        var file: [UInt8] = []
        var starts: [Int] = []
        for n in 0..<6 {
            starts.append(file.count)
            let text = Array((0..<40_000).map { UInt8(truncatingIfNeeded: ($0 * (n + 3)) % 251) })
            var member = try #require(compressor.compress(text))
            if n == 2 {
                let lie = UInt32(truncatingIfNeeded: max(0, member.count + offset))
                for i in 0..<4 { member[16 + i] = UInt8(truncatingIfNeeded: lie >> (8 * i)) }
            }
            texts.append(text)
            file += member
        }
        let dir = try TemporaryDirectory()
        let url = try dir.write("lies.gz", file)
        #expect(try Self.readThroughSource(url) == texts.flatMap { $0 })
        // One bit flipped in the fourth member's deflate data: damage, not bytes.
        file[starts[3] + GzipMemberCompressor.headerLength + 30] ^= 0x10
        let damaged = try dir.write("damaged.gz", file)
        #expect(throws: PrivctlError.self) { try Self.readThroughSource(damaged) }
    }

    /// A header CRC (FHCRC) is checked, as `gzip -t` checks it (libdeflate would skip it).
    @Test func aWrongHeaderCRCIsDamage() throws {
        let text = Array("header checked\n".utf8)
        let body = Array(try GzipStream.compress(text).dropFirst(10))
        let header: [UInt8] = [0x1F, 0x8B, 8, 0x02, 0, 0, 0, 0, 0, 3]
        let crc = GzipStream.crc32(header)
        let right = header + [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF)] + body
        let wrong = header + [UInt8(crc & 0xFF) ^ 0xFF, UInt8(crc >> 8 & 0xFF)] + body
        let dir = try TemporaryDirectory()
        #expect(try Self.readThroughSource(try dir.write("right.gz", right)) == text)
        #expect(throws: PrivctlError.self) { try Self.readThroughSource(try dir.write("wrong.gz", wrong)) }
    }

    static func readThroughSource(_ url: URL) throws -> [UInt8] {
        let source = try GzipSource(file: FileSystem.openFile(atPath: url.path), blockSize: 1 << 16)
        var out: [UInt8] = []
        while true {
            let n = source.next()
            if n < 0 { throw source.failure! }
            if n == 0 { return out }
            out += UnsafeRawBufferPointer(start: source.output, count: n)
        }
    }
}
