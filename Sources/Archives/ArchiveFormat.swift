import Crypto
import FileSystem
import Foundation
import MailStores
import PrivacyEvents

/// Backup archives (tar in any compression, zip; whatever libarchive reads) as mail stores:
/// their Maildir, mbox and `.eml` members are read as a stream (``ArchiveMail``), never unpacked.
///
/// A backup is evidence of what was held, so changing one differs from live mail: a message to
/// block stays where it is (the archive is the backup of the blocked copy); erasing rewrites the
/// archive (``ArchiveRewrite``): Maildir and `.eml` members are left out, together with hard
/// links to them; messages of mbox members are cut out of the member. The copy is read back
/// completely before it replaces the original: the member list must be the old one minus exactly
/// the removed members, every kept member must hash as written, nothing that was to be erased
/// may occur anywhere in the decompressed content (``ChangeOptions/residueCheck``), and the
/// archive must read through without a format or checksum error.
public struct ArchiveFormat: MailStoreFormat {
    public let name = "archive"
    public var isBackup: Bool { true }

    public init() {}

    public func backupDay(of container: MailContainer) -> CalendarDay? { Self.archiveDay(of: container.path) }

    // MARK: - Locate

    public func container(forFile file: CandidateFile, named: Bool) -> MailContainer? {
        guard StoreLocator.isArchiveName(file.name) else { return nil }
        return MailContainer(format: self, path: file.path, folder: file.name)
    }

    // MARK: - Read

    public func forEachBatch(
        of container: MailContainer, size: Int, limits: ReadLimits, _ body: ([StoredMessage]) throws -> Void
    ) throws {
        try ArchiveMail(container, limits: limits).read(batchSize: size, onMessages: { _, batch in try body(batch) })
    }

    // MARK: - Change

    public func removeLeftovers(of container: MailContainer) throws {
        let (directoryPath, name) = FileSystem.split(container.path)
        try ReplacementFile.removeLeftovers(for: name, in: Directory.open(directoryPath))
    }

    public func apply(_ changes: ChangeSet, to container: MailContainer, options: ChangeOptions) throws -> ChangeReport {
        var removeMembers = Set<Int>()
        var cuts: [Int: [Range<Int>]] = [:]
        // What the search found there, to be checked against what the rewrite takes out.
        var found = FoundContent()
        var applied: [ChangeReport.Applied] = []
        for change in changes.changes {
            guard change.action == .erase, let part = change.message.part else {
                // A backup copy of a blocked message stays in the archive.
                applied.append(.init(done: change.action == .block))
                continue
            }
            if change.message.quotesFromLines, let range = change.message.byteRange {
                cuts[part, default: []].append(range)
                found.cuts[part, default: [:]][range.lowerBound] = change.contentHash
            } else {
                removeMembers.insert(part)
                found.members[part] = change.contentHash
            }
            applied.append(.init(done: true, details: ["archive": container.path]))
        }
        // Members that may still name the person: those holding messages kept on purpose.
        let keptOnPurpose = Set(changes.changes.filter { $0.action == .block }.compactMap(\.message.part))
            .union(changes.kept.compactMap(\.part))
        guard !removeMembers.isEmpty || !cuts.isEmpty || changes.removeServerLogs else {
            return ChangeReport(applied: applied, checks: ["\(container.path): nothing to remove; left unchanged"])
        }
        do {
            return try rewrite(
                container, removeMembers: removeMembers, cuts: cuts, found: found, keptOnPurpose: keptOnPurpose, applied: applied,
                changes: changes, options: options, damage: nil)
        } catch let error as PrivctlError where error.code == .corrupt {
            guard options.salvage else {
                throw PrivctlError(
                    .corrupt, path: container.path,
                    problem: "damaged archive: \(error.problem); privctl leaves it as it is (--salvage rebuilds it without the damaged members)")
            }
            let damage = try ArchiveReader.survey(file: FileSystem.openFile(atPath: container.path))
            guard !damage.isEmpty else { throw error }
            return try rewrite(
                container, removeMembers: removeMembers, cuts: cuts, found: found, keptOnPurpose: keptOnPurpose, applied: applied,
                changes: changes, options: options, damage: damage)
        }
    }

