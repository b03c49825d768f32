import FileSystem
import Foundation
import MailStores
import PrivacyEvents
import TestSupport
import Testing

@testable import Archives

/// A damaged backup archive as a mail store: reading it fails loudly, erasing leaves it byte for
/// byte as it was, and only with salvage is it rebuilt, without its damaged members, each named.
@Suite struct ArchiveSalvageTests {
    static let locator = StoreLocator(formats: [ArchiveFormat()])

    struct Damaged {
        let dir: TemporaryDirectory
        let container: MailContainer
        let url: URL
        let damagedMember: String
    }

    /// A zip backup of three Maildir messages (Python's zipfile, stored) whose second member has
    /// a byte changed: its CRC-32 no longer matches.
    func damagedZip() throws -> Damaged {
        let dir = try TemporaryDirectory()
        _ = try ArchiveIntegrityTests.makeTree(dir)
        let zip = try ArchiveIntegrityTests.makeZip(dir, "backup-2026-01-10.zip", deflated: false)
        let damagedMember = ArchiveIntegrityTests.names[1]
        let (local, _) = try ArchiveIntegrityTests.zipOffsets(zip, member: damagedMember)
        let url = dir.url.appendingPathComponent("backup-2026-01-10.zip")
        try ArchiveIntegrityTests.flipped(zip, at: local + 30 + damagedMember.utf8.count + 5_000, to: url)
        let scan = try Self.locator.scan([FileSystem.resolveNamedPath(url.path)])
        let container = try #require(scan.containers.first)
        return Damaged(dir: dir, container: container, url: url, damagedMember: damagedMember)
    }

    func messages(_ container: MailContainer, salvage: Bool) throws -> [StoredMessage] {
        var all: [StoredMessage] = []
        try container.forEachBatch(limits: ReadLimits(salvage: salvage)) { all += $0 }
        return all
    }

    func erase(_ message: StoredMessage, in container: MailContainer, salvage: Bool) throws -> ChangeReport {
        try container.format.apply(
            ChangeSet([MessageChange(message: message, contentHash: ContentHash.sha256(try message.readBytes()), action: .erase)]),
            to: container,
            options: ChangeOptions(residueCheck: { ArchiveIntegrityTests.offset(of: Array("anna@example.org".utf8), in: $0) != nil }, salvage: salvage))
    }

    @Test func aDamagedArchiveFailsLoudlyAndIsLeftAsItIs() throws {
        let damaged = try damagedZip()
        let before = try Data(contentsOf: damaged.url)
        // Reading it is one error for the whole archive, naming it and the damaged member.
        var error: PrivctlError?
        do {
            _ = try messages(damaged.container, salvage: false)
        } catch let failure as PrivctlError {
            error = failure
        }
        let failure = try #require(error)
        #expect(failure.code == .corrupt)
        #expect(failure.path == damaged.container.path)
        #expect(failure.problem.contains(damaged.damagedMember) && failure.problem.contains("bad CRC"), "\(failure.problem)")
        #expect(!failure.description.contains("\n"))

        // Erasing a sound member of it changes nothing.
        let first = try #require(try messages(damaged.container, salvage: true).first { $0.problem == nil })
        #expect(throws: PrivctlError.self) { _ = try erase(first, in: damaged.container, salvage: false) }
        #expect(try Data(contentsOf: damaged.url) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: damaged.dir.url.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func salvageRebuildsWithoutTheDamagedMemberAndNamesIt() throws {
        let damaged = try damagedZip()
        // Read past the damage: the damaged member is a message without bytes, with the problem.
        let all = try messages(damaged.container, salvage: true)
        #expect(all.count == 3)
        let broken = all.filter { $0.problem != nil }
        #expect(broken.count == 1)
        #expect(broken.first?.problem?.code == .corrupt)
        #expect(broken.first?.displayPath == damaged.container.path + "!" + damaged.damagedMember)
        #expect(broken.first?.bytes == nil)

        let anna = try #require(all.first { String(decoding: $0.bytes ?? [], as: UTF8.self).contains("anna@") })
        let report = try erase(anna, in: damaged.container, salvage: true)
        #expect(report.applied.map(\.done) == [true])
        #expect(!report.passed)
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.code == .corrupt)
        #expect(report.problems.first?.path == damaged.container.path + "!" + damaged.damagedMember)
        #expect(report.problems.first?.problem.contains("left out of the rebuilt archive") == true)
        #expect(Set(report.rewrite?.partsRemoved ?? []) == [ArchiveIntegrityTests.names[0], damaged.damagedMember])

