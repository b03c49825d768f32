import FileSystem
import Foundation
import PrivacyEvents

/// mbox (mboxo and mboxrd): one file, messages separated by `From ` lines, as Postfix's and
/// Dovecot's mbox delivery, mutt and Thunderbird write it. The file is the container and its
/// own store; messages have no names, so they are identified by content.
public struct MboxFormat: MailStoreFormat {
    public let name = "mbox"

    public init() {}

    // MARK: - Locate

    public func container(forFile file: CandidateFile, named: Bool) -> MailContainer? {
        switch file.sniff() {
        case .mbox: break
        // An empty mailbox, for example an mbox whose last message was erased.
        case .empty where named: break
        default: return nil
        }
        return MailContainer(format: self, path: file.path, folder: file.name)
    }

    // MARK: - Read

    public func forEachBatch(
        of container: MailContainer, size: Int, limits: ReadLimits, _ body: ([StoredMessage]) throws -> Void
    ) throws {
        try MboxFile(container, limits: limits).forEachBatch(size: size, body)
    }

    // MARK: - Change

    public func apply(_ changes: ChangeSet, to container: MailContainer, options: ChangeOptions) throws -> ChangeReport {
        let before = try ContentSnapshot(of: container, limits: options.limits)
        let blocked = BlockedStore(storePath: container.path)
        let remove = Set(changes.changes.map(\.contentHash))
        let blockHashes = Set(changes.changes.filter { $0.action == .block }.map(\.contentHash))
        let rewriter = MboxRewriter(path: container.path, lockTimeout: options.lockTimeout, limits: options.limits)
        let result = try rewriter.remove(contentHashes: remove) { removed in
            // A copy an earlier, failed run already put there is not added twice.
            let present = try blocked.blockedFileSnapshot(format: self, limits: options.limits)
            var toBlock = removed.filter { blockHashes.contains($0.contentHash) }
            var seen: [String: Int] = [:]
            toBlock.removeAll { message in
                seen[message.contentHash, default: 0] += 1
                return seen[message.contentHash]! <= present.counts[message.contentHash, default: 0]
            }
            guard !toBlock.isEmpty else { return }
            let root = try blocked.openDirectory([], includingStoreName: false, create: true)
            try MboxAppender(path: blocked.blockedFile, lockTimeout: options.lockTimeout)
                .append(toBlock.map(\.storedBytes), creatingIn: root)
        }
        let removedHashes = Set(result.removed.map(\.contentHash))
        var applied: [ChangeReport.Applied] = []
        var problems: [PrivctlError] = []
        for change in changes.changes {
            // A message the rewrite did not find (changed since it was found) is not claimed.
            guard removedHashes.contains(change.contentHash) else {
                let problem = PrivctlError(
                    .changedWhileRead, path: change.message.displayPath, problem: "changed since it was found; left as it is")
                applied.append(.init(done: false, problem: problem))
                problems.append(problem)
                continue
            }
            switch change.action {
            case .block:
                applied.append(.init(done: true, blockedAt: blocked.blockedFile, details: ["livePath": change.message.displayPath]))
            case .erase:
                applied.append(.init(done: true, details: ["mboxSizeBefore": "\(result.oldSize)", "mboxSizeAfter": "\(result.newSize)"]))
            }
        }
        if result.otherLinks > 0, !result.removed.isEmpty {
            problems.append(PrivctlError(
                .copyOutsideStore, path: container.path,
                problem: "\(result.otherLinks) other hard link(s) to this mbox still hold its old content, with the removed messages"))
        }
        let after = try ContentSnapshot(of: container, limits: options.limits)
        var (checks, passed) = before.compare(after: after, removed: Array(removedHashes), display: container.path)
        if !blockHashes.isEmpty {
            let kept = try blocked.blockedFileSnapshot(format: self, limits: options.limits)
            let check = ContentSnapshot.checkBlocked(Array(blockHashes.intersection(removedHashes)), in: kept, display: blocked.root)
            checks.append(check.check)
            passed = passed && check.passed
        }
        var report = ChangeReport(applied: applied, checks: checks, passed: passed && problems.isEmpty, problems: problems)
        report.rewrite = .init(oldSize: result.oldSize, newSize: result.newSize, partsRemoved: [], partsCut: [], bytesRemoved: result.oldSize - result.newSize)
        return report
    }

    // MARK: - Blocked store

    public func blockedContainers(of container: MailContainer) throws -> [BlockedContainer] {
        try BlockedStore(storePath: container.path).blockedFileContainer(format: self, folder: container.folder).map { [$0] } ?? []
    }

    public func unblock(
        _ messages: [StoredMessage], contentHashes hashes: [String], from blocked: BlockedContainer, options: ChangeOptions
    ) throws -> [UnblockResult] {
        _ = try MboxRewriter(path: blocked.container.path, lockTimeout: options.lockTimeout, limits: options.limits)
            .remove(contentHashes: Set(hashes)) { removed in
                try MboxAppender(path: blocked.liveStore, lockTimeout: options.lockTimeout).append(removed.map(\.storedBytes))
            }
        let back = try ContentSnapshot(of: MailContainer(format: self, path: blocked.liveStore, folder: ""), limits: options.limits)
        return hashes.map { UnblockResult(livePath: blocked.liveStore, verified: back.counts[$0] != nil) }
    }
}
