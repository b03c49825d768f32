import FileSystem
import Foundation
import PrivacyEvents

/// A file holding one message (`.eml`, or any file named on the command line that starts with
/// a header field). The file is the container and its own store.
public struct MessageFileFormat: MailStoreFormat {
    public let name = "eml"

    public init() {}

    // MARK: - Locate

    public func container(forFile file: CandidateFile, named: Bool) -> MailContainer? {
        let isEml = file.name.lowercased().hasSuffix(".eml")
        guard isEml || (named && file.sniff() == .message) else { return nil }
        return MailContainer(format: self, path: file.path, folder: FileSystem.split(file.directory.path).name)
    }

    // MARK: - Read

    public func forEachBatch(
        of container: MailContainer, size: Int, limits: ReadLimits, _ body: ([StoredMessage]) throws -> Void
    ) throws {
        let (directoryPath, name) = FileSystem.split(container.path)
        let directory = try Directory.open(directoryPath)
        // A message file that is gone (erased, blocked) is an empty container.
        guard let info = try directory.info(name) else { return }
        // A message file of a Maildir folder keeps the identity its folder gives it.
        let identity = MaildirFormat.identity(ofMessageFile: name, in: directory) ?? "file:" + container.path
        var message = StoredMessage(
            container: container, item: "", identity: identity, size: info.size,
            deliveredAt: Date(timeIntervalSince1970: info.modified), filePath: container.path, directory: directory)
        if info.kind != .regular {
            message.problem = PrivctlError(
                info.kind == .symbolicLink ? .symbolicLink : .notRegularFile, path: container.path,
                problem: "is a \(info.kind.rawValue); not opened")
        }
        try body([message])
    }

    // MARK: - Change

    public func apply(_ changes: ChangeSet, to container: MailContainer, options: ChangeOptions) throws -> ChangeReport {
        let before = try ContentSnapshot(of: container, limits: options.limits)
        let (directoryPath, name) = FileSystem.split(container.path)
        let directory = try Directory.open(directoryPath)
        let blocked = BlockedStore(storePath: container.path)
        let outcome = MessageFileChanges(storePath: directoryPath, limits: options.limits, blocksOtherLinks: false).apply(
            changes.changes, locate: { _ in (directory, name) },
            block: { name, directory, _ throws(PrivctlError) in try blocked.blockFile(name, in: directory) })
        let after = try ContentSnapshot(of: container, limits: options.limits)
        var (checks, passed) = before.compare(after: after, removed: outcome.removed, display: container.path)
        if !outcome.blocked.isEmpty {
            let kept = try blocked.blockedFileSnapshot(format: self, limits: options.limits)
            let check = ContentSnapshot.checkBlocked(outcome.blocked, in: kept, display: blocked.root)
            checks.append(check.check)
            passed = passed && check.passed
        }
        return ChangeReport(
            applied: outcome.applied, checks: checks, passed: passed && outcome.problems.isEmpty, problems: outcome.problems)
    }

    // MARK: - Blocked store

    public func blockedContainers(of container: MailContainer) throws -> [BlockedContainer] {
        try BlockedStore(storePath: container.path).blockedFileContainer(format: self, folder: container.folder).map { [$0] } ?? []
    }

    public func unblock(
        _ messages: [StoredMessage], contentHashes: [String], from blocked: BlockedContainer, options: ChangeOptions
    ) throws -> [UnblockResult] {
        var results: [UnblockResult] = []
        for message in messages {
            guard let filePath = message.filePath else {
                results.append(UnblockResult(livePath: nil, verified: false))
                continue
            }
            results.append(try MessageFileChanges.moveBack(filePath, to: blocked.liveStore, limits: options.limits))
        }
        return results
    }
}
