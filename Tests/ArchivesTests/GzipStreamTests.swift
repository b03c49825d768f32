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
}
