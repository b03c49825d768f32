import FileSystem
import Foundation
import TestSupport
import Testing

@testable import Archives

@Suite struct ArchiveReaderTests {
    func makeTree(_ dir: TemporaryDirectory) throws {
        try dir.write("tree/Maildir/cur/1.a.host:2,S", "Subject: one\n\nbody\n")
        try dir.write("tree/Maildir/.Sent/cur/2.b.host:2,S", "Subject: two\n\nbody two\n")
    }

    @Test(arguments: [
        ("backup.tar.gz", ["tar", "-czf"], ["gzip"]),
        ("backup.tar", ["tar", "-cf"], []),
        ("backup.tar.xz", ["tar", "-cJf"], ["xz"]),
        ("backup.zip", ["bsdtar", "--format", "zip", "-cf"], []),
    ])
    func readsMembersOfArchivesMadeBySystemTools(name: String, create: [String], filters: [String]) throws {
        let dir = try TemporaryDirectory()
        try makeTree(dir)
        try ChildProcess.check(create + [name, "-C", "tree", "Maildir"], in: dir.url)
        let reader = try ArchiveReader(url: dir.url.appendingPathComponent(name))
        var files: [String: String] = [:]
        while let member = try reader.nextMember() {
            if member.kind == .file { files[member.name] = String(decoding: try reader.readAll(), as: UTF8.self) }
        }
        #expect(files["Maildir/cur/1.a.host:2,S"] == "Subject: one\n\nbody\n")
        #expect(files["Maildir/.Sent/cur/2.b.host:2,S"] == "Subject: two\n\nbody two\n")
        #expect(reader.filterNames == filters)
    }

    @Test func corruptArchiveIsAClearError() throws {
        let dir = try TemporaryDirectory()
        try makeTree(dir)
        try ChildProcess.check(["tar", "-czf", "b.tar.gz", "-C", "tree", "Maildir"], in: dir.url)
        let url = dir.url.appendingPathComponent("b.tar.gz")
        var bytes = try [UInt8](Data(contentsOf: url))
        bytes = Array(bytes.prefix(bytes.count / 2))
        try Data(bytes).write(to: url)
        #expect(throws: PrivctlError.self) {
            let reader = try ArchiveReader(url: url)
            while try reader.nextMember() != nil { _ = try reader.readAll() }
        }
        #expect(throws: PrivctlError.self) { _ = try ArchiveReader(url: dir.url.appendingPathComponent("missing.tar")) }
    }

    @Test func memberNamesAreDataNotPaths() throws {
        let dir = try TemporaryDirectory()
        try dir.write("tree/x", "evil")
        // bsdtar -s rewrites the stored name to climb out of any extraction directory.
        try ChildProcess.check(["bsdtar", "-cf", "evil.tar", "-P", "-s", ",^tree/x,../../etc/x,", "tree/x"], in: dir.url)
        let reader = try ArchiveReader(url: dir.url.appendingPathComponent("evil.tar"))
        let member = try #require(try reader.nextMember())
        #expect(member.name == "../../etc/x")
        #expect(String(decoding: try reader.readAll(), as: UTF8.self) == "evil")
    }
}
