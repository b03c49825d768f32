import Foundation

/// Buffered writes to a file descriptor: one system call per 64 KiB, not per line. The commands
/// and plugins (built in or from another package) all write through it, so `--quiet` and the
/// rule "data on stdout, summaries, progress and warnings on stderr" hold for every command.
///
/// A lock guards the buffer, so warnings from any thread interleave by whole lines.
public final class TextOutput: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let lock = NSLock()

    public static let standardOutput = TextOutput(fd: 1)
    public static let standardError = TextOutput(fd: 2)

    /// `--quiet`: summaries and progress are not printed (set once, while the arguments are
    /// validated, before any command runs).
    nonisolated(unsafe) public static var quiet = false

    public init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    deinit { flush() }

    /// Whether the descriptor is a terminal.
    public var isTerminal: Bool { isatty(fd) == 1 }

    public func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flushLocked() }
    }

    public func line(_ text: String) { write(text + "\n") }

    public func flush() {
        lock.lock()
        defer { lock.unlock() }
        flushLocked()
    }

    private func flushLocked() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                break
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Writes a summary (how much was done, how long it took) to stderr, unless `--quiet`.
public func summarize(_ text: String) {
    TextOutput.standardOutput.flush()  // the data first, quiet or not
    guard !TextOutput.quiet else { return }
    TextOutput.standardError.write(text.hasSuffix("\n") ? text : text + "\n")
    TextOutput.standardError.flush()
}

/// Writes one-line warnings to stderr, as `privctl: warning: …`.
public func warn(_ text: String) {
    TextOutput.standardOutput.flush()
    TextOutput.standardError.line("privctl: warning: " + escapingControls(text))
    TextOutput.standardError.flush()
}

/// Writes a one-line error to stderr, as `privctl: error: …`, after what `output` holds; the
/// command goes on (its exit status says that something failed).
public func reportError(_ text: String, flushing output: TextOutput = .standardOutput) {
    output.flush()
    TextOutput.standardError.line("privctl: error: " + escapingControls(text))
    TextOutput.standardError.flush()
}
