#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// Why privctl could not do something with a file, a mailbox, an archive or a log: the one error
/// type the lower modules throw.
///
/// Callers decide on ``code``, never on the text: `problem` is one sentence for a person (it
/// goes to stderr and into receipts), and may change wording between releases.
public struct PrivctlError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is: what a caller may act on.
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// The path does not exist.
        case notFound
        /// The operating system refused access (permissions).
        case permissionDenied
        /// A symbolic link where privctl does not follow one (a link met while walking a store,
        /// or planted on a path privctl resolved earlier).
        case symbolicLink
        /// Not a regular file where one was expected: a FIFO, socket or device (never opened),
        /// or a directory.
        case notRegularFile
        /// Not a directory where one was expected.
        case notDirectory
        /// A file privctl was about to create exists already (never overwritten).
        case alreadyExists
        /// The disk (or a quota) is full.
        case noSpace
        /// A mailbox is locked by another program; privctl waited and gave up, nothing changed.
        case locked
        /// The file is not mail privctl can read (not a Maildir, mbox or message).
        case notMail
        /// The file changed while privctl read it.
        case changedWhileRead
        /// The file could not be read completely (an I/O error, a truncated file).
        case unreadable
        /// An archive or compressed stream is damaged (bad checksum, truncated, garbage).
        case corrupt
        /// Larger than the limit privctl reads into memory (see `--max-message-size`).
        case tooLarge
        /// A directory privctl keeps its own data in (the blocked store) belongs to someone
        /// else or can be read by others: refused.
        case notOwnStore
        /// A path lies outside the store it was supposed to belong to.
        case outsideStore
        /// A copy of the content exists outside the searched store (a hard link elsewhere).
        case copyOutsideStore
        /// The input (an option, a policy, a name) is not valid.
        case invalidInput
        /// The ledger was written with another pseudonym key (every host needs the same one).
        case keyMismatch
        /// Something privctl cannot do (an archive format libarchive cannot write, say).
        case unsupported
        /// Any other failure of the operating system or a library.
        case failed
    }

    /// What kind of failure this is.
    public var code: Code
    /// The file, directory, mailbox or archive concerned ("" when none).
    public var path: String
    /// One sentence on what went wrong, for a person.
    public var problem: String

    public init(_ code: Code, path: String, problem: String) {
        self.code = code
        self.path = path
        self.problem = problem
    }

    /// The error for a failed system call: `operation` says what privctl was doing ("cannot
    /// open", "cannot rename to /x"), the error number the rest.
    public init(errno number: Int32, path: String, _ operation: String) {
        let reason = String(cString: strerror(number))
        self.init(Self.code(forErrno: number), path: path, problem: "\(operation): \(reason)")
    }

    public var description: String { path.isEmpty ? problem : "\(path): \(problem)" }

    /// The code that fits an error number.
    public static func code(forErrno number: Int32) -> Code {
        switch number {
        case ENOENT: return .notFound
        case EACCES, EPERM: return .permissionDenied
        case ELOOP: return .symbolicLink
        case ENOTDIR: return .notDirectory
        case EISDIR, ENXIO: return .notRegularFile
        case EEXIST: return .alreadyExists
        case ENOSPC, EDQUOT: return .noSpace
        case EIO: return .unreadable
        default: return .failed
        }
    }
}
