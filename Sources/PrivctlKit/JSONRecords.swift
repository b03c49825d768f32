import PrivacyEvents

// The JSON records the commands print, one object per line: documented in the README, read by
// scripts, and the same for a program that embeds PrivctlKit.

extension ClassifiedMessage {
    /// `classify --json`: one message, whether it is `due`, and with `explanation` the evidence.
    public func json(due: Bool, explanation: Bool) -> String {
        var line = JSONLine()
        line.add("path", path)
        line.add("messageId", messageID)
        line.add("category", category)
        line.add("retainUntil", retainUntil?.description)
        line.add("expiresOn", expiresOn?.description)
        line.add("rule", rule)
        line.add("subjects", subjects.map(\.rawValue))
        line.add("container", container)
        line.add("messageDay", messageDay.description)
        line.add("size", size)
        line.add("due", due)
        if explanation { line.add("explanation", self.explanation) }
        return line.string
    }
}

extension RequestStatus {
    /// `request list --json`: one request with its result per host.
    public func json() -> String {
        var line = JSONLine()
        line.add("id", request.id)
        line.add("received", request.received.description)
        line.add("deadline", request.deadline.description)
        line.add("overdue", overdue)
        line.add("reference", request.reference)
        line.add("subjects", request.subjects.map(\.rawValue))
        var hostsJSON = JSONLine()
        for (host, result) in hosts { hostsJSON.add(host, result.description) }
        line.raw("hosts", hostsJSON.string)
        return line.string
    }
}

extension ChainedEvent {
    /// `ledger show --json`: the recorded payload with its place in the chain and the hashes.
    public func json() -> String {
        var line = JSONLine()
        line.add("sequence", Int(sequence))
        line.raw("event", payload)
        line.add("previousHash", previousHash)
        line.add("hash", hash)
        return line.string
    }
}

extension LedgerVerification {
    /// `ledger verify --json`.
    public func json() -> String {
        var line = JSONLine(["intact": .bool(isIntact), "events": .int(eventCount), "hosts": .strings(hosts), "problems": .strings(problems)])
        var headsJSON = JSONLine()
        for host in heads.keys.sorted() { headsJSON.add(host, heads[host]) }
        line.raw("heads", headsJSON.string)
        return line.string
    }
}
