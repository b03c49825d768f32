#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// An open regular file: reads, writes and flushes with `EINTR` and errors handled once. Closed
/// when released (or by ``close()``).
///
/// Made only by ``Directory`` (``Directory/openFile(_:access:)``, ``Directory/createFile(_:permissions:)``)
/// or ``FileSystem/openFile(atPath:access:)``, which never follow a symbolic link and never open
/// anything but a regular file: a FIFO cannot make privctl wait, a device cannot be read.
public final class OpenFile: @unchecked Sendable {
    /// The descriptor. Valid until ``close()``; owned by this object.
    public let descriptor: Int32
    /// The path, for messages.
    public let path: String
    private var isOpen = true

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { if isOpen { _ = systemClose(descriptor) } }

    /// Closes the descriptor now (an fcntl lock held through it ends).
    public func close() {
        guard isOpen else { return }
        isOpen = false
        _ = systemClose(descriptor)
    }

    /// What `fstat` says about the open file.
    public func info() throws(PrivctlError) -> FileInfo {
        var raw = stat()
        _ = try SystemCall.run(path, "cannot read its attributes") { fstat(descriptor, &raw) }
        return FileInfo(raw)
    }

    // MARK: - Reading

    /// Reads up to `buffer.count` bytes at the current position; 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(PrivctlError) -> Int {
        guard buffer.count > 0 else { return 0 }
        return try SystemCall.run(path, "cannot read") { systemRead(descriptor, buffer.baseAddress, buffer.count) }
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(PrivctlError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = try SystemCall.run(path, "cannot read") {
                pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Exactly `count` bytes at `offset`; a shorter file means it changed while privctl read it.
    public func read(at offset: Int, count: Int) throws(PrivctlError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = try bytes.withUnsafeMutableBytes { raw in Result { () throws(PrivctlError) in try read(at: offset, into: raw) } }.get()
        guard n == count else {
            throw PrivctlError(.changedWhileRead, path: path, problem: "the file is shorter than expected; it changed while privctl read it")
        }
        return bytes
    }

    /// The next chunk of at most `count` bytes from the current position; empty at the end.
    public func readChunk(upTo count: Int) throws(PrivctlError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = try bytes.withUnsafeMutableBytes { raw in Result { () throws(PrivctlError) in try read(into: raw) } }.get()
        if n < count { bytes.removeSubrange(n...) }
        return bytes
    }

    /// The whole file from the current position. A file larger than `limit` bytes is not read:
    /// ``PrivctlError/Code/tooLarge``.
    public func readAll(limit: Int = .max) throws(PrivctlError) -> [UInt8] {
        let size = try info().size
        if size > limit {
            throw PrivctlError(.tooLarge, path: path, problem: "\(size) bytes, more than the limit of \(limit) bytes; not read")
        }
        // One byte more than the size, so that the end shows in the first reads; the buffer is
        // not zeroed first (every byte kept was read), and grows only for a file that grows.
        var capacity = max(size, 0) + 1
        var bytes: [UInt8] = []
        while true {
            var failure: PrivctlError?
            var atEnd = false
            let previous = bytes
            bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                initialized = buffer.initialize(fromContentsOf: previous)
                while initialized < capacity {
                    let n: Int
                    do throws(PrivctlError) {
                        n = try read(into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[initialized...])))
                    } catch {
                        failure = error
                        return
                    }
                    if n == 0 {
                        atEnd = true
                        return
                    }
                    initialized += n
                }
            }
            if let failure { throw failure }
            if atEnd { return bytes }
            guard capacity <= limit else {
                throw PrivctlError(.tooLarge, path: path, problem: "grew past the limit of \(limit) bytes while being read; not read")
            }
            capacity *= 2
        }
    }

    // MARK: - Writing

    /// Writes all of `bytes` at the current position.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(PrivctlError) {
        var offset = 0
        while offset < bytes.count {
            offset += try SystemCall.run(path, "cannot write") {
                systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            }
        }
    }

    /// Writes all of `bytes` at the current position.
    public func write(_ bytes: [UInt8]) throws(PrivctlError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(PrivctlError) in try write(raw) } }.get()
    }

    /// Moves the position to `offset` from the start.
    public func seek(to offset: Int) throws(PrivctlError) {
        _ = try SystemCall.run(path, "cannot seek") { lseek(descriptor, off_t(offset), SEEK_SET) }
    }

    /// Moves the position to the end and returns it.
    @discardableResult
    public func seekToEnd() throws(PrivctlError) -> Int {
        Int(try SystemCall.run(path, "cannot seek") { lseek(descriptor, 0, SEEK_END) })
    }

    /// Cuts the file to `size` bytes.
    public func truncate(to size: Int) throws(PrivctlError) {
        _ = try SystemCall.run(path, "cannot truncate") { ftruncate(descriptor, off_t(size)) }
    }

    /// Flushes data and metadata to the disk.
    public func sync() throws(PrivctlError) {
        _ = try SystemCall.run(path, "cannot flush to disk") { fsync(descriptor) }
    }

    /// Sets owner and group (only root may give a file away; others get an error).
    public func setOwner(_ owner: UInt32, group: UInt32) throws(PrivctlError) {
        _ = try SystemCall.run(path, "cannot set the owner") { fchown(descriptor, uid_t(owner), gid_t(group)) }
    }

    /// Sets the permission bits.
    public func setPermissions(_ permissions: UInt32) throws(PrivctlError) {
        _ = try SystemCall.run(path, "cannot set the mode") { fchmod(descriptor, mode_t(permissions)) }
    }

    /// Sets access and modification times (seconds and nanoseconds since 1970).
    public func setTimes(accessed: (Int, Int), modified: (Int, Int)) throws(PrivctlError) {
        var times = [
            timespec(tv_sec: time_t(accessed.0), tv_nsec: Int(accessed.1)),
            timespec(tv_sec: time_t(modified.0), tv_nsec: Int(modified.1)),
        ]
        _ = try SystemCall.run(path, "cannot set its times") { futimens(descriptor, &times) }
    }

    /// Gives the file the owner, group and mode of `info` (the owner only when running as root).
    public func copyAttributes(from info: FileInfo) throws(PrivctlError) {
        if geteuid() == 0 { try setOwner(info.owner, group: info.group) }
        try setPermissions(info.permissions)
    }

    // MARK: - Locks

    /// Tries to take an fcntl write lock on the whole file; false when another process holds a
    /// conflicting one.
    public func tryWriteLock() throws(PrivctlError) -> Bool {
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        while true {
            if fcntl(descriptor, F_SETLK, &lock) == 0 { return true }
            let number = errno
            if number == EINTR { continue }
            if number == EACCES || number == EAGAIN { return false }
            throw PrivctlError(errno: number, path: path, "cannot lock")
        }
    }
}

extension OpenFile {
    /// Tries to take a BSD flock on the file (exclusive); false when another process holds one.
    /// On Linux flock and fcntl locks are independent: programs that use only flock (procmail,
    /// some MUAs) see only this one.
    public func tryFlock() throws(PrivctlError) -> Bool {
        while true {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
            let number = errno
            if number == EINTR { continue }
            if number == EWOULDBLOCK { return false }
            throw PrivctlError(errno: number, path: path, "cannot lock")
        }
    }
}

// The C functions under names that do not clash with this type's methods.
@inline(__always) func systemClose(_ fd: Int32) -> Int32 { close(fd) }
@inline(__always) func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
@inline(__always) func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }
@inline(__always) func systemOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
