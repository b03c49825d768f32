import Foundation
import PrivacyEvents

// The text forms the commands print, beside their JSON forms in JSONRecords.swift.

extension ChainedEvent {
    /// One line of `ledger show`: time, host and sequence, kind, category, the day kept until
    /// (or, for a collection, its source and day), where, to whom, how many subjects, and why.
    public func text() -> String {
        let e = event
        var line = "\(EventChain.timestamp(e.time))  \(pad("\(e.host)#\(sequence)", 16))  \(pad(e.kind.rawValue, 8))  "
            + pad(e.dataCategory, 21)
        // "until": the last day kept, everywhere privctl prints it.
        if let keepUntil = e.keepUntil { line += "  until \(keepUntil)\(e.legalDuty == true ? " (legal duty)" : "")" }
        if e.kind == .collect, let source = e.details["source"] {
            line += "  \(source) \(e.details["collectedAt"].map { String($0.prefix(10)) } ?? "")"
        }
        // An item is relative to its store (a file in a Maildir, #N in an mbox), or, for a
        // message moved to the blocked store, the whole path it is kept at.
        switch e.location.item {
        case let item? where item.hasPrefix("/"): line += "  " + escapingControls(item)
        case let item? where item.hasPrefix("#") || item.hasPrefix("!"): line += "  " + escapingControls(e.location.store + item)
        case let item?: line += "  " + escapingControls(e.location.store + "/" + item)
        case nil: line += "  " + escapingControls(e.location.store)
        }
        if let recipient = e.recipient { line += "  to \(recipient)" }
        line += "  subjects: \(e.subjects.count)"
        if let reason = e.details["reason"] { line += "  (\(reason))" }
        return line
    }
}

extension LedgerVerification {
    /// `ledger verify`: each problem, the verdict, and each host chain's head.
    public func text() -> String {
        var text = problems.map { "problem: \($0)\n" }.joined()
        text += isIntact
            ? "ledger intact: \(counted(eventCount, "event")), \(counted(hosts.count, "host chain"))\n"
            : "ledger NOT intact: \(counted(problems.count, "problem")) in \(counted(eventCount, "event"))\n"
        return text + heads.keys.sorted().map { "head \($0): \(heads[$0]!)\n" }.joined()
    }
}

extension RequestStatus {
    /// `request list`: the request, its deadline, and each host's state.
    public func text() -> String {
        var text = "\(request.id)  received \(request.received)  deadline \(request.deadline)"
        if let reference = request.reference { text += "  reference \(escapingControls(reference))" }
        text += (overdue ? "  OVERDUE" : "") + "\n"
        for (host, result) in hosts { text += "    \(pad(host, 24)) \(result)\n" }
        if hosts.isEmpty { text += "    no host holds data or has carried it out yet\n" }
        return text
    }
}

extension LegalHold {
    /// `hold --release`: the hold and the event that released it, as a line or as JSON.
    public static func releaseText(_ id: String, event: EventID, json: Bool) -> String {
        guard json else { return "released hold \(id) (event \(event))" }
        var line = JSONLine()
        line.add("released", id)
        line.add("event", event.rawValue)
        return line.string
    }

    /// `hold --list`: id, last day, what it covers, and why.
    public func text() -> String {
        var scope: [String] = []
        if !subjects.isEmpty { scope.append(counted(subjects.count, "subject")) }
        if !messageIDHashes.isEmpty || !contentHashes.isEmpty {
            scope.append(counted(messageIDHashes.count + contentHashes.count, "message"))
        }
        scope += stores
        return "\(id)  until \(until?.description ?? "released")  \(scope.joined(separator: ", "))  — \(reason)"
    }
}

extension PseudonymKey {
    /// `key show --json` (and `key export/import --json` with `changed`): fingerprint, path.
    public func json(path: String, changed: Bool? = nil) -> String {
        var line = JSONLine()
        line.add("fingerprint", fingerprint)
        line.add("path", path)
        if let changed { line.add("changed", changed) }
        return line.string
    }
}

extension PrivctlEnvironment {
    /// `privctl config show`: each setting, its value and where it came from, then the
    /// configuration files looked for.
    public func settingsText() -> String {
        let width = settings.map(\.setting.rawValue.count).max() ?? 0
        let valueWidth = settings.map { escapingControls($0.value).count }.max() ?? 0
        var text = settings.map { entry in
            pad(entry.setting.rawValue, width) + "  " + pad(escapingControls(entry.value), valueWidth) + "  "
                + entry.origin.description
        }.joined(separator: "\n")
        for file in configurationFiles {
            text += "\nconfiguration file \(escapingControls(file.path)): " + (file.exists ? "read" : "none")
        }
        return text + "\n"
    }

    /// `privctl config show --json`: `{"ledger": {"value": …, "from": …}, …, "files": [{"path": …, "exists": …}]}`.
    public func settingsJSON() -> String {
        var line = JSONLine()
        for entry in settings {
            var setting = JSONLine()
            setting.add("value", entry.value)
            setting.add("from", entry.origin.description)
            line.raw(entry.setting.rawValue, setting.string)
        }
        let files = configurationFiles.map { file in
            var object = JSONLine()
            object.add("path", file.path)
            object.add("exists", file.exists)
            return object.string
        }
        line.raw("files", "[" + files.joined(separator: ",") + "]")
        return line.string
    }
}

extension ErasureReceipt {
    /// Prints the receipt on stdout (text, each message's preview only on a terminal; or one
    /// JSON object) and what failed on stderr; returns the receipt's exit status.
    @discardableResult
    public func print(json: Bool) -> ExitStatus {
        TextOutput.standardOutput.write(json ? self.json() + "\n" : text(showingMessages: isatty(1) == 1))
        TextOutput.standardOutput.flush()
        reportFailures()
        return exitStatus
    }

    /// What failed, was skipped or did not verify goes to stderr too, one line each, not only
    /// into the receipt on stdout.
    public func reportFailures() {
        for line in failed { warn("failed: " + line) }
        for line in skipped { warn("skipped: " + line) }
        if let verification, !verification.passed {
            for check in verification.checks where check.contains("FAILED") { warn("verification: " + check) }
        }
    }
}
