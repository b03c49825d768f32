import FileSystem
import PrivacyEvents

/// Erasing and blocking messages that are files of their own (Maildir messages, `.eml` files):
/// the loop ``MaildirFormat`` and ``MessageFileFormat`` share. Each change is checked against
/// its content hash first (a file that changed since it was found is left alone), then erased
/// with ``MessageFileEraser`` or moved into the ``BlockedStore``. A failing change is reported
/// and the others go on.
struct MessageFileChanges {
    /// Where other hard links of a message are looked for.
    let storePath: String
    let limits: ReadLimits
    /// Whether other hard links of a blocked message inside the store are blocked with it (a
    /// Maildir's copies in other folders); when false they count as copies left behind.
    var blocksOtherLinks = true

    /// What the loop did.
    struct Outcome {
        var applied: [ChangeReport.Applied] = []
        var problems: [PrivctlError] = []
        /// Content hashes of the messages that left the live store.
        var removed: [String] = []
        var blocked: [String] = []
    }

    /// Applies `changes`; `locate` says where each message's file is, `block` moves it into the
    /// blocked store and returns its new path.
    func apply(
        _ changes: [MessageChange], locate: (MessageChange) throws(PrivctlError) -> (directory: Directory, name: String),
        block: (String, Directory, MessageChange) throws(PrivctlError) -> String
    ) -> Outcome {
        var outcome = Outcome()
        let eraser = MessageFileEraser(storePath: storePath)
        for change in changes {
            do throws(PrivctlError) {
                let (directory, name) = try locate(change)
                let bytes = try directory.openFile(name).readAll(limit: limits.maxMessageSize)
                guard ContentHash.sha256(bytes) == change.contentHash else {
                    throw PrivctlError(
                        .changedWhileRead, path: directory.path(of: name), problem: "changed since it was found; left as it is")
                }
                switch change.action {
                case .erase:
                    let erased = try eraser.erase(name, in: directory)
                    var details = ["overwritten": erased.overwritten ? "yes" : "no"]
                    if erased.removedPaths.count > 1 { details["hardLinksRemoved"] = "\(erased.removedPaths.count - 1)" }
                    if erased.linksLeftElsewhere > 0 {
                        details["linksOutsideStore"] = "\(erased.linksLeftElsewhere)"
                        outcome.problems.append(PrivctlError(
                            .copyOutsideStore, path: change.message.displayPath,
                            problem: "\(erased.linksLeftElsewhere) hard link(s) outside \(storePath) still hold this message's content; "
                                + "it was removed from the store but not overwritten"))
                    }
                    outcome.applied.append(.init(done: true, details: details))
                case .block:
                    // A copy of the message under another name (a hard link) would keep it in
                    // the live store: the store's links are blocked with it, others reported.
                    var others: [(directory: Directory, name: String)] = []
                    var elsewhere = 0
                    if let info = try directory.info(name), info.linkCount > 1 {
                        others = try eraser.otherLinks(of: info, besides: directory.path(of: name))
                        elsewhere = info.linkCount - 1 - others.count
                        if !blocksOtherLinks {
                            elsewhere += others.count
                            others = []
                        }
                    }
                    let target = try block(name, directory, change)
                    for other in others { _ = try block(other.name, other.directory, change) }
                    var details = ["livePath": change.message.displayPath]
                    if !others.isEmpty { details["hardLinksBlocked"] = "\(others.count)" }
                    if elsewhere > 0 {
                        details["linksOutsideStore"] = "\(elsewhere)"
                        outcome.problems.append(PrivctlError(
                            .copyOutsideStore, path: change.message.displayPath,
                            problem: "\(elsewhere) hard link(s) outside \(storePath) still show this blocked message there"))
                    }
                    outcome.applied.append(.init(done: true, blockedAt: target, details: details))
                    outcome.blocked.append(change.contentHash)
                }
                outcome.removed.append(change.contentHash)
            } catch {
                outcome.problems.append(error)
                outcome.applied.append(.init(done: false, problem: error))
            }
        }
        return outcome
    }

    /// Moves a blocked message file back to `livePath`, byte for byte, never replacing a file
    /// there, and reads it back; the result says where it is and whether it is back as it was.
    static func moveBack(_ blockedPath: String, to livePath: String, limits: ReadLimits) throws -> UnblockResult {
        let (fromPath, name) = FileSystem.split(blockedPath)
        let (toPath, liveName) = FileSystem.split(livePath)
        let from = try Directory.open(fromPath)
        let to = try Directory.open(toPath)
        let expected = try from.openFile(name).readAll(limit: limits.maxMessageSize)
        try from.move(name, to: liveName, in: to)
        try to.sync()
        try from.sync()
        let back = (try? to.openFile(liveName).readAll(limit: limits.maxMessageSize)) == expected
        return UnblockResult(livePath: livePath, verified: back)
    }
}
