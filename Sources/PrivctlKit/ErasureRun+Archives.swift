import Archives
import Crypto
import Erasure
import Foundation
import MailStores
import PrivacyEvents

/// Erasure inside backup archives.
///
/// A backup is evidence of what was held, so its rules differ from live mail: a message under a
/// legal retention duty stays in the archive (it is the backup of the blocked copy) and is
/// recorded as blocked; every other message of the subject is removed. Removal rewrites the
/// archive (``ArchiveRewrite``): Maildir and `.eml` members are left out, together with hard
/// links to them; messages of mbox members are cut out of the member. The copy is read back
/// completely before it replaces the original: the member list must be the old one minus exactly
/// the removed members, every kept member must hash as before (cut members as written), no
/// address of the subject may occur anywhere in the decompressed content, and the archive must
/// read through without a format or checksum error.
extension ErasureRun {
    /// Reads an archive and finds the selected messages in it.
    func findInArchive(_ container: MailContainer, progress: (Int) -> Void) throws
        -> (findings: [Finding], members: [ArchiveMail.Member])
    {
        var findings: [Finding] = []
        var members: [ArchiveMail.Member] = []
        try ArchiveMail(container).read(
            onMessages: { index, messages in
                let results = parallelMap(messages) { self.examine($0) }
                for result in results {
                    guard case .some(let (_, finding)) = result, var finding else { continue }
                    finding.archiveMember = index
                    findings.append(finding)
                }
                progress(messages.count)
            },
            onMember: { members.append($0) })
        return (findings, members)
    }

    /// What an archive run did.
    struct ArchiveResult {
        var outcome: Outcome
        var report: ErasureReceipt.ArchiveReport
        var checks: [String]
        var passed: Bool
    }

