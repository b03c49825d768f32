#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What anonymizing one log file did (or, in a dry run, would do).
public struct LogAnonymizationReport: Sendable, Equatable {
    /// The log file read.
    public var path: String
    /// Where the anonymized log went, when not back to `path`: a file, or `-` for stdout.
    public var output: String?
    /// How the log is stored.
    public var compression: LogCompression
    /// Lines read (a last line without a line feed counts).
    public var lines = 0
    /// Lines in which something was replaced.
    public var changedLines = 0
    /// Mail addresses replaced.
    public var addresses = 0
    /// Login names (without an @) replaced.
    public var logins = 0
    /// IP addresses truncated.
    public var ips = 0
    /// Lines left as they are because they are not text (NUL bytes) or too long; never dropped.
    public var unparsedLines = 0
    /// The first of those, counting from 1.
    public var firstUnparsedLine: Int?
    /// Whether a file was written: false in a dry run, and when nothing needed changing in place.
    public var written = false

    public init(path: String, output: String? = nil, compression: LogCompression = .none) {
        self.path = path
        self.output = output
        self.compression = compression
    }
}

/// Anonymizes log files: line by line with bounded memory, in place and atomically, or into
/// another file, or only counting (dry run).
///
/// In place, the anonymized log is written to a temporary file beside the original (same owner,
/// mode and modification time, so `privctl logs expire` still sees its age), gzip when the
/// original is gzip, flushed to disk, then read back and compared with the original line by line:
/// the same number of lines, each unchanged or changed only in address and IP spans (each span
/// checked again with `inet_pton`). Only then does it replace the original (rename, then fsync of
/// the directory). A failure at any step leaves the original as it was.
public enum LogFileAnonymizer {
    /// Where the anonymized bytes go.
    public enum Destination: Sendable, Equatable {
        /// Replace the file itself.
        case inPlace
        /// Write another file (gzip when its name ends in `.gz`), atomically.
        case file(String)
        /// Write plain text to standard output.
        case standardOutput
        /// Write nothing; count what would change.
        case dryRun
    }

