import Foundation

/// A one-line progress display on stderr, shown only when stderr is a terminal and at most ten
/// times a second.
public final class TerminalProgress {
    private let enabled: Bool
    private var last = Date.distantPast
    private var shown = false

    public init() { enabled = !TextOutput.quiet && TextOutput.standardError.isTerminal }

    public func update(_ text: @autoclosure () -> String) {
        guard enabled, Date().timeIntervalSince(last) >= 0.1 else { return }
        last = Date()
        shown = true
        TextOutput.standardError.write("\r\u{1B}[K" + text())
        TextOutput.standardError.flush()
    }

    public func finish() {
        guard shown else { return }
        TextOutput.standardError.write("\r\u{1B}[K")
        TextOutput.standardError.flush()
        shown = false
    }
}

/// `body` with a progress line on stderr, cleared (and then `output` flushed) before `body`'s
/// result is printed or its error reported.
public func withProgress<T>(flushing output: TextOutput? = nil, _ body: (TerminalProgress) throws -> T) rethrows -> T {
    let progress = TerminalProgress()
    defer {
        progress.finish()
        output?.flush()
    }
    return try body(progress)
}
