import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The file-system steps that make a change survive a crash: write, fsync, rename, fsync the
/// directory. Each throws ``ErasureError`` naming the file.
public enum DurableFile {
    /// Writes all of `bytes` to `fd`.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw ErasureError(path: path, problem: "cannot write: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { try writeAll(fd, $0, path: path) }
    }

    /// Reads `count` bytes at `offset`.
    static func read(_ fd: Int32, offset: Int, count: Int, path: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ErasureError(path: path, problem: "cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { throw ErasureError(path: path, problem: "the file is shorter than expected; it changed while privctl read it") }
            done += n
        }
        return bytes
    }

    static func sync(_ fd: Int32, path: String) throws {
        guard fsync(fd) == 0 else {
            throw ErasureError(path: path, problem: "cannot flush to disk: \(String(cString: strerror(errno)))")
        }
    }

    /// fsyncs a directory, so a rename or unlink in it is on disk.
    public static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ErasureError(path: path, problem: "cannot open the directory: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try sync(fd, path: path)
    }

    static func rename(_ from: String, _ to: String) throws {
        guard Glibc.rename(from, to) == 0 else {
            throw ErasureError(path: to, problem: "cannot replace it with \(from): \(String(cString: strerror(errno)))")
        }
    }

    /// Creates `path` and its parents with mode 0700 (for the blocked store).
    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ErasureError(path: path, problem: "cannot create the directory: \(error.localizedDescription)")
        }
    }

    /// The directory part of a path.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