    /// Anonymizes one file. `progress` is called now and then with the bytes of the file read.
    public static func anonymize(
        path: String, to destination: Destination, options: AnonymizationOptions,
        progress: ((Int) -> Void)? = nil
    ) throws(LogError) -> LogAnonymizationReport {
        var before = stat()
        guard lstat(path, &before) == 0 else {
            throw LogError(path: path, problem: errno == ENOENT ? "no such file" : "cannot read: \(String(cString: strerror(errno)))")
        }
        if (before.st_mode & S_IFMT) == S_IFLNK {
            throw LogError(path: path, problem: "is a symbolic link; name the log file itself")
        }
        guard (before.st_mode & S_IFMT) == S_IFREG else { throw LogError(path: path, problem: "is not a regular file") }
        if destination == .inPlace && before.st_nlink > 1 {
            throw LogError(
                path: path,
                problem: "has \(before.st_nlink) hard links; anonymizing it in place would leave the original under the other names")
        }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw LogError(path: path, problem: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var opened = stat()
        guard fstat(fd, &opened) == 0, opened.st_dev == before.st_dev, opened.st_ino == before.st_ino else {
            throw LogError(path: path, problem: "changed while privctl opened it; run again")
        }
        let compression = try LogCompression.detect(fd: fd, path: path)
        let anonymizer = LineAnonymizer(options: options)

        switch destination {
        case .dryRun:
            var report = LogAnonymizationReport(path: path, compression: compression)
            try copy(from: fd, compression: compression, to: nil, anonymizer: anonymizer, report: &report, progress: progress)
            return report
        case .standardOutput:
            var report = LogAnonymizationReport(path: path, output: "-", compression: compression)
            let sink = try LogByteSink(fd: 1, compression: .none, path: "standard output")
            try copy(from: fd, compression: compression, to: sink, anonymizer: anonymizer, report: &report, progress: progress)
            try sink.finish()
            report.written = true
            return report
        case .inPlace:
            var report = LogAnonymizationReport(path: path, compression: compression)
            let temporary = try TemporaryLogFile(beside: path)
            defer { temporary.discard() }
            let sink = try LogByteSink(fd: temporary.fd, compression: compression, path: temporary.path)
            try copy(from: fd, compression: compression, to: sink, anonymizer: anonymizer, report: &report, progress: progress)
            // Nothing to change: the original stays, untouched.
            guard report.changedLines > 0 else { return report }
            try sink.finish()
            try temporary.takeAttributes(of: before, owner: true)
            try temporary.sync()
            try verify(original: fd, compression, written: temporary.fd, compression, path: path, anonymizer: anonymizer)
            try unchangedSinceStart(fd: fd, path: path, before: before)
            try temporary.replace(path)
            report.written = true
            return report
        case .file(let outputPath):
            var report = LogAnonymizationReport(path: path, output: outputPath, compression: compression)
            var existing = stat()
            if lstat(outputPath, &existing) == 0 {
                if existing.st_dev == before.st_dev && existing.st_ino == before.st_ino {
                    throw LogError(path: outputPath, problem: "is the log itself; leave out --output to anonymize it in place")
                }
                if (existing.st_mode & S_IFMT) != S_IFREG {
                    throw LogError(path: outputPath, problem: "exists and is not a regular file")
                }
            }
            let outputCompression: LogCompression = outputPath.hasSuffix(".gz") ? .gzip : .none
            let temporary = try TemporaryLogFile(beside: outputPath)
            defer { temporary.discard() }
            let sink = try LogByteSink(fd: temporary.fd, compression: outputCompression, path: temporary.path)
            try copy(from: fd, compression: compression, to: sink, anonymizer: anonymizer, report: &report, progress: progress)
            try sink.finish()
            try temporary.takeAttributes(of: before, owner: false)
            try temporary.sync()
            try verify(original: fd, compression, written: temporary.fd, outputCompression, path: path, anonymizer: anonymizer)
            try temporary.replace(outputPath)
            report.written = true
            return report
        }
    }

    /// The hot loop: reads lines, anonymizes them, writes them (or only counts, without a sink).
    static func copy(
        from fd: Int32, compression: LogCompression, to sink: LogByteSink?, anonymizer: LineAnonymizer,
        report: inout LogAnonymizationReport, progress: ((Int) -> Void)?
    ) throws(LogError) {
        let source = try LogByteSource(fd: fd, compression: compression, path: report.path)
        let reader = LineReader(source: source, limit: anonymizer.options.maxLineLength)
        let limit = anonymizer.options.maxLineLength
        var edits = LineEdits()
        var nextProgress = 1 << 24
        while let piece = try reader.next() {
            if piece.long {
                // Longer than the limit: copied as it is, in pieces.
                if piece.startsLine {
                    report.unparsedLines += 1
                    if report.firstUnparsedLine == nil { report.firstUnparsedLine = report.lines + 1 }
                }
                if piece.endsLine { report.lines += 1 }
                if let sink {
                    reader.buffer.withUnsafeBufferPointer { sink.buffer.append(contentsOf: $0[piece.range]) }
                    if piece.newline { sink.buffer.append(0x0A) }
                }
            } else {
                report.lines += 1
                reader.buffer.withUnsafeBufferPointer { buffer in
                    let line = UnsafeBufferPointer(rebasing: buffer[piece.range])
                    anonymizer.scan(line, into: &edits)
                    var change = !edits.edits.isEmpty
                    if edits.unparsed || (change && outputLength(line, edits) > limit) {
                        // Not text, or it would grow past the limit: left as it is.
                        report.unparsedLines += 1
                        if report.firstUnparsedLine == nil { report.firstUnparsedLine = report.lines }
                        change = false
                    }
                    if change {
                        report.changedLines += 1
                        for edit in edits.edits {
                            switch edit.kind {
                            case .address: report.addresses += 1
                            case .login: report.logins += 1
                            case .ip: report.ips += 1
                            }
                        }
                    }
                    if let sink {
                        if change {
                            edits.apply(to: line, appendingTo: &sink.buffer)
                        } else {
                            sink.buffer.append(contentsOf: line)
                        }
                        if piece.newline { sink.buffer.append(0x0A) }
                    }
                }
            }
            try sink?.flushIfFull()
            if let progress, source.bytesRead >= nextProgress {
                progress(source.bytesRead)
                nextProgress = source.bytesRead + (1 << 24)
            }
        }
    }

    /// The length of a line after its edits.
    static func outputLength(_ line: UnsafeBufferPointer<UInt8>, _ edits: LineEdits) -> Int {
        edits.edits.reduce(line.count) { $0 - ($1.end - $1.start) + ($1.replacementEnd - $1.replacementStart) }
    }

    /// Reads the original and the written file again, side by side: the same lines, each
    /// unchanged or changed only where the anonymizer replaces, each replacement checked again.
    static func verify(
        original: Int32, _ originalCompression: LogCompression, written: Int32, _ writtenCompression: LogCompression,
        path: String, anonymizer: LineAnonymizer
    ) throws(LogError) {
        let limit = anonymizer.options.maxLineLength
        let a = LineReader(source: try LogByteSource(fd: original, compression: originalCompression, path: path), limit: limit)
        let b = LineReader(
            source: try LogByteSource(fd: written, compression: writtenCompression, path: path + " (anonymized copy)"), limit: limit)
        var line = 0
        var edits = LineEdits()
        var expected: [UInt8] = []
        let token = Array(anonymizer.options.addressToken.utf8)
        func fail(_ problem: String) -> LogError {
            LogError(path: path, problem: "the anonymized copy failed its check (\(problem)); the log was left as it is")
        }
        while true {
            let pa = try a.next(), pb = try b.next()
            guard let pa, let pb else {
                if pa == nil && pb == nil { return }
                throw fail("the copy has \(pa == nil ? "more" : "fewer") lines than the \(line) of the original")
            }
            if pa.startsLine { line += 1 }
            guard pa.newline == pb.newline, pa.endsLine == pb.endsLine, pa.long == pb.long else {
                throw fail("line \(line) ends differently")
            }
            let problem: String? = a.buffer.withUnsafeBufferPointer { bufferA in
                b.buffer.withUnsafeBufferPointer { bufferB in
                    let lineA = UnsafeBufferPointer(rebasing: bufferA[pa.range])
                    let lineB = UnsafeBufferPointer(rebasing: bufferB[pb.range])
                    if Bytes.equal(lineA, lineB) { return nil }
                    if pa.long { return "line \(line) is longer than the limit and must stay as it is, but changed" }
                    anonymizer.scan(lineA, into: &edits)
                    if edits.unparsed || edits.edits.isEmpty {
                        return "line \(line) changed although it holds no address, login or IP address"
                    }
                    let problem: String? = edits.replacementBytes.withUnsafeBufferPointer { replacements in
                        token.withUnsafeBufferPointer { token in
                            for edit in edits.edits {
                                if let problem = EditCheck.problem(
                                    original: UnsafeBufferPointer(rebasing: lineA[edit.start..<edit.end]),
                                    replacement: UnsafeBufferPointer(rebasing: replacements[edit.replacementStart..<edit.replacementEnd]),
                                    kind: edit.kind, options: anonymizer.options, token: token)
                                {
                                    return "line \(line): \(problem)"
                                }
                            }
                            return nil
                        }
                    }
                    if let problem { return problem }
                    expected.removeAll(keepingCapacity: true)
                    edits.apply(to: lineA, appendingTo: &expected)
                    return expected.withUnsafeBufferPointer { Bytes.equal($0, lineB) }
                        ? nil : "line \(line) differs outside the replaced addresses and IP addresses"
                }
            }
            if let problem { throw fail(problem) }
        }
    }

    /// The original must not have changed while it was read: a log still being written would
    /// lose the lines written meanwhile.
    static func unchangedSinceStart(fd: Int32, path: String, before: stat) throws(LogError) {
        var now = stat(), named = stat()
        guard fstat(fd, &now) == 0, lstat(path, &named) == 0, named.st_dev == before.st_dev, named.st_ino == before.st_ino,
            now.st_size == before.st_size, now.st_mtim.tv_sec == before.st_mtim.tv_sec,
            now.st_mtim.tv_nsec == before.st_mtim.tv_nsec
        else {
            throw LogError(
                path: path,
                problem: "changed while privctl read it (is it the log being written? anonymize rotated logs); it was left as it is")
        }
    }
}

/// A temporary file beside its destination, removed unless it replaced it.
final class TemporaryLogFile {
    let path: String
    let fd: Int32
    private let directory: String
    private var done = false

