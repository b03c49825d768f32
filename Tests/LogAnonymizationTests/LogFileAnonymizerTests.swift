import FileSystem
import Foundation
import TestSupport
import Testing

@testable import LogAnonymization

/// Whole log files: plain and gzip, in place, to another file and as a dry run, checked with
/// the system's `gzip` and `zcat`.
@Suite struct LogFileAnonymizerTests {
    /// Lines and what they become, from the line tests.
    static let pairs = LineAnonymizerTests.postfix + LineAnonymizerTests.dovecot + LineAnonymizerTests.web

    static func bytes(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

    static func setModified(_ url: URL, daysAgo: Double) throws {
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-daysAgo * 86_400)], ofItemAtPath: url.path)
    }

    static func attributes(_ url: URL) throws -> (mode: Int, modified: Date) {
        let a = try FileManager.default.attributesOfItem(atPath: url.path)
        return ((a[.posixPermissions] as? Int) ?? -1, (a[.modificationDate] as? Date) ?? .distantPast)
    }

    /// A mail log with every kind of line, and what it must become.
    static func mailLog() -> (input: [UInt8], expected: [UInt8]) {
        var input: [UInt8] = [], expected: [UInt8] = []
        for (a, b) in pairs {
            input += Array(a.utf8) + [0x0A]
            expected += Array(b.utf8) + [0x0A]
        }
        // An empty line, a CRLF line, a line a crash left behind (NULs), a last line without a line feed.
        input += Array("\nNov 20 10:17:00 mx1 postfix/smtpd[1]: connect from unknown[78.46.198.9]\r\n".utf8)
        expected += Array("\nNov 20 10:17:00 mx1 postfix/smtpd[1]: connect from unknown[78.46.198.0]\r\n".utf8)
        input += [UInt8](repeating: 0, count: 40) + Array("Nov 20 10:17:01 mx1 postfix/smtpd[1]: rip=78.46.198.10\n".utf8)
        expected += [UInt8](repeating: 0, count: 40) + Array("Nov 20 10:17:01 mx1 postfix/smtpd[1]: rip=78.46.198.0\n".utf8)
        input += Array("Nov 20 10:17:02 mx1 dovecot: imap-login: Login: user=<zoe@example.org>, rip=192.0.2.200".utf8)
        expected += Array("Nov 20 10:17:02 mx1 dovecot: imap-login: Login: user=<[address]>, rip=192.0.2.0".utf8)
        return (input, expected)
    }

    @Test func inPlaceChangesOnlyWhatNamesSomeoneAndKeepsModeAndTime() throws {
        let dir = try TemporaryDirectory()
        let (input, expected) = Self.mailLog()
        let log = try dir.write("mail.log.1", input)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: log.path)
        try Self.setModified(log, daysAgo: 3)
        let before = try Self.attributes(log)

        let report = try LogFileAnonymizer.anonymize(path: log.path, to: .inPlace, options: AnonymizationOptions())
        #expect(try Self.bytes(log) == expected)
        #expect(report.written)
        #expect(report.compression == .none)
        #expect(report.lines == Self.pairs.count + 4)
        #expect(report.unparsedLines == 0)
        #expect(report.firstUnparsedLine == nil)
        #expect(report.changedLines == Self.pairs.filter { $0.0 != $0.1 }.count + 3)
        #expect(report.addresses > 10 && report.logins >= 6 && report.ips > 20)
        let after = try Self.attributes(log)
        #expect(after.mode == 0o640)
        #expect(after.modified == before.modified)
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["mail.log.1"])

        // A second run finds nothing and does not touch the file.
        let again = try LogFileAnonymizer.anonymize(path: log.path, to: .inPlace, options: AnonymizationOptions())
        #expect(!again.written)
        #expect(again.changedLines == 0 && again.addresses == 0 && again.ips == 0)
        #expect(try Self.bytes(log) == expected)
    }

    @Test func gzipStaysGzipAndTheSystemsGzipReadsIt() throws {
        let dir = try TemporaryDirectory()
        let (input, expected) = Self.mailLog()
        // Written by the system's gzip, as logrotate does; two members, as `cat a.gz b.gz` makes.
        try dir.write("part1", Array(input[0..<1000]))
        try dir.write("part2", Array(input[1000...]))
        try ChildProcess.check("gzip", ["-n", dir.url.appendingPathComponent("part1").path, dir.url.appendingPathComponent("part2").path])
        let joined = try Self.bytes(dir.url.appendingPathComponent("part1.gz")) + Self.bytes(dir.url.appendingPathComponent("part2.gz"))
        let log = try dir.write("mail.log.2.gz", joined)

        let report = try LogFileAnonymizer.anonymize(path: log.path, to: .inPlace, options: AnonymizationOptions())
        #expect(report.compression == .gzip)
        #expect(report.written)
        #expect(try ChildProcess.run("gzip", ["-t", log.path]).status == 0)
        #expect(try ChildProcess.run("zcat", [log.path]).standardOutput == expected)
        #expect(Array(try Self.bytes(log).prefix(2)) == [0x1F, 0x8B])
    }

    @Test func toAnotherFileLeavesTheOriginal() throws {
        let dir = try TemporaryDirectory()
        let (input, expected) = Self.mailLog()
        let log = try dir.write("access.log.1", input)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: log.path)
        let plain = dir.url.appendingPathComponent("anon/access.log.1").path
        try dir.mkdir("anon")
        var report = try LogFileAnonymizer.anonymize(path: log.path, to: .file(plain), options: AnonymizationOptions())
        #expect(report.output == plain)
        #expect(try Self.bytes(log) == input)
        #expect(try Self.bytes(URL(fileURLWithPath: plain)) == expected)
        #expect(try Self.attributes(URL(fileURLWithPath: plain)).mode == 0o600)

        // A .gz name gets gzip.
        let gz = dir.url.appendingPathComponent("anon/access.log.1.gz").path
        report = try LogFileAnonymizer.anonymize(path: log.path, to: .file(gz), options: AnonymizationOptions())
        #expect(try ChildProcess.run("zcat", [gz]).standardOutput == expected)

        // The log itself is not an output.
        #expect(throws: PrivctlError.self) {
            try LogFileAnonymizer.anonymize(path: log.path, to: .file(log.path), options: AnonymizationOptions())
        }
    }

    @Test func dryRunCountsAndWritesNothing() throws {
        let dir = try TemporaryDirectory()
        let (input, _) = Self.mailLog()
        let log = try dir.write("mail.log", input)
        let before = try Self.attributes(log)
        let dry = try LogFileAnonymizer.anonymize(path: log.path, to: .dryRun, options: AnonymizationOptions())
        let real = try LogFileAnonymizer.anonymize(path: dir.write("copy.log", input).path, to: .inPlace, options: AnonymizationOptions())
        #expect(!dry.written)
        #expect(try Self.bytes(log) == input)
        #expect(try Self.attributes(log).modified == before.modified)
        #expect(dry.lines == real.lines && dry.changedLines == real.changedLines)
        #expect(dry.addresses == real.addresses && dry.logins == real.logins && dry.ips == real.ips)
        #expect(dry.unparsedLines == real.unparsedLines)
    }

    @Test func overLongLinesAreCopiedAsTheyAreAndCounted() throws {
        let dir = try TemporaryDirectory()
        let options = AnonymizationOptions(maxLineLength: 256)
        let long = "GET /" + String(repeating: "a", count: 1000) + " from 78.46.198.123 by anna@example.org"
        let nearLimit = "user=<a> " + String(repeating: "x", count: 240)  // grows past 256 when replaced
        let text = "rip=78.46.198.123\n\(long)\n\(nearLimit)\nrip=10.1.2.3\n\(long)"
        let log = try dir.write("mail.log.1", text)
        let report = try LogFileAnonymizer.anonymize(path: log.path, to: .inPlace, options: options)
        #expect(String(decoding: try Self.bytes(log), as: UTF8.self) == "rip=78.46.198.0\n\(long)\n\(nearLimit)\nrip=10.1.2.0\n\(long)")
        #expect(report.lines == 5)
        #expect(report.unparsedLines == 3)
        #expect(report.firstUnparsedLine == 2)
        #expect(report.changedLines == 2)
    }

    @Test func refusesWhatItCannotReplaceSafely() throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("mail.log.1", "rip=78.46.198.123\n")
        // A symbolic link: anonymizing it would replace the link by a file.
        let link = dir.url.appendingPathComponent("link.log")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: log)
        #expect(throws: PrivctlError.self) { try LogFileAnonymizer.anonymize(path: link.path, to: .inPlace, options: AnonymizationOptions()) }
        // A second hard link would keep the original.
        let hard = dir.url.appendingPathComponent("hard.log")
        try FileManager.default.linkItem(at: log, to: hard)
        #expect(throws: PrivctlError.self) { try LogFileAnonymizer.anonymize(path: log.path, to: .inPlace, options: AnonymizationOptions()) }
        try FileManager.default.removeItem(at: hard)
        // xz is named, not misread.
        let xz = try dir.write("mail.log.3.xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 1, 2, 3])
        let error = #expect(throws: PrivctlError.self) { try LogFileAnonymizer.anonymize(path: xz.path, to: .inPlace, options: AnonymizationOptions()) }
        #expect(error?.problem.contains("xz") == true)
        // A truncated gzip fails and stays as it was, with no temporary file left.
        let full = try LogFileAnonymizer.anonymize(path: log.path, to: .inPlace, options: AnonymizationOptions())
        #expect(full.written)
        try dir.write("big.log", String(repeating: "Nov 20 10:15:30 mx1 postfix/smtpd[1]: connect from unknown[78.46.198.123]\n", count: 20_000))
        try ChildProcess.check("gzip", ["-n", dir.url.appendingPathComponent("big.log").path])
        let compressed = try Self.bytes(dir.url.appendingPathComponent("big.log.gz"))
        let truncated = try dir.write("trunc.log.1.gz", Array(compressed.prefix(compressed.count / 2)))
        let failure = #expect(throws: PrivctlError.self) {
            try LogFileAnonymizer.anonymize(path: truncated.path, to: .inPlace, options: AnonymizationOptions())
        }
        #expect(failure?.problem.contains("truncated") == true)
        #expect(try Self.bytes(truncated) == Array(compressed.prefix(compressed.count / 2)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func aLogWrittenToWhileReadIsLeftAsItIs() throws {
        let dir = try TemporaryDirectory()
        let line = "Nov 20 10:15:30 mx1 postfix/smtpd[1]: connect from unknown[78.46.198.123]\n"
        let text = String(repeating: line, count: 300_000)  // 22 MB: progress is reported after 16 MiB
        let log = try dir.write("mail.log", text)
        let failure = #expect(throws: PrivctlError.self) {
            try LogFileAnonymizer.anonymize(path: log.path, to: .inPlace, options: AnonymizationOptions()) { _ in
                // The mail system writes a line meanwhile.
                let handle = try! FileHandle(forWritingTo: log)
                handle.seekToEndOfFile()
                handle.write(Data(line.utf8))
                try! handle.close()
            }
        }
        #expect(failure?.problem.contains("changed while privctl read it") == true)
        #expect(try Self.bytes(log).count == (text.utf8.count + line.utf8.count))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["mail.log"])
    }

    @Test func theCheckAfterWritingCatchesWhatIsWrong() throws {
        let dir = try TemporaryDirectory()
        let anonymizer = LineAnonymizer(options: AnonymizationOptions())
        let original = try dir.write("o", "a rip=78.46.198.123\nb user=<anna>\nc\n")
        func check(_ copy: String) throws {
            let written = try dir.write("w", copy)
            let a = try FileSystem.openFile(atPath: original.path), b = try FileSystem.openFile(atPath: written.path)
            try LogFileAnonymizer.verify(original: a, .none, written: b, .none, path: original.path, anonymizer: anonymizer)
        }
        try check("a rip=78.46.198.0\nb user=<[address]>\nc\n")
        // Lines may stay as they were.
        try check("a rip=78.46.198.123\nb user=<[address]>\nc\n")
        for wrong in [
            "a rip=78.46.198.0\nb user=<[address]>\n",  // a line lost
            "a rip=78.46.198.0\nb user=<[address]>\nc\nd\n",  // a line more
            "a rip=78.46.198.0\nb user=<[address]>\nC\n",  // changed outside an address
            "a rip=78.46.0.0\nb user=<[address]>\nc\n",  // truncated wrongly
            "a rip=78.46.198.0\nb user=<[address]>\nc",  // the last line feed lost
            "A rip=78.46.198.0\nb user=<[address]>\nc\n",  // changed around an address
        ] {
            #expect(throws: PrivctlError.self, "\(wrong)") { try check(wrong) }
        }
    }

    @Test func aTwentyMegabyteLogInPlaceAndGzip() throws {
        let dir = try TemporaryDirectory()
        var input: [UInt8] = [], expected: [UInt8] = []
        input.reserveCapacity(21_000_000)
        expected.reserveCapacity(21_000_000)
        var n = 0
        while input.count < 20_000_000 {
            let (a, b) = Self.pairs[n % Self.pairs.count]
            // Vary the host part, so lines differ.
            let octet = String(n % 250 + 1)
            input += Array(a.replacingOccurrences(of: "78.46.198.123", with: "78.46.198.\(octet)").utf8) + [0x0A]
            expected += Array(b.utf8) + [0x0A]
            n += 1
        }
        let plain = try dir.write("mail.log.1", input)
        let started = Date()
        let report = try LogFileAnonymizer.anonymize(path: plain.path, to: .inPlace, options: AnonymizationOptions())
        let seconds = Date().timeIntervalSince(started)
        #expect(report.lines == n)
        #expect(try Self.bytes(plain) == expected)
        print("20 MB plain log anonymized in place and verified in \(String(format: "%.2f", seconds)) s")

        let gz = try dir.write("mail.log.2", input)
        try ChildProcess.check("gzip", ["-n", gz.path])
        let gzPath = gz.path + ".gz"
        let gzReport = try LogFileAnonymizer.anonymize(path: gzPath, to: .inPlace, options: AnonymizationOptions())
        #expect(gzReport.lines == n)
        #expect(try ChildProcess.run("gzip", ["-t", gzPath]).status == 0)
        #expect(try ChildProcess.run("zcat", [gzPath]).standardOutput == expected)
    }
}
