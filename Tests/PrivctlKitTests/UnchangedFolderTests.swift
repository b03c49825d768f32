import Foundation
import PrivacyEvents
import RetentionPolicy
import SQLiteLedger
import TestSupport
import Testing

@testable import PrivctlKit

/// A re-run that prints only the table counts a folder unchanged since it was read whole from
/// the scan index's totals (its listing compared, no row per message); anything that changed
/// the folder, its rows or the policy has it read as before.
@Suite struct UnchangedFolderTests {
    typealias Fixture = ClassifyRunTests.Fixture
    let key = PseudonymKey(bytes: Array(repeating: 9, count: 32))

    /// The table's columns per category.
    func table(_ summary: ClassifyRun.Summary) -> [String] {
        summary.categories.map { "\($0.category) \($0.messages) \($0.bytes) \($0.oldest?.description ?? "-") \($0.due)" }
    }

    func containers(_ f: Fixture) -> [String] {
        [f.maildir.path, f.maildir.appendingPathComponent(".Technik").path, f.maildir.appendingPathComponent(".Privat").path]
    }

    @Test func anUnchangedFolderIsCountedFromTheIndexWithTheSameTable() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        for n in 0..<5 { try f.dir.write("Maildir/cur/17952013\(n)0.M9\(n)P9.mx:2,S", SampleMail.newsletter(n: 10 + n)) }
        let (first, _, _) = try f.classify(eachMessage: false)
        #expect(first.parsed == 9)
        for path in containers(f) { #expect(try f.index.listing(of: path) != nil, "\(path)") }
        let (again, messages, _) = try f.classify(eachMessage: false)
        #expect(again.parsed == 0)
        #expect(again.unchanged == 9)
        #expect(messages.isEmpty, "no message handed out one by one")
        #expect(again.messages == first.messages)
        #expect(again.bytes == first.bytes)
        #expect(table(again) == table(first))
        #expect(table(again).contains { $0.hasPrefix("newsletter 6 ") })
        // Every message, when the caller needs each one: the same totals, row by row.
        let (each, eachMessages, _) = try f.classify(eachMessage: true)
        #expect(eachMessages.count == 9)
        #expect(table(each) == table(first))
        #expect(try f.events().count == 18, "a collect and a retain event per message, once")
    }

