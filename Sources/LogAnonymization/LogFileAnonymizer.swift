import FileSystem

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
    ///
    /// The log is opened through the file-system layer: the directory it is in is resolved once
    /// (links on the way there followed: the user named the path), the log itself is never
    /// followed (a symbolic link named as the log is refused: ``PrivctlError/Code/symbolicLink``)
    /// and must be a regular file. The anonymized copy is a ``ReplacementFile`` beside the
    /// original (`O_EXCL`, an unguessable name), given the original's owner, group, mode and
    /// times, read back and checked, then renamed over it.
    public static func anonymize(
        path: String, to destination: Destination, options: AnonymizationOptions,
        progress: ((Int) -> Void)? = nil
    ) throws(PrivctlError) -> LogAnonymizationReport {
        let (directory, name, before) = try locate(path)
        if destination == .inPlace && before.linkCount > 1 {
            throw PrivctlError(
                .copyOutsideStore, path: path,
                problem: "has \(before.linkCount) hard links; anonymizing it in place would leave the original under the other names")
        }
        let file = try directory.openFile(name)
        guard try file.info().isSameFile(as: before) else {
            throw PrivctlError(.changedWhileRead, path: path, problem: "changed while privctl opened it; run again")
        }
        let compression = try LogCompression.detect(file)
        let anonymizer = LineAnonymizer(options: options)

        switch destination {
        case .dryRun:
            var report = LogAnonymizationReport(path: path, compression: compression)
            try copy(from: file, compression: compression, to: nil, anonymizer: anonymizer, report: &report, progress: progress)
            return report
        case .standardOutput:
            var report = LogAnonymizationReport(path: path, output: "-", compression: compression)
            let sink = try LogByteSink(file: nil, compression: .none, path: "standard output")
            try copy(from: file, compression: compression, to: sink, anonymizer: anonymizer, report: &report, progress: progress)
            try sink.finish()
            report.written = true
            return report
        case .inPlace:
            var report = LogAnonymizationReport(path: path, compression: compression)
            let replacement = try ReplacementFile(for: name, in: directory, attributes: before)
            defer { replacement.abandon() }
            let sink = try LogByteSink(file: replacement.file, compression: compression, path: replacement.temporaryPath)
            try copy(from: file, compression: compression, to: sink, anonymizer: anonymizer, report: &report, progress: progress)
            // Nothing to change: the original stays, untouched.
            guard report.changedLines > 0 else { return report }
            try sink.finish()
            try keepOwner(of: before, on: replacement)
            try replacement.file.sync()
            try verify(original: file, compression, written: replacement.file, compression, path: path, anonymizer: anonymizer)
            try unchangedSinceStart(file, name: name, in: directory, path: path, before: before)
            try keepTimes(of: before, on: replacement.file)
            try replacement.commit()
            report.written = true
            return report
        case .file(let outputPath):
            var report = LogAnonymizationReport(path: path, output: outputPath, compression: compression)
            let (outputDirectory, outputName) = try FileSystem.openNamedParent(outputPath)
            guard outputName != "." else {
                throw PrivctlError(.notRegularFile, path: outputPath, problem: "is a directory; name the file to write")
            }
            if let existing = try outputDirectory.info(outputName) {
                if existing.isSameFile(as: before) {
                    throw PrivctlError(.invalidInput, path: outputPath, problem: "is the log itself; leave out --output to anonymize it in place")
                }
                if existing.kind == .symbolicLink {
                    throw PrivctlError(.symbolicLink, path: outputPath, problem: "is a symbolic link; not written through")
                }
                if existing.kind != .regular {
                    throw PrivctlError(.notRegularFile, path: outputPath, problem: "exists and is not a regular file")
                }
            }
            let outputCompression: LogCompression = outputPath.hasSuffix(".gz") ? .gzip : .none
            let replacement = try ReplacementFile(for: outputName, in: outputDirectory, attributes: nil)
            defer { replacement.abandon() }
            let sink = try LogByteSink(file: replacement.file, compression: outputCompression, path: replacement.temporaryPath)
            try copy(from: file, compression: compression, to: sink, anonymizer: anonymizer, report: &report, progress: progress)
            try sink.finish()
            try replacement.file.setPermissions(before.permissions)
            try replacement.file.sync()
            try verify(
                original: file, compression, written: replacement.file, outputCompression, path: path, anonymizer: anonymizer)
            try keepTimes(of: before, on: replacement.file)
            try replacement.commit()
            report.written = true
            return report
        }
    }

    /// The directory a log is in (opened once, following the links on the way: the user named
    /// the path), its name there and what it is: a regular file, or an error that says what is
    /// there instead (``PrivctlError/Code/symbolicLink`` for a link, never followed).
    public static func locate(_ path: String) throws(PrivctlError) -> (directory: Directory, name: String, info: FileInfo) {
        let (directory, name) = try FileSystem.openNamedParent(path)
        let info = name == "." ? try directory.info() : try directory.info(name)
        guard let info else { throw PrivctlError(.notFound, path: path, problem: "no such file") }
        switch info.kind {
        case .regular:
            return (directory, name, info)
        case .directory:
            throw PrivctlError(.notRegularFile, path: path, problem: "is a directory; name the log files (for example \(path)/mail.log.1)")
        case .symbolicLink:
            throw PrivctlError(.symbolicLink, path: path, problem: "is a symbolic link; name the log file itself")
        default:
            throw PrivctlError(.notRegularFile, path: path, problem: "is not a regular file (\(info.kind.rawValue))")
        }
    }

    /// Gives the anonymized copy the log's owner and group where ``ReplacementFile`` did not
    /// (it does as root only): a user may give a file to a group of theirs; anything else fails.
    static func keepOwner(of original: FileInfo, on replacement: ReplacementFile) throws(PrivctlError) {
        let mine = try replacement.file.info()
        guard mine.owner != original.owner || mine.group != original.group else { return }
        do {
            try replacement.file.setOwner(original.owner, group: original.group)
        } catch {
            throw PrivctlError(
                error.code, path: replacement.temporaryPath,
                problem: "cannot give the anonymized copy the log's owner and group (\(error.problem)); run as the log's owner or root")
        }
    }

    /// The log's access and modification times, so `privctl logs expire` still sees its age.
    static func keepTimes(of original: FileInfo, on file: OpenFile) throws(PrivctlError) {
        try file.setTimes(
            accessed: (original.accessedSeconds, original.accessedNanoseconds),
            modified: (original.modifiedSeconds, original.modifiedNanoseconds))
    }

    /// The hot loop: reads lines, anonymizes them, writes them (or only counts, without a sink).
    static func copy(
        from file: OpenFile, compression: LogCompression, to sink: LogByteSink?, anonymizer: LineAnonymizer,
        report: inout LogAnonymizationReport, progress: ((Int) -> Void)?
    ) throws(PrivctlError) {
        let source = try LogByteSource(file: file, compression: compression, path: report.path)
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
        original: OpenFile, _ originalCompression: LogCompression, written: OpenFile, _ writtenCompression: LogCompression,
        path: String, anonymizer: LineAnonymizer
    ) throws(PrivctlError) {
        let limit = anonymizer.options.maxLineLength
        let a = LineReader(source: try LogByteSource(file: original, compression: originalCompression, path: path), limit: limit)
        let b = LineReader(
            source: try LogByteSource(file: written, compression: writtenCompression, path: path + " (anonymized copy)"), limit: limit)
        var line = 0
        var edits = LineEdits()
        var expected: [UInt8] = []
        let token = Array(anonymizer.options.addressToken.utf8)
        func fail(_ problem: String) -> PrivctlError {
            PrivctlError(.failed, path: path, problem: "the anonymized copy failed its check (\(problem)); the log was left as it is")
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
    static func unchangedSinceStart(
        _ file: OpenFile, name: String, in directory: Directory, path: String, before: FileInfo
    ) throws(PrivctlError) {
        let now = try file.info()
        guard let named = try directory.info(name), named.isSameFile(as: before), now.size == before.size,
            now.modifiedSeconds == before.modifiedSeconds, now.modifiedNanoseconds == before.modifiedNanoseconds
        else {
            throw PrivctlError(
                .changedWhileRead, path: path,
                problem: "changed while privctl read it (is it the log being written? anonymize rotated logs); it was left as it is")
        }
    }
}
