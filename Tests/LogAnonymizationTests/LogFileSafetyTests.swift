import FileSystem
import Foundation
import TestSupport
import Testing

@testable import LogAnonymization

/// Logs are opened, replaced and removed through the file-system layer: a rewritten log keeps
/// its owner, mode and times, its temporary copy is a new file with a name no one can guess, and
/// links are never written or removed through.
@Suite struct LogFileSafetyTests {
    static let line = "Nov 20 10:15:30 mx1 postfix/smtpd[1]: connect from unknown[78.46.198.123]\n"

    static func touch(_ flag: String, _ date: String, _ path: String) throws {
        try ChildProcess.check("touch", [flag, "-d", date, path])
    }

    static func info(_ url: URL) throws -> FileInfo {
        try #require(try FileSystem.info(atPath: FileSystem.resolveNamedPath(url.path)))
    }

    @Test func aRewrittenLogKeepsOwnerModeAndTimes() throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("mail.log.1", String(repeating: Self.line, count: 100))
        chmod(log.path, 0o640)
        let root = geteuid() == 0
        if root { chown(log.path, 65534, 65534) }
        try Self.touch("-a", "2020-01-02 03:04:05.123456789", log.path)
        try Self.touch("-m", "2021-02-03 04:05:06.987654321", log.path)
        let before = try Self.info(log)

        let report = try LogFileAnonymizer.anonymize(path: log.path, to: .inPlace, options: AnonymizationOptions())
        #expect(report.written)
        let after = try Self.info(log)
        #expect(!after.isSameFile(as: before))  // a new file took its place
        #expect(after.permissions == 0o640)
        #expect(after.owner == before.owner && after.group == before.group)
        if root { #expect(after.owner == 65534 && after.group == 65534) }
        #expect(after.modifiedSeconds == before.modifiedSeconds && after.modifiedNanoseconds == before.modifiedNanoseconds)
        #expect(after.accessedSeconds == before.accessedSeconds && after.accessedNanoseconds == before.accessedNanoseconds)
        #expect(String(decoding: try Data(contentsOf: log), as: UTF8.self).contains("78.46.198.0]"))
    }

    @Test func theTemporaryCopyIsNewAndNothingPlantedIsWrittenThrough() throws {
        let dir = try TemporaryDirectory()
        let sentinel = try dir.write("sentinel", "do not touch\n")
        // Leftovers and links named like temporary copies: neither followed, nor removed.
        let planted = ReplacementFile.temporaryPrefix(for: "mail.log.1")
        for token in ["000000000000", "XXXXXX"] {
            try FileManager.default.createSymbolicLink(
                at: dir.url.appendingPathComponent(planted + token + ".tmp"), withDestinationURL: sentinel)
        }
        let log = try dir.write("mail.log.1", String(repeating: Self.line, count: 250_000))  // 19 MB: progress after 16 MiB
        var seen: [(name: String, info: FileInfo)] = []
        _ = try LogFileAnonymizer.anonymize(path: log.path, to: .inPlace, options: AnonymizationOptions()) { _ in
            let directory = try! Directory.open(FileSystem.resolveNamedPath(dir.url.path))
            for entry in try! directory.entries() where entry.name.hasPrefix(planted) {
                if let info = try! directory.info(entry.name), info.kind == .directory { seen.append((entry.name, info)) }
            }
        }
        // While it was written: one private directory (0700, privctl's own) holding the copy, under
        // an unguessable name.
        #expect(seen.count >= 1)
        #expect(Set(seen.map(\.name)).count == 1)
        if let copy = seen.first {
            #expect(copy.info.permissions & 0o077 == 0)
            let token = copy.name.dropFirst(planted.count).dropLast(".tmp".count)
            #expect(token.count == 12 && token.allSatisfy(\.isHexDigit))
        }
        #expect(try String(contentsOf: sentinel, encoding: .utf8) == "do not touch\n")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix(planted) }
        #expect(left.count == 2)  // the planted links, and no copy left behind
    }

