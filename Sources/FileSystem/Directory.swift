#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// An open directory: every name inside it is opened, created, renamed and removed relative to
/// its descriptor, without following symbolic links.
///
/// A path is resolved once, when the directory is opened; a link planted afterwards on that path
/// cannot redirect anything done through the descriptor. Names passed to the methods are single
/// components (no `/`, not `.` or `..`).
public final class Directory: @unchecked Sendable {
    /// The descriptor (`O_DIRECTORY`), owned by this object.
    public let descriptor: Int32
    /// The absolute path it was opened at, for messages and for building child paths.
    public let path: String

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { _ = systemClose(descriptor) }

    /// Opens the directory at an absolute path without following any symbolic link on the way:
    /// each component is opened relative to the previous one with `O_NOFOLLOW`. A link anywhere
    /// on the path is ``PrivctlError/Code/symbolicLink``.
    ///
    /// Resolve paths a user names with ``FileSystem/resolveNamedPath(_:)`` first (links named on
    /// the command line are followed once, there).
    public static func open(_ path: String) throws(PrivctlError) -> Directory {
        guard path.hasPrefix("/") else {
            throw PrivctlError(.invalidInput, path: path, problem: "not an absolute path")
        }
        var current = try Directory(
            descriptor: SystemCall.run(path, "cannot open the root directory") { systemOpen("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC) },
            path: "/")
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            current = try current.openDirectory(String(component))
        }
        return current
    }

    /// The path of `name` inside this directory.
    public func path(of name: String) -> String { path == "/" ? "/" + name : path + "/" + name }

    private func check(_ name: String) throws(PrivctlError) {
        guard !name.isEmpty, name != ".", name != "..", !name.utf8.contains(UInt8(ascii: "/")) else {
            throw PrivctlError(.invalidInput, path: path(of: name), problem: "not a single file name")
        }
    }

    // MARK: - Looking

    /// What is at `name`, not following a link; nil when nothing is.
    public func info(_ name: String) throws(PrivctlError) -> FileInfo? {
        try check(name)
        var raw = stat()
        let result = try SystemCall.run(expecting: [ENOENT], path(of: name), "cannot read its attributes") {
            fstatat(descriptor, name, &raw, AT_SYMLINK_NOFOLLOW)
        }
        if case .failure = result { return nil }
        return FileInfo(raw)
    }

    /// What `fstat` says about this directory itself.
    public func info() throws(PrivctlError) -> FileInfo {
        var raw = stat()
        _ = try SystemCall.run(path, "cannot read its attributes") { fstat(descriptor, &raw) }
        return FileInfo(raw)
    }

    /// One entry of a directory listing.
    public struct Entry: Sendable {
        /// The name (a single component).
        public var name: String
        /// The kind the directory entry reports; nil when the file system does not say (then
        /// call ``Directory/info(_:)``). A link is reported as a link, never followed.
        public var kind: FileInfo.Kind?
    }

    /// Calls `body` with each entry (without `.` and `..`), streaming the listing.
    public func forEachEntry(_ body: (Entry) throws -> Void) throws {
        let duplicate = try SystemCall.run(path, "cannot list") { fcntl(descriptor, F_DUPFD_CLOEXEC, 0) }
        guard let stream = fdopendir(duplicate) else {
            let number = errno
            _ = systemClose(duplicate)
            throw PrivctlError(errno: number, path: path, "cannot list")
        }
        defer { closedir(stream) }
        rewinddir(stream)
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw PrivctlError(errno: errno, path: path, "cannot list") }
                break
            }
            let decoded = withUnsafeBytes(of: entry.pointee.d_name) { raw -> (String, Bool) in
                let bytes = raw.prefix(while: { $0 != 0 })
                if let exact = String(validating: bytes, as: UTF8.self) { return (exact, true) }
                return (String(decoding: bytes, as: UTF8.self), false)
            }
            let name = decoded.0
            if name == "." || name == ".." { continue }
            var kind: FileInfo.Kind?
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .regular
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symbolicLink
            case Int32(DT_FIFO): kind = .fifo
            case Int32(DT_SOCK): kind = .socket
            case Int32(DT_CHR): kind = .characterDevice
            case Int32(DT_BLK): kind = .blockDevice
            default: kind = nil
            }
            // Its name as a String is not its name: never looked up (see `.unnamable`).
            if !decoded.1 { kind = .unnamable }
            try body(Entry(name: name, kind: kind))
        }
    }

    /// Every entry, sorted by name.
    public func entries() throws(PrivctlError) -> [Entry] {
        var result: [Entry] = []
        do {
            try forEachEntry { result.append($0) }
        } catch let error as PrivctlError {
            throw error
        } catch {
            throw PrivctlError(.failed, path: path, problem: "cannot list: \(error)")
        }
        return result.sorted { $0.name < $1.name }
    }

    // MARK: - Opening

    /// Opens the directory `name` inside this one; a link there is ``PrivctlError/Code/symbolicLink``.
    public func openDirectory(_ name: String) throws(PrivctlError) -> Directory {
        try check(name)
        let fd = try SystemCall.run(expecting: [ELOOP, ENOTDIR], path(of: name), "cannot open the directory") {
            openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        }
        switch fd {
        case .success(let fd): return Directory(descriptor: fd, path: path(of: name))
        case .failure(let number):
            throw try describeRefusal(name, number.rawValue, expecting: .directory)
        }
    }

    /// How a file is opened.
    public enum Access: Sendable {
        case read
        case readWrite
        case write
    }

    /// Opens the regular file `name`. A link, FIFO, socket or device there is refused (and a
    /// FIFO never makes privctl wait: it is opened non-blocking and closed at once).
    public func openFile(_ name: String, access: Access = .read) throws(PrivctlError) -> OpenFile {
        try check(name)
        var flags = O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY
        switch access {
        case .read: flags |= O_RDONLY
        case .readWrite: flags |= O_RDWR
        case .write: flags |= O_WRONLY
        }
        let result = try SystemCall.run(expecting: [ELOOP, ENXIO], path(of: name), "cannot open") {
            openat(descriptor, name, flags)
        }
        let fd: Int32
        switch result {
        case .success(let opened): fd = opened
        case .failure(let number): throw try describeRefusal(name, number.rawValue, expecting: .regular)
        }
        let file = OpenFile(descriptor: fd, path: path(of: name))
        let info = try file.info()
        guard info.kind == .regular else {
            throw PrivctlError(.notRegularFile, path: file.path, problem: "is a \(info.kind.rawValue), not a regular file; not opened")
        }
        // O_NONBLOCK stays: it has no effect on a regular file, and only regular files get here.
        return file
    }

    /// Creates the file `name`, which must not exist (`O_EXCL`: never a file or link that is
    /// already there), with `permissions`.
    public func createFile(_ name: String, permissions: UInt32 = 0o600) throws(PrivctlError) -> OpenFile {
        try check(name)
        let fd = try SystemCall.run(path(of: name), "cannot create") {
            openat(descriptor, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(permissions))
        }
        return OpenFile(descriptor: fd, path: path(of: name))
    }

    /// Creates a new file with a name no one can guess (`PREFIX` + random + `SUFFIX`), never
    /// reusing a name that exists.
    public func createUniqueFile(prefix: String, suffix: String, permissions: UInt32 = 0o600) throws(PrivctlError) -> (name: String, file: OpenFile) {
        for _ in 0..<100 {
            let name = prefix + Self.randomToken() + suffix
            do {
                return (name, try createFile(name, permissions: permissions))
            } catch where error.code == .alreadyExists {
                continue
            }
        }
        throw PrivctlError(.alreadyExists, path: path(of: prefix + "*" + suffix), problem: "cannot find a free name for a new file")
    }

    /// Twelve random hex digits.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() & 0xFFFF_FFFF_FFFF
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 12 - digits.count) + digits
    }

    /// Creates the directory `name` with `permissions`; false when something is there already
    /// (the caller then checks what it is).
    @discardableResult
    public func makeDirectory(_ name: String, permissions: UInt32 = 0o700) throws(PrivctlError) -> Bool {
        try check(name)
        let result = try SystemCall.run(expecting: [EEXIST], path(of: name), "cannot create the directory") {
            mkdirat(descriptor, name, mode_t(permissions))
        }
        if case .failure = result { return false }
        return true
    }

    // MARK: - Changing

    /// Renames `name` to `newName` in `target` (this directory when nil), replacing what is
    /// there: for committing a finished temporary file over the original.
    public func rename(_ name: String, to newName: String, in target: Directory? = nil) throws(PrivctlError) {
        try check(name)
        try check(newName)
        let destination = target ?? self
        _ = try SystemCall.run(path(of: name), "cannot rename to \(destination.path(of: newName))") {
            renameat(descriptor, name, destination.descriptor, newName)
        }
    }

    /// Moves the file `name` to `newName` in `target` without ever replacing anything there:
    /// ``PrivctlError/Code/alreadyExists`` when the name is taken (by another file). The file
    /// is linked at the new name before the old name goes, so a crash in between leaves it in
    /// both places, never in neither; a rerun finds the same file at the target and finishes.
    public func move(_ name: String, to newName: String, in target: Directory) throws(PrivctlError) {
        try check(name)
        try check(newName)
        let result = try SystemCall.run(expecting: [EEXIST], path(of: name), "cannot move to \(target.path(of: newName))") {
            linkat(descriptor, name, target.descriptor, newName, 0)
        }
        if case .failure = result {
            // Only the same file (left by a crash between link and unlink) may be there.
            guard let here = try info(name), let there = try target.info(newName), here.isSameFile(as: there) else {
                throw PrivctlError(.alreadyExists, path: target.path(of: newName), problem: "already exists; not overwritten")
            }
        }
        try unlink(name)
    }

    /// Removes the file (or link) `name`; true when it was there.
    @discardableResult
    public func unlink(_ name: String) throws(PrivctlError) -> Bool {
        try check(name)
        let result = try SystemCall.run(expecting: [ENOENT], path(of: name), "cannot remove") { unlinkat(descriptor, name, 0) }
        if case .failure = result { return false }
        return true
    }

    /// Removes the empty directory `name`; true when it was there.
    @discardableResult
    public func removeDirectory(_ name: String) throws(PrivctlError) -> Bool {
        try check(name)
        let result = try SystemCall.run(expecting: [ENOENT], path(of: name), "cannot remove the directory") {
            unlinkat(descriptor, name, AT_REMOVEDIR)
        }
        if case .failure = result { return false }
        return true
    }

    /// Gives the directory to `owner` and `group`; only root can, and only root needs to (a
    /// directory privctl creates inside a user's mailbox belongs to that user).
    public func setOwner(_ owner: UInt32, group: UInt32) throws(PrivctlError) {
        guard geteuid() == 0 else { return }
        _ = try SystemCall.run(path, "cannot set the owner") { fchown(descriptor, uid_t(owner), gid_t(group)) }
    }

    /// Flushes the directory, so renames, creations and removals in it are on disk.
    public func sync() throws(PrivctlError) {
        _ = try SystemCall.run(path, "cannot flush the directory to disk") { fsync(descriptor) }
    }

    // MARK: - Errors

    /// The error for an open refused with `ELOOP`/`ENOTDIR`/`ENXIO`: says what is there.
    private func describeRefusal(_ name: String, _ number: Int32, expecting: FileInfo.Kind) throws(PrivctlError) -> PrivctlError {
        let full = path(of: name)
        if let found = try? info(name) {
            switch found.kind {
            case .symbolicLink:
                return PrivctlError(.symbolicLink, path: full, problem: "is a symbolic link; not followed")
            case .directory where expecting == .regular:
                return PrivctlError(.notRegularFile, path: full, problem: "is a directory, not a regular file")
            case .directory:
                break
            default:
                if expecting == .directory {
                    return PrivctlError(.notDirectory, path: full, problem: "is a \(found.kind.rawValue), not a directory")
                }
                return PrivctlError(.notRegularFile, path: full, problem: "is a \(found.kind.rawValue), not a regular file; not opened")
            }
        }
        return PrivctlError(errno: number, path: full, "cannot open")
    }
}
