import Foundation
import PrivacyEvents

/// What the classifier knows about a message besides its bytes: where it is stored, when it
/// arrived, and which events about it are known.
public struct MessageContext: Sendable {
    /// The store folder as a Maildir++ name without the leading dot ("INBOX", "Sent",
    /// "Archive.2019", "Junk"); for mbox, the file name.
    public var folder: String
    /// Whether the folder holds mail the mailbox owner sent; then the counterparts are the
    /// recipients, not the sender.
    public var isSent: Bool
    /// Mail domains of this mailbox's owner, in addition to the policy's `own-domains`
    /// (a hosting operator's customers each have their own).
    public var ownDomains: [String]
    /// When the message was delivered to the store (Maildir file name time or mtime, mbox From_
    /// line); the message day when the Date header is missing or unusable.
    public var deliveryDate: Date
    /// Days of events known for this message, by event name ("application-decision"), for
    /// categories whose period starts at an event.
    public var eventDays: [String: CalendarDay]

    /// A context; `isSent` defaults to whether the folder's name is a usual sent-folder name.
    public init(
        folder: String = "INBOX", isSent: Bool? = nil, ownDomains: [String] = [], deliveryDate: Date,
        eventDays: [String: CalendarDay] = [:]
    ) {
        self.folder = folder
        self.isSent = isSent ?? MessageContext.isSentFolder(folder)
        self.ownDomains = ownDomains.map { $0.lowercased() }
        self.deliveryDate = deliveryDate
        self.eventDays = eventDays
    }

    /// Sent-folder names of the common clients and servers, lower-cased.
    public static let sentFolderNames: Set<String> = [
        "sent", "sent items", "sent messages", "sent mail", "sent-mail", "gesendet", "gesendete objekte",
        "gesendete elemente", "gesendete nachrichten", "gesendete e-mails", "postausgang",
    ]

    /// Whether the last level of a folder name ("INBOX.Sent", "Sent") is a usual sent-folder name.
    public static func isSentFolder(_ folder: String) -> Bool {
        let last = folder.split(whereSeparator: { $0 == "." || $0 == "/" }).last.map(String.init) ?? folder
        return sentFolderNames.contains(last.lowercased())
    }
}
