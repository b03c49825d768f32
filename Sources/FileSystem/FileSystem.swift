#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// Entry points of the file-system layer for code that starts from a path.
///
/// privctl's rule for links: a path a user names (on the command line, in a configuration) is
/// resolved once with ``resolveNamedPath(_:)``, following the links in it, because the user chose
/// it. From then on nothing is followed: ``Directory/open(_:)`` and ``openFile(atPath:access:)``
/// open every component with `O_NOFOLLOW`, and a link met while walking a store is reported,
/// never entered.
public enum FileSystem {
    /// The canonical absolute path of a path a user named: relative paths made absolute,
    /// `.`/`..` and symbolic links resolved (`realpath`).
    public static func resolveNamedPath(_ path: String) throws(PrivctlError) -> String {
        guard let resolved = realpath(path, nil) else {
            throw PrivctlError(errno: errno, path: path, "cannot resolve")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Opens the directory holding the file a user named, following the links on the way there
    /// (the user chose the path) but not the last component: the caller looks at that one
    /// through the directory (``Directory/info(_:)``, ``Directory/openFile(_:access:)``), so a
    /// link named as the file itself is seen as a link, never followed. A relative path is taken
    /// from the working directory; trailing slashes are dropped. For `/` the name is `.`.
    public static func openNamedParent(_ path: String) throws(PrivctlError) -> (directory: Directory, name: String) {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard !trimmed.isEmpty else { throw PrivctlError(.invalidInput, path: path, problem: "an empty path") }
        if trimmed == "/" { return (try Directory.open("/"), ".") }
        let slash = trimmed.lastIndex(of: "/")
        let parent = slash.map { $0 == trimmed.startIndex ? "/" : String(trimmed[..<$0]) } ?? "."
        let name = slash.map { String(trimmed[trimmed.index(after: $0)...]) } ?? String(trimmed)
        guard name != ".", name != ".." else {
            return (try Directory.open(resolveNamedPath(String(trimmed))), ".")
        }
        return (try Directory.open(resolveNamedPath(parent)), name)
    }

    /// Whether the absolute path `path` lies below the directory `directory` (not equal to it),
    /// by their text: both resolved already.
    public static func isBelow(_ path: String, _ directory: String) -> Bool {
        path.hasPrefix(directory == "/" ? "/" : directory + "/") && path != directory
    }

    /// The directory part and the last component of an absolute path.
    public static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = slash == path.startIndex ? "/" : String(path[..<slash])
        return (directory, String(path[path.index(after: slash)...]))
    }

    /// Opens the regular file at an absolute path, following no link on the way.
    public static func openFile(atPath path: String, access: Directory.Access = .read) throws(PrivctlError) -> OpenFile {
        let (directory, name) = split(path)
        return try Directory.open(directory).openFile(name, access: access)
    }

    /// What is at an absolute path, following no link on the way; nil when nothing is.
    public static func info(atPath path: String) throws(PrivctlError) -> FileInfo? {
        if path == "/" { return try Directory.open("/").info() }
        let (directory, name) = split(path)
        do {
            return try Directory.open(directory).info(name)
        } catch where error.code == .notFound {
            return nil
        }
    }

    /// Opens the directory at a path the user named (resolved once, its links followed),
    /// creating it and its missing parents with mode 0700 first: where privctl keeps its own
    /// files (the ledger, the key, the spool).
    public static func openOwnDirectory(_ path: String) throws(PrivctlError) -> Directory {
        var missing: [String] = []
        var existing = path
        while (try? info(atPathFollowingLinks: existing)) == nil, existing != "/", !existing.isEmpty {
            let (parent, name) = split(existing)
            missing.append(name)
            existing = parent
        }
        var directory = try Directory.open(resolveNamedPath(existing.isEmpty ? "." : existing))
        for name in missing.reversed() {
            try directory.makeDirectory(name, permissions: 0o700)
            directory = try directory.openDirectory(name)
        }
        return directory
    }

    /// What is at a path, following links (for paths a user named); nil when nothing is.
    static func info(atPathFollowingLinks path: String) throws(PrivctlError) -> FileInfo? {
        var raw = stat()
        let result = try SystemCall.run(expecting: [ENOENT, ENOTDIR], path, "cannot read its attributes") { stat(path, &raw) }
        if case .failure = result { return nil }
        return FileInfo(raw)
    }

    /// Raises the soft limit of open descriptors to the hard limit: privctl keeps a folder's
    /// directories open while it works on their messages.
    public static func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(RLIMIT_NOFILE_VALUE, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = min(limit.rlim_max, 65536)
        _ = setrlimit(RLIMIT_NOFILE_VALUE, &limit)
    }

    #if canImport(Glibc)
        private static let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
        private static let RLIMIT_NOFILE_VALUE = RLIMIT_NOFILE
    #endif
}