        // What is left is sound, read with every check, and holds only the third message.
        let (members, reader) = try ArchiveIntegrityTests.readAll(damaged.url)
        #expect(reader.damage.isEmpty)
        #expect(members.keys.sorted() == [ArchiveIntegrityTests.names[2]])
        #expect(try messages(damaged.container, salvage: false).count == 1)
    }

    @Test func aDamagedGzipTarWithoutMemberToBlameIsRebuiltAsReadAndSaysSo() throws {
        let dir = try TemporaryDirectory()
        _ = try ArchiveIntegrityTests.makeTree(dir)
        try ChildProcess.check(["tar", "-czf", "mail-2026-01-10.tar.gz", "-C", "tree", "Maildir"], in: dir.url)
        let url = dir.url.appendingPathComponent("mail-2026-01-10.tar.gz")
        try ArchiveIntegrityTests.flipped(try ArchiveIntegrityTests.bytes(url), at: -8, to: url)
        let container = try #require(try Self.locator.scan([FileSystem.resolveNamedPath(url.path)]).containers.first)
        #expect(throws: PrivctlError.self) { _ = try messages(container, salvage: false) }
        let all = try messages(container, salvage: true)
        #expect(all.filter { $0.problem?.code == .corrupt }.count == 1)  // the archive's own damage
        let anna = try #require(all.first { String(decoding: $0.bytes ?? [], as: UTF8.self).contains("anna@") })
        let report = try erase(anna, in: container, salvage: true)
        #expect(!report.passed)
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.path == container.path)
        #expect(report.problems.first?.problem.contains("cannot tell which member") == true)
        // The rebuilt archive is sound gzip again, and says nothing of anna.
        try ChildProcess.check(["gzip", "-t", url.path], in: dir.url)
        #expect(try ArchiveIntegrityTests.readAll(url).members.count == 2)
    }

    @Test func hardLinksToARemovedMemberGoWithIt() throws {
        let dir = try TemporaryDirectory()
        _ = try ArchiveIntegrityTests.makeTree(dir)
        try FileManager.default.linkItem(
            at: dir.url.appendingPathComponent("tree/" + ArchiveIntegrityTests.names[0]),
            to: dir.url.appendingPathComponent("tree/Maildir/cur/9.z.host:2,S"))
        try ChildProcess.check(["bsdtar", "-cf", "links.tar", "-C", "tree", "Maildir"], in: dir.url)
        let url = dir.url.appendingPathComponent("links.tar")
        let container = try #require(try Self.locator.scan([FileSystem.resolveNamedPath(url.path)]).containers.first)
        let anna = try #require(try messages(container, salvage: false).first {
            String(decoding: $0.bytes ?? [], as: UTF8.self).contains("anna@")
        })
        let report = try erase(anna, in: container, salvage: false)
        #expect(report.passed, "\(report.checks)")
        #expect(report.rewrite?.partsRemoved.count == 2)
        let listing = try ChildProcess.check(["bsdtar", "-tvf", "links.tar"], in: dir.url)
        #expect(!listing.contains("1.a.host") && !listing.contains("9.z.host"), "\(listing)")
    }

    @Test func oversizedMembersAreReportedNotHeld() throws {
        let dir = try TemporaryDirectory()
        let big = "From: dora@example.org\nSubject: big\n\n" + String(repeating: "0123456789abcdef\n", count: 200_000)  // 3.4 MB
        try dir.write("tree/Maildir/cur/1.a.host:2,S", big)
        try dir.write("tree/Maildir/cur/2.b.host:2,S", "From: anna@example.org\nSubject: small\n\nhi\n")
        try dir.write(
            "tree/mail/inbox",
            "From a@x Thu Jan  1 10:00:00 2026\nSubject: a\n\nA\n\nFrom b@x Thu Jan  1 10:00:00 2026\n" + big)
        try ChildProcess.check(["tar", "-czf", "big.tar.gz", "-C", "tree", "Maildir", "mail"], in: dir.url)
        let url = dir.url.appendingPathComponent("big.tar.gz")
        let container = try #require(try Self.locator.scan([FileSystem.resolveNamedPath(url.path)]).containers.first)
        var all: [StoredMessage] = []
        try container.forEachBatch(limits: ReadLimits(maxMessageSize: 1_000_000)) { all += $0 }
        let tooLarge = all.filter { $0.problem?.code == .tooLarge }
        #expect(tooLarge.count == 2)  // the Maildir member and the mbox's second message
        #expect(tooLarge.allSatisfy { $0.bytes == nil })
        #expect(all.filter { $0.problem == nil }.count == 2)  // the small message and the mbox's first
    }
}