    /// Writes the copy without the removed members and the cut bytes, reads it back and puts
    /// it in place. With `damage` (salvage), the damaged members are left out too, and each
    /// damage is named in the report's problems.
    private func rewrite(
        _ container: MailContainer, removeMembers: Set<Int>, cuts: [Int: [Range<Int>]], found: FoundContent, keptOnPurpose: Set<Int>,
        applied: [ChangeReport.Applied], changes: ChangeSet, options: ChangeOptions, damage: [ArchiveReader.Damage]?
    ) throws -> ChangeReport {
        let salvage = damage != nil
        let damagedMembers = Set((damage ?? []).compactMap(\.index))
        let leftOut = removeMembers.union(damagedMembers)
        var rewriteChanges = try cutChanges(cuts.filter { !leftOut.contains($0.key) }, in: container, salvage: salvage)
        for index in leftOut { rewriteChanges[index] = .remove }
        let rewrite = try ArchiveRewrite(path: container.path)
        // Other names of the archive (hard links) keep the old content after the rename.
        let otherLinks = ((try? FileSystem.info(atPath: container.path)) ?? nil).map { $0.linkCount - 1 } ?? 0
        var removedNames = Set<String>()
        var damagedNames = Set<String>()
        var linksToDamaged: [String] = []
        var logs: [Int: SHA256] = [:]
        var removedContent: [Int: SHA256] = [:]
        var cutContent: [Int: [Int: [UInt8]]] = [:]
        var written: [Int: SHA256] = [:]
        let copy = try rewrite.prepare(
            rewriteChanges, salvage: salvage,
            removing: { index, member in
                if rewriteChanges[index] == .remove {
                    removedNames.insert(member.name)
                    if damagedMembers.contains(index) { damagedNames.insert(member.name) }
                    return true
                }
                // Hard links to a removed member are the same message (or the same damaged data).
                if member.kind == .hardlink, let target = member.linkTarget, removedNames.contains(target) {
                    removedNames.insert(member.name)
                    if damagedNames.contains(target) {
                        damagedNames.insert(member.name)
                        linksToDamaged.append(member.name)
                    }
                    return true
                }
                if changes.removeServerLogs, member.kind == .file, LogFileName.isLogPath(member.name) {
                    logs[index] = SHA256()
                    return true
                }
                // A kept member under a removed one's name (appended with `tar -r`) is what
                // later hard links to that name point to.
                removedNames.remove(member.name)
                damagedNames.remove(member.name)
                return false
            },
            onRemovedData: { index, block in
                logs[index]?.update(data: block)
                if found.members[index] != nil { removedContent[index, default: SHA256()].update(data: block) }
            },
            onCutData: { index, start, bytes in cutContent[index, default: [:]][start, default: []].append(contentsOf: bytes) },
            onKeptData: { index, _, block in written[index, default: SHA256()].update(data: block) })
        if rewriteChanges.isEmpty && copy.removed.isEmpty && copy.cut.isEmpty && !salvage {
            // Only server logs were to go, and the archive holds none (any more, or no member at
            // all): the copy goes and the archive stays as it is, its bytes and times untouched.
            rewrite.discard()
            return ChangeReport(applied: applied, checks: ["\(container.path): no server log members; left unchanged"])
        }
        // The archive must hold what the search found where it found it: one replaced or
        // rewritten in between would lose other people's mail by the old positions.
        // (A member removed without data is an empty message.)
        let removedHashes = removedContent.mapValues { Hex.encode($0.finalize()) }
        let removedIndices = Set(copy.removed.map(\.index))
        let changedMembers = found.members.filter { index, hash in
            (removedHashes[index] ?? (removedIndices.contains(index) ? ContentHash.sha256([]) : nil)) != hash
        }
        let changedCuts = found.cuts.filter { index, hashes in
            hashes.contains { start, hash in
                cutContent[index]?[start].map { ContentHash.sha256(Array(MboxFile.message(inEntry: $0[...]))) } != hash
            }
        }
        guard changedMembers.isEmpty && changedCuts.isEmpty else {
            rewrite.discard()
            throw PrivctlError(
                .changedWhileRead, path: container.path,
                problem: "the archive changed since privctl searched it (what it would remove is not what it found); left as it is, nothing erased")
        }
        let expected = written.mapValues { Hex.encode($0.finalize()) }
        var verification: (checks: [String], passed: Bool)
        do {
            verification = try verify(
                rewrite, expected: expected, keptCount: copy.keptCount, removed: Set(copy.removed.map(\.index)),
                keptOnPurpose: keptOnPurpose, residueCheck: options.residueCheck, display: container.path)
        } catch {
            rewrite.discard()
            throw error
        }
        try rewrite.commit()
        let removedParts = copy.removed.compactMap { removed -> ChangeReport.RemovedPart? in
            guard let hasher = logs[removed.index] else { return nil }
            return ChangeReport.RemovedPart(name: removed.name, contentHash: Hex.encode(hasher.finalize()), size: removed.size)
        }
        var problems = Self.salvageProblems(copy.damage, linksToDamaged: linksToDamaged, archive: container.path)
        if otherLinks > 0 {
            verification.passed = false
            problems.append(PrivctlError(
                .copyOutsideStore, path: container.path,
                problem: "\(otherLinks) other hard link(s) to this archive still hold its old content, with the removed messages"))
        }
        if !problems.isEmpty && !copy.damage.isEmpty {
            verification.passed = false
            verification.checks.append(
                "\(container.path): FAILED: rebuilt from a damaged archive (--salvage): \(damagedMembers.count + linksToDamaged.count) damaged member(s) left out, \(problems.count) problem(s) listed")
        }
        var report = ChangeReport(applied: applied, checks: verification.checks, passed: verification.passed, problems: problems)
        report.rewrite = .init(
            oldSize: copy.oldSize, newSize: copy.newSize, partsRemoved: copy.removed.map(\.name),
            partsCut: copy.cut.map(\.name), bytesRemoved: copy.removed.reduce(0) { $0 + $1.size } + copy.bytesCut)
        report.rewrite?.committed = rewrite.committedInfo
        report.removedParts = removedParts
        return report
    }