    /// Removes what the plan says from one archive, verifies the copy, replaces the original,
    /// and builds the events (erase for removed, block for what a duty keeps).
    func actOnArchive(
        _ container: MailContainer, plan: [(Finding, Decision)], members: [ArchiveMail.Member], requestID: String?
    ) throws -> ArchiveResult {
        var outcome = Outcome()
        var removeMembers = Set<Int>()
        var cuts: [Int: [Range<Int>]] = [:]
        var removing: [(Finding, Decision)] = []
        for (finding, decision) in plan {
            guard case .erase = decision, let index = finding.archiveMember else { continue }
            removing.append((finding, decision))
            if members[index].isMbox, let range = finding.stored.byteRange {
                cuts[index, default: []].append(range)
            } else {
                removeMembers.insert(index)
            }
        }
        // scrub: server logs stay in backups only so long after the archive's date.
        var oldLogs: [ArchiveMail.Member] = []
        let archiveDay = Self.archiveDay(of: container)
        if configuration.operation == .scrub, archiveDay.adding(days: configuration.logBackupDays) < configuration.day {
            oldLogs = members.filter { $0.isLog && $0.kind == .file }
            for member in oldLogs { removeMembers.insert(member.index) }
        }
        // Hard links to a removed member are the same message.
        let removedNames = Set(removeMembers.map { members[$0].name })
        for member in members where member.kind == .hardlink {
            if let target = member.linkTarget, removedNames.contains(target) { removeMembers.insert(member.index) }
        }
        var changes: [Int: ArchiveRewrite.Change] = [:]
        for index in removeMembers { changes[index] = .remove }
        for (index, ranges) in cuts where !removeMembers.contains(index) {
            let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
            changes[index] = .cut(sorted, newSize: members[index].size - sorted.reduce(0) { $0 + $1.count })
        }

        var report = ErasureReceipt.ArchiveReport(
            archive: container.path, rewritten: false, membersRemoved: [], membersCut: [], messagesRemoved: 0,
            bytesRemoved: 0, oldSize: 0, newSize: 0)
        var checks: [String] = []
        var passed = true
        // Members that may still name the person: those holding messages kept on purpose.
        var keptOnPurpose = Set<String>()
        for (finding, decision) in plan {
            if case .erase = decision { continue }
            if let index = finding.archiveMember { keptOnPurpose.insert(members[index].name) }
        }
        if !changes.isEmpty {
            let rewrite = ArchiveRewrite(path: container.path)
            var writtenHashes: [Int: SHA256] = [:]
            let copy = try rewrite.prepare(changes) { index, _, block in
                if changes[index] != nil { writtenHashes[index, default: SHA256()].update(data: block) }
            }
            // What the new archive must hold, member by member.
            var expected: [(name: String, hash: String)] = []
            for member in members where changes[member.index] != .remove {
                if changes[member.index] != nil {
                    expected.append((member.name, Hex.encode((writtenHashes[member.index] ?? SHA256()).finalize())))
                } else {
                    expected.append((member.name, member.contentHash))
                }
            }
            do {
                let verification = try verifyArchive(
                    rewrite.temporaryPath, expected: expected, keptOnPurpose: keptOnPurpose, display: container.path)
                checks += verification.checks
                passed = verification.passed
            } catch {
                rewrite.discard()
                throw error
            }
            try rewrite.commit()
            report.rewritten = true
            report.membersRemoved = copy.removed.map(\.name)
            report.membersCut = cuts.keys.filter { !removeMembers.contains($0) }.sorted().map { members[$0].name }
            report.messagesRemoved = removing.count + oldLogs.count
            report.bytesRemoved = copy.removed.reduce(0) { $0 + $1.size } + copy.bytesCut
            report.oldSize = copy.oldSize
            report.newSize = copy.newSize
        } else {
            var info = stat()
            if stat(container.path, &info) == 0 {
                report.oldSize = Int(info.st_size)
                report.newSize = Int(info.st_size)
            }
            checks.append("\(container.path): nothing to remove; left unchanged")
        }

        for member in oldLogs {
            let reason = "server logs are kept in backups at most \(configuration.logBackupDays) days; the archive is of \(archiveDay)"
            let event = PrivacyEvent(
                host: configuration.host, kind: .erase, subjects: [], dataCategory: "server-log",
                purpose: "Operating and securing the servers; kept briefly for fault finding and abuse handling.",
                legalBasis: LegalBasis(.legitimateInterests),
                location: DataLocation(store: container.path, item: "!" + member.name, contentHash: member.contentHash),
                details: ["reason": reason, "archive": container.path, "request": "none: privctl scrub"])
            outcome.events.append(event)
            outcome.items.append(ErasureReceipt.Item(
                path: container.path + "!" + member.name, action: "erased", category: "server-log", retainUntil: nil,
                reason: reason, legalBasis: LegalBasis(.legitimateInterests).citation, sha256: member.contentHash,
                foundIn: ["server log member"], eventId: event.id.rawValue, blockedAt: nil))
        }
        for (finding, decision) in plan {
            // scrub and apply run again and again: a backup copy recorded as blocked is not again.
            if case .block = decision,
                configuration.recordedBlocks.contains(Self.blockKey(container.path, finding.stored.item, finding.contentHash))
            {
                continue
            }
            var event: PrivacyEvent?
            switch decision {
            case .held:
                break
            case .erase(let reason):
                var details: [String: String] = ["archive": container.path]
                if let index = finding.archiveMember, members[index].isMbox { details["mboxMember"] = members[index].name }
                event = self.event(.erase, finding, reason: reason + "; removed from the backup", requestID: requestID, keepUntil: nil, location: nil, extra: details)
                outcome.forgottenIdentities.append(finding.identity)
            case .block(let reason, let until):
                event = self.event(
                    .block, finding, reason: reason + "; the backup copy stays in the archive", requestID: requestID,
                    keepUntil: until, location: nil, extra: ["archive": container.path])
            }
            if let event { outcome.events.append(event) }
            // A blocked backup copy stays where it is: no other place to name.
            outcome.items.append(item(for: finding, decision: decision, event: event?.id.rawValue, blockedAt: nil))
        }
        return ArchiveResult(outcome: outcome, report: report, checks: checks, passed: passed)
    }

    /// The key of a block event for ``Configuration/recordedBlocks``.
    static func blockKey(_ archive: String, _ item: String, _ hash: String) -> String {
        archive + "|" + item + "|" + hash
    }