    init(beside destination: String) throws(LogError) {
        let slash = destination.lastIndex(of: "/")
        directory = slash.map { $0 == destination.startIndex ? "/" : String(destination[..<$0]) } ?? "."
        let name = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
        var template = Array((directory == "/" ? "" : directory).utf8CString.dropLast()) + Array("/.\(name).privctl-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw LogError(path: destination, problem: "cannot create a temporary file beside it: \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        self.path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit { discard() }

    /// Mode and times of the original (and its owner and group, for in-place replacement).
    func takeAttributes(of original: stat, owner: Bool) throws(LogError) {
        if owner {
            var mine = stat()
            fstat(fd, &mine)
            if mine.st_uid != original.st_uid || mine.st_gid != original.st_gid {
                guard fchown(fd, original.st_uid, original.st_gid) == 0 else {
                    throw LogError(
                        path: path,
                        problem: "cannot give the anonymized copy the log's owner and group (\(String(cString: strerror(errno)))); run as the log's owner or root")
                }
            }
        }
        guard fchmod(fd, original.st_mode & 0o7777) == 0 else {
            throw LogError(path: path, problem: "cannot set the mode: \(String(cString: strerror(errno)))")
        }
        var times = [original.st_atim, original.st_mtim]
        guard futimens(fd, &times) == 0 else {
            throw LogError(path: path, problem: "cannot keep the modification time: \(String(cString: strerror(errno)))")
        }
    }

    func sync() throws(LogError) {
        guard fsync(fd) == 0 else { throw LogError(path: path, problem: "cannot flush to disk: \(String(cString: strerror(errno)))") }
    }

    /// Renames over `destination` and flushes the directory.
    func replace(_ destination: String) throws(LogError) {
        guard rename(path, destination) == 0 else {
            throw LogError(path: destination, problem: "cannot replace it with the anonymized copy: \(String(cString: strerror(errno)))")
        }
        done = true
        close(fd)
        let dirfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dirfd >= 0 else { return }
        defer { close(dirfd) }
        guard fsync(dirfd) == 0 else {
            throw LogError(path: directory, problem: "cannot flush the directory to disk: \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the temporary file (unless it replaced its destination).
    func discard() {
        guard !done else { return }
        done = true
        close(fd)
        unlink(path)
    }
}
