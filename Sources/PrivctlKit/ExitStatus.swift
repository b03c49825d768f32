import FileSystem

/// The exit statuses of privctl, defined once (README, "Exit status").
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Success.
    case success = 0
    /// An error, named in one line on stderr.
    case failure = 1
    /// `ledger verify`: the ledger is not intact.
    case ledgerNotIntact = 2
    /// The verification after acting found a difference.
    case verificationFailed = 3
    /// Locked: another privctl run on this ledger held the lock past `--lock-timeout` and this
    /// run did nothing, or some mailboxes were locked by another program and skipped, unchanged.
    case lockedSkipped = 4
    /// `request list`: a request is overdue.
    case overdue = 5
    /// A usage error (unknown option, a malformed date).
    case usage = 64
}

extension ErasureReceipt {
    /// What an erase, block, unblock, expire or apply run ends with: an error when something
    /// failed, else a verification that found a difference, else mailboxes skipped as locked.
    public var exitStatus: ExitStatus {
        if !failed.isEmpty { return .failure }
        if let verification, !verification.passed { return .verificationFailed }
        if !skipped.isEmpty { return .lockedSkipped }
        return .success
    }
}

extension ExitStatus {
    /// The status a run that failed with `error` ends with: ``lockedSkipped`` when another run
    /// held the lock (nothing was done), else ``failure``.
    public init(failure error: any Error) {
        self = (error as? PrivctlError)?.code == .locked ? .lockedSkipped : .failure
    }
}
