import Foundation
@testable import MailStores
import PrivacyEvents
import TestSupport
import Testing

import FileSystem

@Suite struct MboxRewriterTests {
    static let messages = [
        "From: alice@example.org\nSubject: one\n\nFrom here on, body one\n>From quoted\n",
        "From: bob@example.org\nSubject: two\n\nbody two\n",
        "From: carol@example.org\nSubject: three\n\nbody three\n",
    ]

    func mbox(_ messages: [String], crlf: Bool = false) -> [UInt8] {
        var text = messages.enumerated().map { "From sender\($0.offset)@example.org Thu Jan  1 10:00:00 2026\n" + $0.element }
            .joined(separator: "\n")
        if crlf { text = text.replacingOccurrences(of: "\n", with: "\r\n") }
        return Array(text.utf8)
    }

    func hashes(of path: String) throws -> [String] {
        var found: [String] = []
        try MboxFile(MailContainer(format: MboxFormat(), path: path, folder: "")).forEachBatch { batch in
            found += batch.map { ContentHash.sha256($0.bytes ?? []) }
        }
        return found
    }

    @Test(arguments: [0, 1, 2])
    func removesOneMessageAndKeepsEveryOtherByte(index: Int) throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("anna", mbox(Self.messages))
        let before = try hashes(of: url.path)
        let result = try MboxRewriter(path: url.path).remove(contentHashes: [before[index]])
        #expect(result.removed.map(\.index) == [index])
        #expect(result.keptCount == 2)
        var expected = before
        expected.remove(at: index)
        #expect(try hashes(of: url.path) == expected)
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        #expect(!text.contains(Self.messages[index].split(separator: "\n")[0]))
        #expect(result.newSize == text.utf8.count)
        #expect(!FileManager.default.fileExists(atPath: url.path + ".lock"))
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["anna"])
    }

    @Test func keptMessagesAreByteIdenticalInCRLFMboxes() throws {
        let dir = try TemporaryDirectory()
        let original = mbox(Self.messages, crlf: true)
        let url = try dir.write("crlf.mbox", original)
        let before = try hashes(of: url.path)
        _ = try MboxRewriter(path: url.path).remove(contentHashes: [before[1]])
        let after = [UInt8](try Data(contentsOf: url))
        // The file is the original without the second message's range.
        let text = String(decoding: original, as: UTF8.self)
        let second = text.range(of: "From sender1")!
        let third = text.range(of: "From sender2")!
        let expected = String(text[..<second.lowerBound]) + String(text[third.lowerBound...])
        #expect(after == Array(expected.utf8))
    }

    @Test func nothingToRemoveLeavesTheFileAlone() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("anna", mbox(Self.messages))
        let modified = try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date
        let result = try MboxRewriter(path: url.path).remove(contentHashes: [String(repeating: "0", count: 64)])
        #expect(result.removed.isEmpty)
        #expect(try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date == modified)
    }

    /// A run killed after its rename, before it removed its private directory, left that
    /// directory behind; the next run removes it even when it has nothing to remove itself.
    @Test func whatAKilledRunLeftIsRemovedAlsoWhenNothingIsToBeRemoved() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("anna", mbox(Self.messages))
        let leftover = dir.url.appendingPathComponent(".anna.privctl-KILLED.tmp")
        try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let result = try MboxRewriter(path: url.path).remove(contentHashes: ["0000"])
        #expect(result.removed.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        #expect(try hashes(of: url.path).count == 3)
    }

    @Test func aLockedMailboxIsSkippedUnchanged() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("anna", mbox(Self.messages))
        let original = try Data(contentsOf: url)
        try dir.write("anna.lock", "4242\n")
        let before = try hashes(of: url.path)
        do {
            _ = try MboxRewriter(path: url.path, lockTimeout: 0.3).remove(contentHashes: [before[0]])
            Issue.record("rewrote a locked mailbox")
        } catch let error as PrivctlError {
            #expect(error.problem.contains("locked by another program"))
        }
        #expect(try Data(contentsOf: url) == original)
        // The other program's lock is not ours to remove.
        #expect(FileManager.default.fileExists(atPath: url.path + ".lock"))
    }

    @Test func aStaleDotLockIsTakenOver() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("anna", mbox(Self.messages))
        let lock = try dir.write("anna.lock", "4242\n")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: lock.path)
        let before = try hashes(of: url.path)
        let result = try MboxRewriter(path: url.path, lockTimeout: 0.3).remove(contentHashes: [before[0]])
        #expect(result.removed.count == 1)
    }

    @Test func anFcntlLockHeldElsewhereIsWaitedForThenSkipped() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("anna", mbox(Self.messages))
        // python's fcntl.lockf takes an fcntl lock (flock(1) would take a BSD lock).
        let holder = try ChildProcess.start(
            "python3", ["-c", "import fcntl,sys,time; f=open(sys.argv[1],'r+'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)", url.path])
        defer { holder.signal() }
        #expect(holder.waitForOutput("locked"))
        let before = try hashes(of: url.path)
        #expect(throws: PrivctlError.self) {
            _ = try MboxRewriter(path: url.path, lockTimeout: 0.5).remove(contentHashes: [before[0]])
        }
        #expect(try hashes(of: url.path) == before)
        #expect(!FileManager.default.fileExists(atPath: url.path + ".lock"))
    }

    @Test func appendedMessagesReadBackByteIdentical() throws {
        let dir = try TemporaryDirectory()
        let source = try dir.write("anna", mbox(Self.messages))
        let before = try hashes(of: source.path)
        let blocked = dir.url.appendingPathComponent(".privctl-blocked/anna").path
        try FileManager.default.createDirectory(atPath: FileSystem.split(blocked).directory, withIntermediateDirectories: true)
        let blockedDirectory = try Directory.open(FileSystem.split(blocked).directory)
        let result = try MboxRewriter(path: source.path).remove(contentHashes: [before[0], before[2]]) { removed in
            try MboxAppender(path: blocked).append(removed.map(\.storedBytes), creatingIn: blockedDirectory)
        }
        #expect(result.removed.count == 2)
        #expect(try hashes(of: blocked) == [before[0], before[2]])
        #expect(try hashes(of: source.path) == [before[1]])
        // And back.
        let back = try MboxRewriter(path: blocked).remove(contentHashes: [before[0]]) { removed in
            try MboxAppender(path: source.path).append(removed.map(\.storedBytes))
        }
        #expect(back.removed.count == 1)
        #expect(try hashes(of: source.path) == [before[1], before[0]])
        #expect(try hashes(of: blocked) == [before[2]])
    }

    @Test func aFailureBeforeTheReplaceLeavesTheOriginal() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("anna", mbox(Self.messages))
        let original = try Data(contentsOf: url)
        let before = try hashes(of: url.path)
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            _ = try MboxRewriter(path: url.path).remove(contentHashes: [before[1]]) { _ in throw Refused() }
        }
        #expect(try Data(contentsOf: url) == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["anna"])
    }
}

@Suite struct MailboxLockTests {
    @Test func aLockLeftByAKilledPrivctlIsTakenOverAtOnce() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("anna", "From a@x Thu Jan  1 10:00:00 2026\nSubject: a\n\nx\n")
        // PID 2^22+1 does not exist (pid_max is at most 2^22).
        try dir.write("anna.lock", "4194305 privctl \(ProcessInfo.processInfo.hostName)\n")
        let lock = try MailboxLock(path: url.path, timeout: 0.2)
        lock.release()
        #expect(!FileManager.default.fileExists(atPath: url.path + ".lock"))
    }

    @Test func anotherHostsLockIsRespected() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("anna", "From a@x Thu Jan  1 10:00:00 2026\nSubject: a\n\nx\n")
        try dir.write("anna.lock", "4194305 privctl some-other-host\n")
        #expect(throws: PrivctlError.self) { _ = try MailboxLock(path: url.path, timeout: 0.2) }
    }
}