    /// One problem per damage a salvage read past, naming the member and what became of it.
    static func salvageProblems(_ damage: [ArchiveReader.Damage], linksToDamaged: [String], archive: String) -> [PrivctlError] {
        var problems = damage.map { found -> PrivctlError in
            let what: String
            switch (found.index, found.endedReading) {
            case (.some, false): what = "the member is left out of the rebuilt archive"
            case (.some, true): what = "the member and anything after it could not be read and are not in the rebuilt archive"
            case (nil, false): what = "what it held is not in the rebuilt archive"
            case (nil, true):
                what = "privctl cannot tell which member's bytes are wrong: the rebuilt archive holds every member as it was read"
            }
            let path = found.name.map { archive + "!" + $0 } ?? archive
            return PrivctlError(.corrupt, path: path, problem: "damaged: \(found.problem.problem); \(what)")
        }
        problems += linksToDamaged.map {
            PrivctlError(.corrupt, path: archive + "!" + $0, problem: "a hard link to a damaged member; left out of the rebuilt archive")
        }
        return problems
    }

    /// The cuts as rewrite changes, with each member's new size.
    private func cutChanges(_ cuts: [Int: [Range<Int>]], in container: MailContainer, salvage: Bool) throws -> [Int: ArchiveRewrite.Change] {
        guard !cuts.isEmpty else { return [:] }
        var result: [Int: ArchiveRewrite.Change] = [:]
        let reader = try ArchiveReader(url: container.url, salvage: salvage)
        var index = 0
        while let member = try reader.nextMember() {
            if let ranges = cuts[index] {
                let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
                result[index] = .cut(sorted, newSize: member.size - sorted.reduce(0) { $0 + $1.count })
            }
            index += 1
            if index > (cuts.keys.max() ?? 0) { break }
        }
        return result
    }

