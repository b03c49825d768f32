import Foundation
import PrivacyEvents

/// One message's classification, as a run reports it.
public struct ClassifiedMessage: Sendable {
    /// The message file, `MBOX#N` for an mbox message.
    public var path: String
    /// The Maildir folder or mbox file.
    public var container: String
    /// The Message-ID; for a message taken from the scan index it is opened from the index's
    /// sealed copy only when read (a nightly run over an unchanged store reads none).
    public var messageID: String? {
        get { plainMessageID ?? sealedMessageID.flatMap { $0.key.unseal($0.text) } }
        set {
            plainMessageID = newValue
            sealedMessageID = nil
            messageIDHash = nil
        }
    }
    var plainMessageID: String?
    /// The scan index's sealed Message-ID and the key that opens it.
    var sealedMessageID: (text: String, key: PseudonymKey)?
    /// The Message-ID's keyed hash, made once for a message parsed (classify needs it twice).
    var messageIDHash: String?
    public var category: String
    public var rule: String
    /// Why: the classifier's explanation lines; empty for a message taken from the scan index
    /// (a run with `explain` parses every message).
    public var explanation: [String]
    /// The day the retention period is counted from.
    public var messageDay: CalendarDay
    /// Last day it must be kept under a legal duty; nil when no duty applies.
    public var retainUntil: CalendarDay?
    /// First day the policy says to erase or review it; nil when never.
    public var expiresOn: CalendarDay?
    /// The people in it, as pseudonyms.
    public var subjects: [Pseudonym] { subjectList.pseudonyms }
    /// The same, packed (unpacking costs an allocation per pseudonym; most runs never need it).
    public var subjectList: PseudonymList
    /// Size in bytes.
    public var size: Int
    /// Whether this run took it from the scan index without parsing.
    public var fromIndex: Bool
    /// Whether this run recorded a retain event for it (new, or its category or dates changed).
    public var recorded: Bool
    /// For mail we sent: who outside our own domains received whose data (``Transfer``).
    public var transfers: [Transfer] = []
    /// Whether it lies in a Sent folder (written by the mailbox owner, not received).
    public var isSent = false
    /// The pseudonyms of its From addresses.
    public var senders: [Pseudonym] = []
    /// When the last server received it, from its topmost Received field; read only when the
    /// store keeps no delivery time of its own.
    public var receivedAt: Date?

    /// Mail we sent to recipients outside the operator's own domains, per recipient: the
    /// people in the message other than the recipient's own.
    public struct Transfer: Sendable, Hashable {
        /// The register's recipient id, else the recipient's mail domain (never an address).
        public var recipient: String
        /// Whether the recipient is in the policy's register.
        public var registered: Bool
        /// Whose data went there.
        public var subjects: [Pseudonym]
    }

    /// Whether the message is past its retention period on `day`.
    public func isDue(on day: CalendarDay) -> Bool {
        guard let expiresOn else { return false }
        return expiresOn <= day
    }
}

/// A message that could not be read or parsed.
public struct UnreadableMessage: Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    /// Whether the bytes were read (and could not be parsed: the message is then classified for
    /// review); false when the message, folder or place could not be read at all.
    public var wasRead: Bool

    /// What went wrong, for a warning: "cannot parse: …" or "not read: …".
    public var description: String { "\(path): \(wasRead ? "cannot parse" : "not read"): \(reason)" }
}