    @Test func linksAreRefusedWithTheirCode() throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write("mail.log.1", Self.line)
        let sentinel = try dir.write("sentinel", "do not touch\n")
        let link = dir.url.appendingPathComponent("link.log.1")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: log)
        let error = #expect(throws: PrivctlError.self) {
            try LogFileAnonymizer.anonymize(path: link.path, to: .inPlace, options: AnonymizationOptions())
        }
        #expect(error?.code == .symbolicLink)
        #expect(try String(contentsOf: log, encoding: .utf8) == Self.line)
        // An output that is a link is not written through.
        let output = dir.url.appendingPathComponent("out.log")
        try FileManager.default.createSymbolicLink(at: output, withDestinationURL: sentinel)
        let refused = #expect(throws: PrivctlError.self) {
            try LogFileAnonymizer.anonymize(path: log.path, to: .file(output.path), options: AnonymizationOptions())
        }
        #expect(refused?.code == .symbolicLink)
        #expect(try String(contentsOf: sentinel, encoding: .utf8) == "do not touch\n")
        // A hard link elsewhere would keep the original.
        try FileManager.default.linkItem(at: log, to: dir.url.appendingPathComponent("copy"))
        let linked = #expect(throws: PrivctlError.self) {
            try LogFileAnonymizer.anonymize(path: log.path, to: .inPlace, options: AnonymizationOptions())
        }
        #expect(linked?.code == .copyOutsideStore)
        // A missing log and a FIFO.
        #expect((#expect(throws: PrivctlError.self) {
            try LogFileAnonymizer.anonymize(path: dir.url.appendingPathComponent("nope").path, to: .dryRun, options: AnonymizationOptions())
        })?.code == .notFound)
        let fifo = dir.url.appendingPathComponent("fifo.log")
        mkfifo(fifo.path, 0o600)
        #expect((#expect(throws: PrivctlError.self) {
            try LogFileAnonymizer.anonymize(path: fifo.path, to: .dryRun, options: AnonymizationOptions())
        })?.code == .notRegularFile)
    }

    @Test func expiryCodesAndTheDirectoryOpenedOnce() throws {
        let dir = try TemporaryDirectory()
        try dir.mkdir("logs")
        let log = try dir.write("logs/mail.log.1", Self.line)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-30 * 86_400)], ofItemAtPath: log.path)
        #expect((#expect(throws: PrivctlError.self) {
            try LogExpiry.scan([dir.url.appendingPathComponent("nope").path], days: 7)
        })?.code == .notFound)
        let notes = try dir.write("logs/notes.txt", "x")
        #expect((#expect(throws: PrivctlError.self) { try LogExpiry.scan([notes.path], days: 7) })?.code == .invalidInput)
        let link = dir.url.appendingPathComponent("linked")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: dir.url.appendingPathComponent("logs"))
        #expect((#expect(throws: PrivctlError.self) { try LogExpiry.scan([link.path], days: 7) })?.code == .symbolicLink)

        // Judged in logs/; then logs/ is moved away and a link to another directory, holding a
        // file of the same name, put in its place: removal happens in the directory judged.
        let scan = try LogExpiry.scan([dir.url.appendingPathComponent("logs").path + "/"], days: 7)
        let judged = try #require(scan.rotated.first)
        #expect(judged.due)
        try FileManager.default.moveItem(at: dir.url.appendingPathComponent("logs"), to: dir.url.appendingPathComponent("moved"))
        let other = try dir.write("other/mail.log.1", Self.line)
        try FileManager.default.createSymbolicLink(at: dir.url.appendingPathComponent("logs"), withDestinationURL: dir.url.appendingPathComponent("other"))
        try LogExpiry.remove(judged)
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("moved/mail.log.1").path))
        #expect(FileManager.default.fileExists(atPath: other.path))
    }
}
