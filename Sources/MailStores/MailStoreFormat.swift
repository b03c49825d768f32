import FileSystem
import PrivacyEvents

/// A kind of mail store: how its containers are recognised, read, and changed.
///
/// privctl knows Maildir (``MaildirFormat``), mbox (``MboxFormat``), single message files
/// (``MessageFileFormat``) and backup archives (`ArchiveFormat` in the Archives module). Everything
/// that differs between them lives in their conformance; the pipelines above see only this
/// protocol, so a new format (MH, Dovecot's sdbox) is one new conformance and one line where
/// the formats are listed (`MailStoreFormats` in PrivctlKit). Every conformance passes the same
/// behaviour suite (`MailStoreFormatBehaviourTests`).
public protocol MailStoreFormat: Sendable {
    /// A short name for output and events: "maildir", "mbox", "eml", "archive".
    var name: String { get }

    /// Whether containers of this format are backups (kept as evidence of what was held:
    /// blocked messages stay in them, `scrub` works on them, `--max-age` deletes them).
    var isBackup: Bool { get }

    /// The day a backup container was made (from its name, else its modification time); nil
    /// for live stores.
    func backupDay(of container: MailContainer) -> CalendarDay?

    // MARK: Locate

    /// The containers of a store whose top is the directory `directory`, or nil when the
    /// directory is not one of this format's (the locator then looks inside it). `scan`
    /// collects what could not be looked at.
    func containers(inDirectory directory: Directory, scan: inout StoreScan) -> [MailContainer]?

    /// The container a regular file is, or nil when it is not one of this format's. `named` is
    /// true for a file the user named itself (then a plain message file is accepted too).
    func container(forFile file: CandidateFile, named: Bool) -> MailContainer?

    // MARK: Read

    /// Calls `body` with batches of at most `size` messages, in store order, streaming: memory
    /// holds one batch, whatever the container's size. Messages larger than `limits` are handed
    /// out without bytes and with ``StoredMessage/problem`` set, never silently left out.
    func forEachBatch(
        of container: MailContainer, size: Int, limits: ReadLimits, _ body: ([StoredMessage]) throws -> Void
    ) throws

    /// Adds every message of `container` to `digest` as ``forEachBatch(of:size:limits:_:)``
    /// would hand it out (item and size), without reading any message; returns false when the
    /// format cannot list without reading (an mbox, an archive) or an entry would be handed out
    /// with a problem (a link, a FIFO): the container then cannot be taken as unchanged.
    func list(_ container: MailContainer, into digest: inout ListingDigest) throws -> Bool

    /// The identities of the messages `container` holds now, each with the number of files
    /// that have it, from its listing alone (nil when the format cannot tell without reading
    /// them): whether a message missing from where the index had it moved to a folder already
    /// read in this run.
    func identities(in container: MailContainer) throws -> [String: Int]?

    // MARK: Change

    /// Erases and blocks messages of `container` and reads the result back: nothing to
    /// erase may remain, every other message must be as before, and the blocked store must hold
    /// what was blocked. Acts under the container's locks where it has any.
    ///
    /// - Throws: ``PrivctlError`` when the container could not be changed; it is then unchanged
    ///   (``PrivctlError/Code/locked`` when another program holds its lock).
    func apply(_ changes: ChangeSet, to container: MailContainer, options: ChangeOptions) throws -> ChangeReport

    /// The blocked containers that belong to `container`'s store (see ``BlockedStore``).
    func blockedContainers(of container: MailContainer) throws -> [BlockedContainer]

    /// Moves blocked messages of `blocked` (with the SHA-256 of each one's stored bytes) back to
    /// where they came from, byte for byte, and checks that each is back; returns where each one
    /// is now (nil: not moved).
    func unblock(
        _ messages: [StoredMessage], contentHashes: [String], from blocked: BlockedContainer, options: ChangeOptions
    ) throws -> [UnblockResult]

    /// Files beside `container` that are not mail but may still hold what `occurs` finds (a
    /// mail server's caches of erased messages); with `purge`, removes the ones that may be.
    func residue(in container: MailContainer, occurs: ([UInt8]) -> Bool, purge: Bool) -> [String]

