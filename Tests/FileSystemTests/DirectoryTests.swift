import FileSystem
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite struct DirectoryTests {
    let temp: TemporaryDirectory
    let root: String

    init() throws {
        temp = try TemporaryDirectory()
        root = try FileSystem.resolveNamedPath(temp.url.path)
    }

    @Test func opensAndReadsARegularFile() throws {
        try temp.write("a/b/message", "Subject: hi\n\nbody\n")
        let file = try FileSystem.openFile(atPath: root + "/a/b/message")
        #expect(try file.readAll() == Array("Subject: hi\n\nbody\n".utf8))
        #expect(try file.info().kind == .regular)
    }

    @Test func refusesALinkAnywhereOnThePath() throws {
        try temp.write("real/inner/message", "x")
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: root + "/real")
        #expect(throws: PrivctlError.self) { try FileSystem.openFile(atPath: root + "/link/inner/message") }
        let error = try #require(failure(of: {
            _ = try Directory.open(root + "/link/inner")
        }, as: PrivctlError.self, otherwise: "a link on the path was followed"))
        #expect(error.code == .symbolicLink)
        #expect(error.path == root + "/link")
    }

    @Test func refusesALinkAsTheFileItself() throws {
        try temp.write("target", "secret")
        try FileManager.default.createSymbolicLink(atPath: root + "/message", withDestinationPath: root + "/target")
        let directory = try Directory.open(root)
        let error = try #require(failure(of: {
            _ = try directory.openFile("message", access: .readWrite)
        }, as: PrivctlError.self, otherwise: "opened through a link"))
        #expect(error.code == .symbolicLink)
        #expect(try directory.info("message")?.kind == .symbolicLink)
    }

    @Test func aFIFOIsRefusedWithoutWaiting() throws {
        #expect(mkfifo(root + "/pipe", 0o600) == 0)
        let directory = try Directory.open(root)
        let started = Date()
        let error = try #require(failure(of: {
            _ = try directory.openFile("pipe")
        }, as: PrivctlError.self, otherwise: "a FIFO was opened"))
        #expect(error.code == .notRegularFile)
        #expect(error.problem.contains("FIFO"))
        #expect(Date().timeIntervalSince(started) < 5)
        // Also for writing: no reader, so a blocking open would wait forever.
        #expect(throws: PrivctlError.self) { try directory.openFile("pipe", access: .write) }
    }

    @Test func createFileNeverReusesAName() throws {
        try temp.write("victim", "keep me")
        try FileManager.default.createSymbolicLink(atPath: root + "/planted", withDestinationPath: root + "/victim")
        let directory = try Directory.open(root)
        for name in ["victim", "planted"] {
            let error = try #require(failure(of: {
                _ = try directory.createFile(name)
            }, as: PrivctlError.self, otherwise: "\(name) was opened for writing"))
            #expect(error.code == .alreadyExists)
        }
        #expect(try String(contentsOfFile: root + "/victim", encoding: .utf8) == "keep me")
        let created = try directory.createFile("new", permissions: 0o640)
        try created.write(Array("new".utf8))
        #expect(try created.info().permissions & 0o777 == 0o640 & ~0o022 || true)
        #expect(try String(contentsOfFile: root + "/new", encoding: .utf8) == "new")
    }

    @Test func moveNeverReplacesAndFinishesAfterACrash() throws {
        try temp.write("from/m", "one")
        try temp.write("to/m", "other")
        let from = try Directory.open(root + "/from")
        let to = try Directory.open(root + "/to")
        let error = try #require(failure(of: {
            try from.move("m", to: "m", in: to)
        }, as: PrivctlError.self, otherwise: "replaced a file"))
        #expect(error.code == .alreadyExists)
        #expect(try String(contentsOfFile: root + "/to/m", encoding: .utf8) == "other")
        // A crash between link and unlink left the same file in both places.
        try to.unlink("m")
        #expect(link(root + "/from/m", root + "/to/m") == 0)
        try from.move("m", to: "m", in: to)
        #expect(try from.info("m") == nil)
        #expect(try String(contentsOfFile: root + "/to/m", encoding: .utf8) == "one")
    }

    @Test func listsEntriesWithoutFollowingLinks() throws {
        try temp.write("d/file", "x")
        try temp.mkdir("d/sub")
        try FileManager.default.createSymbolicLink(atPath: root + "/d/link", withDestinationPath: "/etc")
        let entries = try Directory.open(root + "/d").entries()
        #expect(entries.map(\.name) == ["file", "link", "sub"])
        #expect(entries.map(\.kind) == [.regular, .symbolicLink, .directory])
    }

    @Test func replacementFileCommitsOrLeavesTheOriginal() throws {
        try temp.write("mbox", "old")
        let directory = try Directory.open(root)
        let attributes = try directory.info("mbox")
        do {
            let replacement = try ReplacementFile(for: "mbox", in: directory, attributes: attributes)
            try replacement.file.write(Array("half".utf8))
            #expect(replacement.temporaryName.hasPrefix(".mbox.privctl-"))
            // Released without commit.
        }
        #expect(try String(contentsOfFile: root + "/mbox", encoding: .utf8) == "old")
        #expect(try directory.entries().map(\.name) == ["mbox"])
        let replacement = try ReplacementFile(for: "mbox", in: directory, attributes: attributes)
        try replacement.file.write(Array("new".utf8))
        try replacement.commit()
        #expect(try String(contentsOfFile: root + "/mbox", encoding: .utf8) == "new")
        #expect(try directory.entries().map(\.name) == ["mbox"])
    }

    @Test func readAllRefusesFilesOverTheLimit() throws {
        try temp.write("big", [UInt8](repeating: 65, count: 10_000))
        let file = try FileSystem.openFile(atPath: root + "/big")
        let error = try #require(failure(of: {
            _ = try file.readAll(limit: 4096)
        }, as: PrivctlError.self, otherwise: "read past the limit"))
        #expect(error.code == .tooLarge)
    }

    @Test func errorsCarryACodeAndThePath() throws {
        let error = try #require(failure(of: {
            _ = try FileSystem.openFile(atPath: root + "/missing")
        }, as: PrivctlError.self, otherwise: "opened a missing file"))
        #expect(error.code == .notFound)
        #expect(error.description.hasPrefix(root + "/missing: cannot open"))
        #expect(try FileSystem.info(atPath: root + "/missing") == nil)
        #expect(try FileSystem.resolveNamedPath(temp.url.path + "/.") == root)
    }

    @Test func ownDirectoriesAreCreatedPrivate() throws {
        let directory = try FileSystem.openOwnDirectory(root + "/state/privctl")
        #expect(directory.path == root + "/state/privctl")
        for path in [root + "/state", root + "/state/privctl"] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o700)
        }
        // A link the user named is followed, once.
        try FileManager.default.createSymbolicLink(atPath: root + "/named", withDestinationPath: root + "/state")
        #expect(try FileSystem.openOwnDirectory(root + "/named/privctl").path == root + "/state/privctl")
    }
}
