import FileSystem
import Foundation
import LogAnonymization
import PrivacyEvents

extension LogAnonymizationReport {
    /// One line of `logs anonymize`: what happened to the file and what was (or would be)
    /// replaced in it.
    public func text(_ action: LogAnonymizationRun.Action) -> String {
        let verb: String
        switch action {
        case .written: verb = "wrote \(output == "-" ? "standard output" : output ?? "") from"
        case .unchanged: verb = "unchanged"
        case .wouldAnonymize: verb = "would anonymize"
        case .anonymized: verb = "anonymized"
        }
        var line = "\(verb) \(path): \(counted(lines, "line"))"
        if changedLines == 0 { return line + ", nothing to anonymize" }
        line += ", \(formatCount(changedLines)) \(action == .wouldAnonymize ? "to change" : "changed"): "
        return line + [counted(addresses, "address", "addresses"), counted(logins, "login"), counted(ips, "IP address", "IP addresses")]
            .joined(separator: ", ")
    }
}

extension LogAnonymizationRun.Summary {
    /// The summary of `logs anonymize` over `files` files.
    public func text(files: Int, destination: LogFileAnonymizer.Destination) -> String {
        var parts = [counted(files, "file")]
        switch destination {
        case .dryRun: parts.append("\(anonymized) to anonymize, \(unchanged) with nothing to anonymize")
        case .inPlace: parts.append("\(anonymized) anonymized, \(unchanged) with nothing to anonymize")
        case .file, .standardOutput: parts.append("written")
        }
        if failed > 0 { parts.append("\(failed) failed") }
        let ledger: String
        switch destination {
        case .dryRun: ledger = "dry run: nothing was changed or recorded"
        case .inPlace: ledger = "ledger: " + counted(events, "erase event")
        case .file, .standardOutput: ledger = "ledger: nothing recorded (the original is unchanged)"
        }
        return parts.joined(separator: ", ") + "; " + ledger
    }
}

extension LogAnonymizationRun {
    /// `logs anonymize --json`: the line of a file that failed.
    public static func failedJSON(path: String, error: PrivctlError) -> String {
        var line = JSONLine()
        line.add("path", path)
        line.add("action", "failed")
        line.add("error", error.problem)
        return line.string
    }
}

extension LogAnonymizationReport {
    /// The line under a report whose file had lines left as they were, or nil.
    public func unparsedText(maxLineLength: Int) -> String? {
        guard unparsedLines > 0 else { return nil }
        return "  \(counted(unparsedLines, "line")) left as they are (not text, or longer than \(formatBytes(maxLineLength))), the first at line \(firstUnparsedLine ?? 0)"
    }
}

extension RotatedLog {
    /// One line of `logs expire`: the log, its size and the age of its newest data.
    public func text(verb: String) -> String {
        let age = Int(Date().timeIntervalSince(dataUntil) / 86_400)
        return "\(verb) \(path) (\(formatBytes(size)), newest data \(CalendarDay(dataUntil)), \(age) days ago\(agedByName ? ", by its name" : ""))"
    }
}

extension LogExpiryRun.Summary {
    /// The summary of `logs expire` after `run`.
    public func text(_ run: LogExpiryRun) -> String {
        let kept = run.scan.rotated.count - run.due.count
        var line = "\(run.dryRun ? "would remove" : "removed") \(counted(removed, "rotated log")) (\(formatBytes(removedBytes)))"
        line += "; kept \(kept) within the retention of \(counted(run.days, "day")) and \(run.scan.current.count) being written"
        if failed > 0 { line += "; \(failed) failed" }
        return line + (run.dryRun ? "; dry run: nothing was removed or recorded" : "; ledger: " + counted(removed, "erase event"))
    }
}

extension LogExpiryRun {
    /// `logs expire --json`: one line per log being written, which is always kept.
    public var currentLogsJSON: [String] {
        scan.current.map { path in
            var line = JSONLine()
            line.add("path", path)
            line.add("action", "kept")
            line.add("reason", "the log being written")
            return line.string
        }
    }
}