    /// Removes what a killed change of `container` left beside it (a private directory of its
    /// unfinished or already renamed copy), for a container that the run does not change:
    /// ``apply(_:to:options:)`` cleans up before it changes anything. Called by erasing runs
    /// only, under the host's run lock.
    func removeLeftovers(of container: MailContainer) throws
}

extension MailStoreFormat {
    public var isBackup: Bool { false }

    public func backupDay(of container: MailContainer) -> CalendarDay? { nil }

    public func blockedContainers(of container: MailContainer) throws -> [BlockedContainer] { [] }

    public func unblock(
        _ messages: [StoredMessage], contentHashes: [String], from blocked: BlockedContainer, options: ChangeOptions
    ) throws -> [UnblockResult] {
        messages.map { _ in UnblockResult(livePath: nil, verified: false) }
    }

    public func residue(in container: MailContainer, occurs: ([UInt8]) -> Bool, purge: Bool) -> [String] { [] }
    public func removeLeftovers(of container: MailContainer) throws {}
    public func list(_ container: MailContainer, into digest: inout ListingDigest) throws -> Bool { false }
    public func identities(in container: MailContainer) throws -> [String: Int]? { nil }

    public func containers(inDirectory directory: Directory, scan: inout StoreScan) -> [MailContainer]? { nil }
}

/// How much privctl reads into memory at once, and what it does with damage.
public struct ReadLimits: Sendable {
    /// The largest message read into memory (default 100 MB): a larger one is reported, not
    /// read (`--max-message-size`).
    public var maxMessageSize: Int
    /// Read on past damage in a container (an archive member with a bad CRC, a truncated
    /// archive) instead of refusing the container: each damaged part is handed out as a
    /// ``StoredMessage`` with a ``PrivctlError/Code/corrupt`` problem, and a change rebuilds the
    /// container without the damaged parts, naming each (`--salvage`; see
    /// ``ChangeOptions/salvage``). Off: a damaged container is one ``PrivctlError/Code/corrupt``
    /// error and is never changed.
    public var salvage: Bool

    public init(maxMessageSize: Int = 100_000_000, salvage: Bool = false) {
        self.maxMessageSize = maxMessageSize
        self.salvage = salvage
    }

    public static let standard = ReadLimits()
}

/// A regular file the locator found, offered to each format in turn.
public struct CandidateFile {
    /// The directory holding it.
    public let directory: Directory
    /// Its name there.
    public let name: String
    /// Its absolute path.
    public var path: String { directory.path(of: name) }
    private let head: () -> [UInt8]?

    public init(directory: Directory, name: String) {
        self.directory = directory
        self.name = name
        self.head = {
            guard let file = try? directory.openFile(name) else { return nil }
            return try? file.readChunk(upTo: 4096)
        }
    }

    /// The first bytes of the file (up to 4 KiB); nil when it cannot be read.
    public func firstBytes() -> [UInt8]? { head() }

    /// What the first bytes look like.
    public func sniff() -> FileSniff { FileSniff(firstBytes()) }
}

/// What a file's first bytes say it is.
public enum FileSniff: Sendable, Equatable {
    /// Starts with a `From ` separator line.
    case mbox
    /// Starts with a header field, or with a blank line (a message without header fields).
    case message
    /// Empty.
    case empty
    /// Something else, or unreadable.
    case other

    public init(_ bytes: [UInt8]?) {
        guard var head = bytes else { self = .other; return }
        if head.isEmpty { self = .empty; return }
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }
        if head.starts(with: Array("From ".utf8)) {
            // "From  : John" is a header field in obsolete syntax, not a separator line.
            let rest = head.dropFirst(4).prefix(while: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            if head.dropFirst(4 + rest.count).first != UInt8(ascii: ":") { self = .mbox; return }
        }
        // A blank first line: a message without header fields, all body (as Python's email
        // and MUAs read it). Some tools write files that way.
        if head.starts(with: [0x0A]) || head.starts(with: [0x0D, 0x0A]) { self = .message; return }
        // A message starts with a header field: a name of printable characters, then a colon.
        var i = 0
        while i < head.count, head[i] > 32, head[i] < 127, head[i] != UInt8(ascii: ":") { i += 1 }
        self = i > 0 && i < head.count && head[i] == UInt8(ascii: ":") ? .message : .other
    }
}
