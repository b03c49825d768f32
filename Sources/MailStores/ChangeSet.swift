import FileSystem
import Foundation

/// One message to erase or block.
public struct MessageChange: Sendable {
    /// What happens to the message.
    public enum Action: Sendable, Equatable {
        /// Removed from the store (overwritten first where it is a file of its own).
        case erase
        /// Moved out of the live store into the ``BlockedStore`` (restricted, kept).
        case block
    }

    /// The message as the store handed it out.
    public var message: StoredMessage
    /// SHA-256 of its stored bytes: how a rewrite finds it again and how the result is checked.
    public var contentHash: String
    public var action: Action

    public init(message: StoredMessage, contentHash: String, action: Action) {
        self.message = message
        self.contentHash = contentHash
        self.action = action
    }
}

/// What to change in one container.
public struct ChangeSet: Sendable {
    public var changes: [MessageChange]
    /// Messages that were found but stay on purpose (a legal hold): what they hold is not
    /// residue.
    public var kept: [StoredMessage]
    /// Also remove the parts that are server logs, not mail (an archive's `*.log` members past
    /// their time in backups).
    public var removeServerLogs: Bool

    public init(_ changes: [MessageChange], kept: [StoredMessage] = [], removeServerLogs: Bool = false) {
        self.changes = changes
        self.kept = kept
        self.removeServerLogs = removeServerLogs
    }
}

/// How changes are made.
public struct ChangeOptions: Sendable {
    /// Seconds to wait for a mailbox locked by another program before giving up on it.
    public var lockTimeout: TimeInterval
    public var limits: ReadLimits
    /// Tells whether bytes still hold what was erased (the subject's addresses): a rewritten
    /// container is searched with it before it replaces the original.
    public var residueCheck: (@Sendable ([UInt8]) -> Bool)?

    /// Rebuild a damaged container without its damaged parts instead of leaving it untouched,
    /// naming each in ``ChangeReport/problems`` (`--salvage`). The same switch as
    /// ``ReadLimits/salvage``, which the read before the change needs too.
    public var salvage: Bool {
        get { limits.salvage }
        set { limits.salvage = newValue }
    }

    public init(
        lockTimeout: TimeInterval = 30, limits: ReadLimits = .standard, residueCheck: (@Sendable ([UInt8]) -> Bool)? = nil,
        salvage: Bool? = nil
    ) {
        self.lockTimeout = lockTimeout
        self.limits = limits
        self.residueCheck = residueCheck
        if let salvage { self.limits.salvage = salvage }
    }
}

/// What ``MailStoreFormat/apply(_:to:options:)`` did.
public struct ChangeReport: Sendable {
    /// The result for one ``MessageChange``, in the order of the change set.
    public struct Applied: Sendable {
        /// Whether the change was made (false: the message was gone or had changed, nothing done).
        public var done: Bool
        /// For a blocked message: where it is kept now.
        public var blockedAt: String?
        /// Facts for the event (`overwritten`, `hardLinksRemoved`, `mboxSizeBefore`, …).
        public var details: [String: String]
        /// Why the change was not made (when `done` is false).
        public var problem: PrivctlError?

        public init(done: Bool, blockedAt: String? = nil, details: [String: String] = [:], problem: PrivctlError? = nil) {
            self.done = done
            self.blockedAt = blockedAt
            self.details = details
            self.problem = problem
        }
    }

    /// A part removed beside the messages (``ChangeSet/removeServerLogs``).
    public struct RemovedPart: Sendable {
        public var name: String
        public var contentHash: String
        public var size: Int

        public init(name: String, contentHash: String, size: Int) {
            self.name = name
            self.contentHash = contentHash
            self.size = size
        }
    }

    /// A container rewritten as a whole (an mbox, an archive).
    public struct Rewrite: Sendable {
        public var oldSize: Int
        public var newSize: Int
        /// Parts left out and parts from which bytes were cut (archive members).
        public var partsRemoved: [String]
        public var partsCut: [String]
        /// Uncompressed bytes removed.
        public var bytesRemoved: Int
        /// The rewritten file as it was committed (from its open descriptor, after the rename).
        public var committed: FileInfo?

        public init(oldSize: Int, newSize: Int, partsRemoved: [String], partsCut: [String], bytesRemoved: Int) {
            self.oldSize = oldSize
            self.newSize = newSize
            self.partsRemoved = partsRemoved
            self.partsCut = partsCut
            self.bytesRemoved = bytesRemoved
        }
    }

    public var applied: [Applied]
    /// One line per check made after the change, passed or not.
    public var checks: [String]
    /// True when every check passed.
    public var passed: Bool
    /// What the change could not reach: copies outside the store, say. Listed in the receipt
    /// and on stderr; the run does not pass.
    public var problems: [PrivctlError]
    /// For a container rewritten as a whole: what the rewrite did.
    public var rewrite: Rewrite?
    public var removedParts: [RemovedPart] = []

    /// The results and the checks after them; a rewrite sets ``rewrite`` and ``removedParts``.
    public init(applied: [Applied], checks: [String] = [], passed: Bool = true, problems: [PrivctlError] = []) {
        self.applied = applied
        self.checks = checks
        self.passed = passed
        self.problems = problems
    }
}

/// A blocked container (part of a ``BlockedStore``) and the live store its messages came from.
public struct BlockedContainer: Sendable {
    public var container: MailContainer
    /// The Maildir top directory, mbox or message file the messages were blocked from.
    public var liveStore: String

    public init(container: MailContainer, liveStore: String) {
        self.container = container
        self.liveStore = liveStore
    }
}

/// Where an unblocked message is now.
public struct UnblockResult: Sendable {
    /// Its live path again (nil: not moved back).
    public var livePath: String?
    /// Whether it was read back there, byte for byte.
    public var verified: Bool

    public init(livePath: String?, verified: Bool) {
        self.livePath = livePath
        self.verified = verified
    }
}

/// What the locator found under the paths a user named: the containers, and every place it
/// could not look at (links it does not follow, FIFOs, unreadable directories), each with the
/// reason.
public struct StoreScan: Sendable {
    public var containers: [MailContainer] = []
    public var problems: [PrivctlError] = []

    public init(containers: [MailContainer] = [], problems: [PrivctlError] = []) {
        self.containers = containers
        self.problems = problems
    }

    /// Notes a place that could not be looked at.
    public mutating func report(_ problem: PrivctlError) { problems.append(problem) }
}