    /// Reads a rewritten archive completely and compares it with what was written.
    ///
    /// Throws (and the caller keeps the original) when the member list, a kept member's content
    /// or the archive's own integrity is wrong. Residue in a member that was not kept on purpose
    /// (a log file, say) does not undo the removal: it is a failed check naming the members,
    /// for the operator to deal with.
    private func verify(
        _ rewrite: ArchiveRewrite, expected: [Int: String], keptCount: Int, removed: Set<Int>, keptOnPurpose: Set<Int>,
        residueCheck: (@Sendable ([UInt8]) -> Bool)?, display: String
    ) throws -> (checks: [String], passed: Bool) {
        let reader = try ArchiveReader(file: rewrite.openCopy())
        var count = 0
        var namingMembers: [String] = []
        var changed: [String] = []
        // Positions in the old archive of the members the copy holds, in order.
        let overlap = 256
        var oldIndex = 0
        while let member = try reader.nextMember() {
            while removed.contains(oldIndex) { oldIndex += 1 }
            var hasher = SHA256()
            var tail: [UInt8] = []
            var names = false
            var sawData = false
            try reader.readData { block in
                sawData = true
                hasher.update(data: block)
                guard let residueCheck, !names else { return }
                // The block, and what spans the boundary: the end of the last block and the start of this one.
                let bytes = Array(block)
                if residueCheck(bytes) || (!tail.isEmpty && residueCheck(tail + bytes.prefix(overlap))) { names = true }
                tail = bytes.count >= overlap ? Array(bytes.suffix(overlap)) : Array((tail + bytes).suffix(overlap))
            }
            if names, !keptOnPurpose.contains(oldIndex) { namingMembers.append(member.name) }
            let hash = Hex.encode(hasher.finalize())
            if let want = expected[oldIndex] {
                if want != hash { changed.append(member.name) }
            } else if sawData {
                changed.append(member.name)
            }
            count += 1
            oldIndex += 1
        }
        guard count == keptCount else {
            throw PrivctlError(.failed, path: display, problem: "the rewritten archive does not hold the expected members; the archive is unchanged")
        }
        guard changed.isEmpty else {
            throw PrivctlError(.failed, path: display, problem: "kept members read back changed: \(changed.prefix(3).joined(separator: ", ")); the archive is unchanged")
        }
        var checks = [
            "\(display): \(count) members read back, each as written (SHA-256)",
            "\(display): the archive reads through without a format or checksum error",
        ]
        guard residueCheck != nil else { return (checks, true) }
        if namingMembers.isEmpty {
            checks.append("\(display): what was erased occurs nowhere else in the decompressed archive")
            return (checks, true)
        }
        checks.append(
            "\(display): FAILED: the address still occurs in \(namingMembers.count) member(s) that are not mail privctl can remove: "
                + namingMembers.prefix(5).joined(separator: ", "))
        return (checks, false)
    }

    // MARK: - Dates

    /// The day a backup archive was made: a date in its name (`…-2026-11-20.tar.gz`,
    /// `…20261120…`), else its modification day.
    public static func archiveDay(of path: String) -> CalendarDay {
        if let day = CalendarDay(inName: FileSystem.split(path).name) { return day }
        let modified = ((try? FileSystem.info(atPath: path)) ?? nil).map { Date(timeIntervalSince1970: $0.modified) } ?? Date()
        return CalendarDay(modified)
    }
}

/// What the search found in an archive, by member position: the content hash of each message
/// that is a whole member, and of each message cut out of an mbox member by the offset it
/// starts at.
struct FoundContent {
    var members: [Int: String] = [:]
    var cuts: [Int: [Int: String]] = [:]
}