    /// The day a backup archive was made: a date in its name (`…-2026-11-20.tar.gz`,
    /// `…20261120…`), else its modification day.
    static func archiveDay(of container: MailContainer) -> CalendarDay {
        let name = container.url.lastPathComponent
        let bytes = Array(name.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for i in range {
                guard bytes[i] >= 0x30, bytes[i] <= 0x39 else { return nil }
                value = value * 10 + Int(bytes[i] - 0x30)
            }
            return value
        }
        var i = 0
        while i + 8 <= bytes.count {
            // YYYY-MM-DD or YYYYMMDD, years 1990-2099.
            if let year = digits(i..<(i + 4)), (1990...2099).contains(year) {
                if i + 10 <= bytes.count, bytes[i + 4] == UInt8(ascii: "-"), bytes[i + 7] == UInt8(ascii: "-"),
                    let month = digits((i + 5)..<(i + 7)), let day = digits((i + 8)..<(i + 10)),
                    let date = CalendarDay(iso: String(format: "%04d-%02d-%02d", year, month, day))
                {
                    return date
                }
                if let month = digits((i + 4)..<(i + 6)), let day = digits((i + 6)..<(i + 8)),
                    let date = CalendarDay(iso: String(format: "%04d-%02d-%02d", year, month, day))
                {
                    return date
                }
            }
            i += 1
        }
        let modified = (try? FileManager.default.attributesOfItem(atPath: container.path)[.modificationDate] as? Date) ?? Date()
        return CalendarDay(modified)
    }

    /// Reads a rewritten archive completely and compares it with what it must hold.
    ///
    /// Throws (and the caller keeps the original) when the member list, a kept member's content
    /// or the archive's own integrity is wrong. An address left in a member that was not kept on
    /// purpose (a log file, say) does not undo the removal: it is a failed check naming the
    /// members, for the operator to deal with.
    private func verifyArchive(
        _ path: String, expected: [(name: String, hash: String)], keptOnPurpose: Set<String>, display: String
    ) throws -> (checks: [String], passed: Bool) {
        let reader = try ArchiveReader(url: URL(fileURLWithPath: path))
        var found: [(name: String, hash: String)] = []
        var namingMembers: [String] = []
        let scanners: [AddressScanner] = {
            if case .subject(let query) = configuration.selection { return query.addresses }
            return []
        }()
        let overlap = 256
        while let member = try reader.nextMember() {
            var hasher = SHA256()
            var tail: [UInt8] = []
            var names = false
            try reader.readData { block in
                hasher.update(data: block)
                guard !scanners.isEmpty, !names else { return }
                // Search across block boundaries: the end of the last block plus this one.
                let window = tail + Array(block)
                if scanners.contains(where: { $0.occurs(in: window) }) { names = true }
                tail = Array(window.suffix(overlap))
            }
            if names { namingMembers.append(member.name) }
            found.append((member.name, Hex.encode(hasher.finalize())))
        }
        guard found.map(\.name) == expected.map(\.name) else {
            throw ArchiveError(path: display, problem: "the rewritten archive does not hold the expected members")
        }
        let changed = zip(found, expected).filter { $0.0.hash != $0.1.hash }.map(\.0.name)
        guard changed.isEmpty else {
            throw ArchiveError(path: display, problem: "kept members read back changed: \(changed.prefix(3).joined(separator: ", "))")
        }
        var checks = [
            "\(display): \(found.count) members read back, each as before (SHA-256)",
            "\(display): the archive reads through without a format or checksum error",
        ]
        guard !scanners.isEmpty else { return (checks, true) }
        let residue = namingMembers.filter { !keptOnPurpose.contains($0) }
        if residue.isEmpty {
            checks.append(namingMembers.isEmpty
                ? "\(display): the address occurs nowhere in the decompressed archive"
                : "\(display): the address occurs only in messages kept under a legal duty or hold")
            return (checks, true)
        }
        checks.append(
            "\(display): FAILED: the address still occurs in \(residue.count) member(s) that are not mail privctl can remove: "
                + residue.prefix(5).joined(separator: ", "))
        return (checks, false)
    }
}
