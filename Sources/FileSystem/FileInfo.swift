#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// What `stat` says about a file, without following a symbolic link.
public struct FileInfo: Sendable, Equatable {
    /// The kinds of file a directory can hold.
    public enum Kind: String, Sendable, Equatable {
        case regular
        case directory
        case symbolicLink = "symbolic link"
        case fifo = "FIFO"
        case socket
        case characterDevice = "character device"
        case blockDevice = "block device"
        case unknown
        /// A directory entry whose name is not valid UTF-8: privctl names files by `String`, so
        /// it cannot open it (a lossy name could open another file); it is reported, never
        /// opened. Only ``Directory/forEachEntry(_:)`` reports this kind.
        case unnamable = "file whose name is not valid UTF-8"
    }

    public var kind: Kind
    /// Size in bytes.
    public var size: Int
    /// Permission bits (`0o7777` part of the mode).
    public var permissions: UInt32
    /// Owner and group ids.
    public var owner: UInt32
    public var group: UInt32
    /// Device and inode: the file's identity on this machine.
    public var device: UInt64
    public var inode: UInt64
    /// Number of hard links.
    public var linkCount: Int
    /// Last modification, seconds since 1970 and nanoseconds.
    public var modifiedSeconds: Int
    public var modifiedNanoseconds: Int
    /// Last access, seconds since 1970 and nanoseconds (kept when a file is rewritten).
    public var accessedSeconds: Int
    public var accessedNanoseconds: Int
    /// Last status change (ctime), seconds since 1970 and nanoseconds: set by the kernel on
    /// every change of the content or the inode, and unlike the modification time no program
    /// can set it back.
    public var changedSeconds: Int
    public var changedNanoseconds: Int

    init(_ raw: stat) {
        switch raw.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        case S_IFCHR: kind = .characterDevice
        case S_IFBLK: kind = .blockDevice
        default: kind = .unknown
        }
        size = Int(raw.st_size)
        permissions = UInt32(raw.st_mode & 0o7777)
        owner = UInt32(raw.st_uid)
        group = UInt32(raw.st_gid)
        device = UInt64(raw.st_dev)
        inode = UInt64(raw.st_ino)
        linkCount = Int(raw.st_nlink)
        modifiedSeconds = Int(raw.st_mtim.tv_sec)
        modifiedNanoseconds = Int(raw.st_mtim.tv_nsec)
        accessedSeconds = Int(raw.st_atim.tv_sec)
        accessedNanoseconds = Int(raw.st_atim.tv_nsec)
        changedSeconds = Int(raw.st_ctim.tv_sec)
        changedNanoseconds = Int(raw.st_ctim.tv_nsec)
    }

    /// The modification time as seconds since 1970, with the fraction.
    public var modified: Double { Double(modifiedSeconds) + Double(modifiedNanoseconds) / 1e9 }

    /// Whether this is the same file (device and inode) as `other`.
    public func isSameFile(as other: FileInfo) -> Bool { device == other.device && inode == other.inode }

    /// Whether the owner is the process's effective user and no one else may read, write or
    /// enter it: what privctl requires of the directories it keeps its own data in.
    public var isPrivateToThisUser: Bool { owner == UInt32(geteuid()) && permissions & 0o077 == 0 }
}