    @Test func aNewRenamedResizedOrDeletedMessageHasItsFolderRead() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.classify(eachMessage: false)
        // A new message in one folder: that folder is read, the others are counted.
        try f.dir.write("Maildir/.Technik/new/1795572100.M5P5.mx", SampleMail.cron(n: 2))
        var (summary, _, _) = try f.classify(eachMessage: false)
        #expect(summary.parsed == 1)
        #expect(summary.unchanged == 4)
        #expect(try f.events(.collect).count == 5)
        // Flags changed: the folder is read, its row follows the new name, nothing is recorded.
        let technik = f.maildir.appendingPathComponent(".Technik")
        try FileManager.default.moveItem(
            at: technik.appendingPathComponent("new/1795572100.M5P5.mx"),
            to: technik.appendingPathComponent("cur/1795572100.M5P5.mx:2,S"))
        (summary, _, _) = try f.classify(eachMessage: false)
        #expect(summary.parsed == 0)
        #expect(summary.retainEvents == 0)
        #expect(try f.index.listing(of: technik.path) != nil, "read whole again, so listed again")
        #expect(try f.classify(eachMessage: false).0.unchanged == 5)
        // Rewritten in place with another size (no S= in the name): read and parsed again.
        try f.dir.write("Maildir/.Technik/cur/1795572100.M5P5.mx:2,S", SampleMail.cron(n: 3) + "more\n")
        (summary, _, _) = try f.classify(eachMessage: false)
        #expect(summary.parsed == 1)
        // Deleted: the folder is read and the message recorded as removed.
        try FileManager.default.removeItem(at: technik.appendingPathComponent("cur/1795572100.M5P5.mx:2,S"))
        (summary, _, _) = try f.classify(eachMessage: false)
        #expect(summary.vanished == 1)
        #expect(summary.messages == 4)
        #expect(try f.events(.erase).count == 1)
        #expect(try f.classify(eachMessage: false).0.unchanged == 4)
    }

    @Test func aChangedPolicyHasEveryFolderReadAgain() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.classify(eachMessage: false)
        let yaml = RetentionPolicy.builtInYAML
        let newsletterStart = try #require(yaml.range(of: "id: newsletter"))
        let periodRange = try #require(yaml.range(of: "period: 1 year", range: newsletterStart.upperBound..<yaml.endIndex))
        f.policy = try RetentionPolicy(yaml: yaml.replacingCharacters(in: periodRange, with: "period: 2 years"), file: "changed.yaml")
        let (summary, _, _) = try f.classify(eachMessage: false)
        #expect(summary.parsed == 4)
        #expect(summary.retainEvents == 1)
        #expect(try f.classify(eachMessage: false).0.unchanged == 4)
    }

    @Test func aFolderWithAnEntryThatIsNotAMessageIsNeverCountedWhole() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        let target = try f.dir.write("elsewhere/secret", "Subject: not mail of this folder\n\nx\n")
        try FileManager.default.createSymbolicLink(
            at: f.maildir.appendingPathComponent(".Technik/cur/1795572200.M6P6.mx:2,S"), withDestinationURL: target)
        let (first, _, unreadable) = try f.classify(eachMessage: false)
        #expect(unreadable.count == 1)
        #expect(try f.index.listing(of: f.maildir.appendingPathComponent(".Technik").path) == nil)
        #expect(try f.index.listing(of: f.maildir.path) != nil)
        let (again, _, unreadableAgain) = try f.classify(eachMessage: false)
        #expect(unreadableAgain.count == 1, "still reported on every run")
        #expect(again.unchanged == first.messages)
    }

    /// The index forgets a folder's listing whenever one of its rows is written or removed, so
    /// a listing only ever stands for rows written before it.
    @Test func writingOrRemovingAFoldersRowsForgetsItsListing() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.classify(eachMessage: false)
        let inbox = f.maildir.path
        let row = try #require(try f.index.rows(in: inbox, limit: 100)?.values.first)
        let listing = try #require(try f.index.listing(of: inbox))
        func relisted() throws { try f.index.recordListings([(inbox, listing.digest)], policy: listing.policy) }
        #expect(try f.index.listing(of: inbox)?.digest == listing.digest)

        try f.index.record([row])
        #expect(try f.index.listing(of: inbox) == nil, "a row written")
        try relisted()
        try f.index.record([], renamed: [(row.key, row.item + "x")])
        #expect(try f.index.listing(of: inbox) == nil, "a row renamed")
        try relisted()
        try f.index.remove([row.key])
        #expect(try f.index.listing(of: inbox) == nil, "a row removed")
        #expect(try f.index.listing(of: f.maildir.appendingPathComponent(".Privat").path) != nil, "other folders keep theirs")
        // The run reads the folder again and finds the message it no longer had a row for.
        let (summary, _, _) = try f.classify(eachMessage: false)
        #expect(summary.parsed == 1)
    }

    /// A folder renamed: its rows follow the messages, and its old listing goes with them.
    @Test func aRenamedFoldersListingGoes() throws {
        let f = try Fixture(key: key)
        try f.makeMaildir()
        try f.classify(eachMessage: false)
        let old = f.maildir.appendingPathComponent(".Technik"), renamed = f.maildir.appendingPathComponent(".Technik2")
        try FileManager.default.moveItem(at: old, to: renamed)
        let (summary, _, _) = try f.classify(eachMessage: false)
        #expect(summary.vanished == 0)
        #expect(try f.index.listing(of: old.path) == nil)
        #expect(try f.index.listing(of: renamed.path) != nil)
        #expect(try f.classify(eachMessage: false).0.unchanged == 4)
    }
}
