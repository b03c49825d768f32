import FileSystem
import Foundation
import MailStores
import TestSupport
import Testing

@testable import Archives

/// Damaged archives made by the system's own tools (`tar`, `gzip`, `bsdtar`, `xz`, Python's
/// `zipfile`), then damaged byte by byte: every damage is ``PrivctlError/Code/corrupt``, never a
/// warning passed over, and a salvage read names each damaged member and reads the rest.
@Suite struct ArchiveIntegrityTests {
    /// Runs a system tool, failing the test when it fails; returns what it printed.
    @discardableResult

    /// Bytes no compressor can shrink: deflate stores them as they are, so a byte flipped among
    /// them breaks nothing but the checksum.
    static func noise(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    static let names = ["Maildir/cur/1.a.host:2,S", "Maildir/cur/2.b.host:2,S", "Maildir/cur/3.c.host:2,S"]

    /// Three messages; the second's body is 64 KiB of noise.
    static func makeTree(_ dir: TemporaryDirectory) throws -> [String: [UInt8]] {
        let contents: [[UInt8]] = [
            Array("From: anna@example.org\nSubject: one\n\nkeep me\n".utf8),
            Array("From: bert@example.org\nSubject: two\n\n".utf8) + noise(65_536, seed: 7),
            Array("From: carl@example.org\nSubject: three\n\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 30_000),
        ]
        var result: [String: [UInt8]] = [:]
        for (name, bytes) in zip(names, contents) {
            try dir.write("tree/" + name, bytes)
            result[name] = bytes
        }
        return result
    }

    static func bytes(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

    /// Writes `bytes` with the byte at `offset` (from the end when negative) inverted.
    @discardableResult
    static func flipped(_ bytes: [UInt8], at offset: Int, to url: URL) throws -> [UInt8] {
        var copy = bytes
        let index = offset < 0 ? copy.count + offset : offset
        copy[index] ^= 0xFF
        try Data(copy).write(to: url)
        return copy
    }

    /// Where `needle` starts in `haystack`.
    static func offset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }

    /// Reads every member's data; returns the names and data of the members read.
    static func readAll(_ url: URL, salvage: Bool = false) throws -> (members: [String: [UInt8]], reader: ArchiveReader) {
        let reader = try ArchiveReader(url: url, salvage: salvage)
        var members: [String: [UInt8]] = [:]
        while let member = try reader.nextMember() {
            let data = try reader.readAll()
            if member.kind == .file, reader.currentMemberDamage == nil { members[member.name] = data }
        }
        return (members, reader)
    }

    /// The error reading the whole archive strictly throws.
    static func strictError(_ url: URL) -> PrivctlError? {
        #expect(throws: PrivctlError.self) { _ = try readAll(url) }
        do {
            _ = try readAll(url)
            return nil
        } catch let error as PrivctlError {
            return error
        } catch {
            return nil
        }
    }

    // MARK: - gzip: what libarchive does not check

    @Test func gzipChecksumLengthAndTruncationAreDamage() throws {
        let dir = try TemporaryDirectory()
        let contents = try Self.makeTree(dir)
        try ChildProcess.check(["tar", "-czf", "b.tar.gz", "-C", "tree", "Maildir"], in: dir.url)
        let good = try Self.bytes(dir.url.appendingPathComponent("b.tar.gz"))
        #expect(try Self.readAll(dir.url.appendingPathComponent("b.tar.gz")).members == contents)
        // Stored deflate blocks (zlib level 0, as `pigz -0` writes them) hold the bytes as they
        // are: a byte flipped there decodes without complaint and only the CRC-32 sees it.
        try ChildProcess.check(["tar", "-cf", "b.tar", "-C", "tree", "Maildir"], in: dir.url)
        let stored = try GzipStream.compress(try Self.bytes(dir.url.appendingPathComponent("b.tar")), level: 0)
        let inside = try #require(Self.offset(of: Array(Self.noise(65_536, seed: 7)[1000..<1032]), in: stored))
        let cases: [(String, [UInt8], Int, String)] = [
            ("crc.tar.gz", good, -8, "incorrect data check"),  // the trailer's CRC-32
            ("length.tar.gz", good, -2, "incorrect length check"),  // the trailer's ISIZE
            ("data.tar.gz", stored, inside + 10, "incorrect data check"),  // a member's byte
        ]
        for (name, base, offset, reason) in cases {
            let url = dir.url.appendingPathComponent(name)
            try Self.flipped(base, at: offset, to: url)
            // The system's gzip sees it too.
            #expect(try !ChildProcess.run("gzip", ["-t", url.path]).succeeded, "\(name)")

            let error = try #require(Self.strictError(url), "\(name)")
            #expect(error.code == .corrupt, "\(name)")
            #expect(error.problem.contains(reason), "\(name): \(error.problem)")
            #expect(error.path.hasSuffix(name))
            // Salvage reads every member and names the damage it cannot place in one.
            let (members, reader) = try Self.readAll(url, salvage: true)
            #expect(members.keys.sorted() == Self.names, "\(name)")
            #expect(reader.damage.count == 1, "\(name)")
            #expect(reader.damage.first?.index == nil && reader.damage.first?.endedReading == true, "\(name)")
        }
        // Cut short: inside the data, and only the trailer missing.
        for (name, keep) in [("short.tar.gz", good.count / 2), ("notrailer.tar.gz", good.count - 4)] {
            let url = try dir.write(name, Array(good.prefix(keep)))
            let error = try #require(Self.strictError(url), "\(name)")
            #expect(error.code == .corrupt)
            #expect(error.problem.contains("truncated") || error.problem.contains("ends early"), "\(name): \(error.problem)")
        }
    }

    // MARK: - zip: libarchive's warnings

    /// A zip written by Python's zipfile, stored or deflated.
    static func makeZip(_ dir: TemporaryDirectory, _ name: String, deflated: Bool) throws -> [UInt8] {
        let script = """
            import zipfile, sys, os
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED if sys.argv[2] == '1' else zipfile.ZIP_STORED) as z:
                for n in sys.argv[3:]:
                    z.write(os.path.join('tree', n), n)
            """
        try ChildProcess.check(["python3", "-c", script, name, deflated ? "1" : "0"] + names, in: dir.url)
        return try Self.bytes(dir.url.appendingPathComponent(name))
    }

    /// The offsets of a zip member's local header and of its central directory entry.
    static func zipOffsets(_ zip: [UInt8], member: String) throws -> (local: Int, central: Int) {
        let name = Array(member.utf8)
        func find(_ signature: UInt8, nameAt: Int) -> Int? {
            (0..<(zip.count - nameAt - name.count)).first { i in
                zip[i] == 0x50 && zip[i + 1] == 0x4B && zip[i + 2] == signature && zip[i + 3] == signature + 1
                    && Array(zip[(i + nameAt)..<(i + nameAt + name.count)]) == name
            }
        }
        return (try #require(find(0x03, nameAt: 30)), try #require(find(0x01, nameAt: 46)))
    }

    @Test func zipBadCRCIsDamageOfThatMember() throws {
        let dir = try TemporaryDirectory()
        let contents = try Self.makeTree(dir)
        let damagedName = Self.names[1]
        for deflated in [false, true] {
            let zip = try Self.makeZip(dir, "z\(deflated).zip", deflated: deflated)
            #expect(try Self.readAll(dir.url.appendingPathComponent("z\(deflated).zip")).members == contents)
            let (local, central) = try Self.zipOffsets(zip, member: damagedName)
            let dataStart = local + 30 + damagedName.utf8.count + Int(zip[local + 28]) + Int(zip[local + 29]) << 8
            // 1. A byte of the member's data (stored: deflate cannot notice; deflated: a literal).
            // 2. The CRC-32 in both headers, so they agree with each other but not with the data.
            // 3. The CRC-32 in the local header only: it disagrees with the central directory.
            var both = zip
            both[local + 14] ^= 0xFF
            both[central + 16] ^= 0xFF
            var localOnly = zip
            localOnly[local + 14] ^= 0xFF
            let variants: [(String, [UInt8])] = [
                ("data", { var z = zip; z[dataStart + (deflated ? 20_000 : 40_000)] ^= 0x01; return z }()),
                ("both", both), ("local", localOnly),
            ]
            for (label, bytes) in variants {
                let url = dir.url.appendingPathComponent("\(label)-\(deflated).zip")
                try Data(bytes).write(to: url)
                let error = try #require(Self.strictError(url), "\(label) \(deflated)")
                #expect(error.code == .corrupt)
                #expect(error.problem.contains(damagedName), "\(label) \(deflated): \(error.problem)")
                let (members, reader) = try Self.readAll(url, salvage: true)
                #expect(members.keys.sorted() == [Self.names[0], Self.names[2]], "\(label) \(deflated)")
                #expect(reader.damage.map(\.name) == [damagedName], "\(label) \(deflated): \(reader.damage)")
                #expect(reader.damage.first?.index == 1)
                #expect(reader.damage.first?.endedReading == false)
            }
        }
    }

    // MARK: - tar: damaged headers and missing ends

    @Test func tarDamagedHeaderAndTruncationAreDamage() throws {
        let dir = try TemporaryDirectory()
        let contents = try Self.makeTree(dir)
        try ChildProcess.check(["tar", "--format=ustar", "-cf", "b.tar", "-C", "tree"] + Self.names, in: dir.url)
        let tar = try Self.bytes(dir.url.appendingPathComponent("b.tar"))
        #expect(try Self.readAll(dir.url.appendingPathComponent("b.tar")).members == contents)
        let second = try #require(Self.offset(of: Array(Self.names[1].utf8), in: tar))

        // A header whose checksum fails: libarchive's ARCHIVE_RETRY, "Damaged tar archive".
        let header = dir.url.appendingPathComponent("header.tar")
        try Self.flipped(tar, at: second + 3, to: header)
        #expect(Self.strictError(header)?.problem.contains("Damaged tar archive") == true)
        var (members, reader) = try Self.readAll(header, salvage: true)
        #expect(members.keys.sorted() == [Self.names[0], Self.names[2]])
        #expect(reader.damage.count == 1)
        #expect(reader.damage.first?.index == nil && reader.damage.first?.endedReading == false)
        #expect(reader.damage.first?.problem.problem.contains("after member \(Self.names[0])") == true)

        // Cut off at a member boundary: libarchive reads through without a word.
        let boundary = dir.url.appendingPathComponent("boundary.tar")
        try Data(tar.prefix(second)).write(to: boundary)
        #expect(Self.strictError(boundary)?.problem.contains("end-of-archive") == true)
        (members, reader) = try Self.readAll(boundary, salvage: true)
        #expect(members.keys.sorted() == [Self.names[0]])
        #expect(reader.damage.map(\.endedReading) == [true])

        // Cut off inside a member's data.
        let inside = dir.url.appendingPathComponent("inside.tar")
        try Data(tar.prefix(second + 512 + 20_000)).write(to: inside)
        #expect(Self.strictError(inside)?.code == .corrupt)
        (members, reader) = try Self.readAll(inside, salvage: true)
        #expect(members.keys.sorted() == [Self.names[0]])
        #expect(reader.damage.map(\.name) == [Self.names[1]])
        #expect(reader.damage.first?.endedReading == true)
    }

    @Test func xzDamageIsDamage() throws {
        let dir = try TemporaryDirectory()
        _ = try Self.makeTree(dir)
        try ChildProcess.check(["tar", "-cJf", "b.tar.xz", "-C", "tree", "Maildir"], in: dir.url)
        let xz = try Self.bytes(dir.url.appendingPathComponent("b.tar.xz"))
        let url = dir.url.appendingPathComponent("bad.tar.xz")
        try Self.flipped(xz, at: xz.count / 2, to: url)
        #expect(Self.strictError(url)?.code == .corrupt)
    }

    // MARK: - Sound archives stay sound

    @Test func utf8NamesAndConcatenatedArchivesAreNotDamage() throws {
        let dir = try TemporaryDirectory()
        try dir.write("tree/Entwürfe/cur/1.a.host:2,S", "Subject: ü\n\nä\n")
        try dir.write("tree/naïve.mbox", "From a@x Thu Jan  1 10:00:00 2026\nSubject: a\n\nA\n")
        // pax stores names in UTF-8: in the C locale libarchive would warn that it cannot convert them.
        try ChildProcess.check(["bsdtar", "--format", "pax", "-czf", "u.tar.gz", "-C", "tree", "."], in: dir.url, environment: ["LC_ALL": "C.UTF-8"])
        let (members, reader) = try Self.readAll(dir.url.appendingPathComponent("u.tar.gz"))
        #expect(Set(members.keys) == ["./Entwürfe/cur/1.a.host:2,S", "./naïve.mbox"])
        #expect(reader.damage.isEmpty)
        #expect(reader.filterNames == ["gzip"])

        // `cat a.tar b.tar`: the second archive's members are read too, not hidden behind the first's end.
        try ChildProcess.check(["tar", "-cf", "a.tar", "-C", "tree", "naïve.mbox"], in: dir.url)
        try ChildProcess.check(["tar", "-cf", "b.tar", "-C", "tree", "Entwürfe"], in: dir.url)
        let joined = try Self.bytes(dir.url.appendingPathComponent("a.tar")) + Self.bytes(dir.url.appendingPathComponent("b.tar"))
        let both = try dir.write("both.tar", joined)
        #expect(Set(try Self.readAll(both).members.keys) == ["naïve.mbox", "Entwürfe/cur/1.a.host:2,S"])
        // A multi-member gzip (`cat a.gz b.gz`, what parallel compressors write) is one stream.
        let half = joined.count / 2
        let multi = try dir.write(
            "multi.tar.gz", try GzipStream.compress(Array(joined.prefix(half))) + GzipStream.compress(Array(joined.dropFirst(half))))
        #expect(Set(try Self.readAll(multi).members.keys) == ["naïve.mbox", "Entwürfe/cur/1.a.host:2,S"])
    }

    @Test func aPieceOfGzipIsNeverLargerThanItsBuffer() throws {
        // 64 MiB of zeros compress to 64 KiB: handed to libarchive in bounded pieces.
        let dir = try TemporaryDirectory()
        let zeros = try GzipStream.compress([UInt8](repeating: 0, count: 64 << 20))
        let url = try dir.write("z.gz", zeros)
        let source = try GzipSource(file: FileSystem.openFile(atPath: url.path), blockSize: 1 << 16)
        var total = 0
        while true {
            let n = source.next()
            #expect(n >= 0 && n <= GzipSource.pieceCapacity)
            if n <= 0 { break }
            total += n
        }
        #expect(total == 64 << 20)
    }
}
