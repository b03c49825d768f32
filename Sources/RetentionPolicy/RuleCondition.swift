/// One test a rule makes on a message. Conditions look at the header first, the MIME structure
/// next and the decoded body last; the classifier evaluates them lazily so that the body of a
/// message is decoded only when a rule that needs it is reached.
public enum RuleCondition: Hashable, Sendable, CustomStringConvertible {
    /// A header field is present, or its value passes a test.
    case header(name: String, test: HeaderTest)
    /// Some sender address (From, Sender) matches.
    case from([AddressPattern])
    /// Some recipient address (To, Cc, Bcc) matches.
    case to([AddressPattern])
    /// The decoded subject contains a word or phrase.
    case subject(WordList)
    /// The decoded text of the body (text parts, not attachments) contains a word or phrase.
    case body(WordList)
    /// The text the author wrote contains a word or phrase: the body without what a reply
    /// quotes of the message it answers (see ``OwnText``).
    case ownText(WordList)
    /// Some attachment's file name contains a word.
    case attachmentName(WordList)
    /// Some MIME entity (multipart containers included) has a matching media type.
    case attachmentType([GlobPattern])
    /// The store folder matches: a pattern without `.` is compared with each level of a
    /// Maildir++ name ("Junk" matches "Archive.Junk"), one with `.` with the whole name.
    case folder([GlobPattern])
    /// The message is (or is not) in a sent folder.
    case sent(Bool)
    /// The message is (or is not) a reply: a Re:/AW:/Antw:/SV: subject or an In-Reply-To field.
    case reply(Bool)
    /// The other party (the recipients of mail we wrote, else the senders) is of a kind: a
    /// business (a domain that is neither the operator's nor a private mail provider's), a
    /// private person (a private mail provider's domain), or a colleague (an own domain).
    case counterpart(Counterpart)

    /// The policy-file key that introduces this condition.
    public var key: String {
        switch self {
        case .header: return "header"
        case .from: return "from"
        case .to: return "to"
        case .subject: return "subject"
        case .body: return "body"
        case .ownText: return "own-text"
        case .attachmentName: return "attachment"
        case .attachmentType: return "attachment-type"
        case .folder: return "folder"
        case .sent: return "sent"
        case .reply: return "reply"
        case .counterpart: return "counterpart"
        }
    }

    /// Whether evaluating the condition needs the decoded body.
    public var needsBody: Bool {
        switch self {
        case .body, .ownText: return true
        default: return false
        }
    }

    /// The condition in policy-file words, for explanations and the fingerprint.
    public var description: String {
        func list(_ items: [String]) -> String { "[" + items.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
        switch self {
        case .header(let name, let test): return "header \(name) \(test)"
        case .from(let patterns): return "from " + list(patterns.map(\.description))
        case .to(let patterns): return "to " + list(patterns.map(\.description))
        case .subject(let words): return "subject " + list(words.patterns)
        case .body(let words): return "body " + list(words.patterns)
        case .ownText(let words): return "own-text " + list(words.patterns)
        case .attachmentName(let words): return "attachment " + list(words.patterns)
        case .attachmentType(let types): return "attachment-type " + list(types.map(\.description))
        case .folder(let folders): return "folder " + list(folders.map(\.description))
        case .sent(let flag): return "sent \(flag)"
        case .reply(let flag): return "reply \(flag)"
        case .counterpart(let kind): return "counterpart \(kind.rawValue)"
        }
    }
}

/// A test on a header field's unfolded value (case is ignored; a value is compared up to its
/// first `;`, so "auto-generated; type=cron" is "auto-generated").
public enum HeaderTest: Hashable, Sendable, CustomStringConvertible {
    /// The field is present, whatever its value.
    case present
    /// The value is one of these.
    case isOneOf([String])
    /// The field is present and its value is none of these ("Auto-Submitted" other than "no").
    case isNoneOf([String])
    /// The value starts with one of these ("X-Spam-Status: Yes, score=7.2").
    case startsWith([String])
    /// The value contains one of these.
    case contains([String])

    /// The test in policy-file words.
    public var description: String {
        func list(_ items: [String]) -> String { "[" + items.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
        switch self {
        case .present: return "present"
        case .isOneOf(let values): return "is " + list(values)
        case .isNoneOf(let values): return "is-not " + list(values)
        case .startsWith(let values): return "starts-with " + list(values)
        case .contains(let values): return "contains " + list(values)
        }
    }
}

/// The kind of the other party of a message: the sender of received mail, the recipients of
/// sent mail.
public enum Counterpart: String, Hashable, Sendable, CaseIterable {
    /// An address at a domain that is neither the operator's own nor a private mail provider's.
    case business
    /// An address at a private mail provider (the policy's `private-mail-domains`).
    case `private`
    /// An address at one of the operator's own domains (mail among colleagues).
    case `internal`
}
