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
    /// Days of events on record for the people in the message or for the message itself, by
    /// event name, in the order they were recorded. The classifier takes the last one on or
    /// after the message day (one before it concerns an earlier matter, such as the decision
    /// on an earlier application; a later record corrects an earlier one), unless
    /// ``eventDays`` names the event.
    public var recordedEventDays: [String: [CalendarDay]] = [:]

    /// The day of each event for a message of `messageDay`: ``eventDays``, else the last
    /// recorded day on or after it.
    public func eventDays(forMessageDay messageDay: CalendarDay) -> [String: CalendarDay] {
        guard !recordedEventDays.isEmpty else { return eventDays }
        var days = eventDays
        for (name, recorded) in recordedEventDays where days[name] == nil {
            if let day = recorded.last(where: { $0 >= messageDay }) { days[name] = day }
        }
        return days
    }

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

    /// Whether the last level of a folder name ("INBOX.Sent", "Sent", "Sent.mbox") is a usual
    /// sent-folder name.
    public static func isSentFolder(_ folder: String) -> Bool {
        guard let last = folderLevels(folder).last else { return false }
        return sentFolderNames.contains(last)
    }

    /// The lower-cased levels of a folder name: "Archive.2019" → ["archive", "2019"]; levels are
    /// separated by "." (Maildir++) or "/" (LAYOUT=fs, mbox trees), and an mbox file's
    /// extension (".mbox", ".mbx") is not a level.
    public static func folderLevels(_ folder: String) -> [String] {
        var levels = decodedFolderName(folder).lowercased().split(whereSeparator: { $0 == "." || $0 == "/" })
            .map(String.init)
        if levels.count > 1, let last = levels.last, last == "mbox" || last == "mbx" { levels.removeLast() }
        return levels
    }

    /// A folder name with IMAP's modified UTF-7 (RFC 3501 §5.1.3) decoded, as Dovecot and
    /// Courier store non-ASCII Maildir++ names: "Gel&APY-schte Elemente" is "Gelöschte Elemente".
    /// A name that is not valid modified UTF-7 is returned unchanged.
    public static func decodedFolderName(_ name: String) -> String {
        guard name.contains("&") else { return name }
        var out = ""
        var rest = Substring(name)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let afterAmp = rest.index(after: amp)
            guard let dash = rest[afterAmp...].firstIndex(of: "-") else { return name }
            let encoded = rest[afterAmp..<dash]
            if encoded.isEmpty {
                out += "&"
            } else {
                var base64 = encoded.replacingOccurrences(of: ",", with: "/")
                while base64.count % 4 != 0 { base64 += "=" }
                guard let data = Data(base64Encoded: base64), data.count % 2 == 0 else { return name }
                let bytes = [UInt8](data)
                let units = stride(from: 0, to: bytes.count, by: 2).map {
                    UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1])
                }
                out += String(decoding: units, as: UTF16.self)
            }
            rest = rest[rest.index(after: dash)...]
        }
        return out + rest
    }
}
