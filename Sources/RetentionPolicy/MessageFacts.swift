import Foundation
import MailParsing

/// What the rules look at in one message, each computed on first use and kept: most messages
/// are decided by header fields alone, and the body is decoded only when a rule that needs it
/// is reached.
///
/// Whether a header field the policy's rules name is present is asked once per message (see
/// ``CompiledPolicy``); everything else waits until a rule asks.
final class MessageFacts {
    let message: MailMessage
    let context: MessageContext
    let policy: CompiledPolicy

    /// For each header slot: 0 not looked up yet, 1 absent, 2 present. (Memory of its own: a
    /// class's array property pays an exclusivity check on every access.)
    private let presence: UnsafeMutablePointer<UInt8>

    /// Text parts beyond this many bytes are not searched: what decides a category is at the top.
    static let bodyLimit = 64 * 1024

    init(message: MailMessage, context: MessageContext, policy: CompiledPolicy) {
        self.message = message
        self.context = context
        self.policy = policy
        presence = .allocate(capacity: policy.headerNames.count)
        presence.initialize(repeating: 0, count: policy.headerNames.count)
    }

    deinit { presence.deallocate() }

    /// Whether a field of the slot is present.
    func has(_ slot: Int) -> Bool {
        if presence[slot] == 0 { presence[slot] = message.header.contains(policy.headerNames[slot]) ? 2 : 1 }
        return presence[slot] == 2
    }

    /// The first field of the slot.
    func first(_ slot: Int) -> HeaderField? {
        guard has(slot) else { return nil }
        return message.header.first(policy.headerNames[slot])
    }

    /// Every field of the slot, in order.
    func all(_ slot: Int) -> [HeaderField] {
        guard has(slot) else { return [] }
        return message.header.all(policy.headerNames[slot])
    }

    /// The Date header as an instant (see `MailMessage.date`).
    lazy var date: Date? = message.date

    lazy var subject: String = first(policy.subjectSlot)?.decodedText ?? ""
    lazy var foldedSubject: [UInt8] = WordList.fold(subject)
    /// Which of the policy's subject word lists match.
    lazy var subjectMatches: WordListSet.Matches = policy.subjectLists.matches(inFolded: foldedSubject)

    /// Sender addresses (From, Sender); a mailbox without an address gives its name.
    lazy var senders: [MailboxAddress] = addresses([(.from, policy.fromSlot), (.sender, policy.senderSlot)])
    /// Recipient addresses (To, Cc, Bcc).
    lazy var recipients: [MailboxAddress] = addresses([
        (.to, policy.toSlot), (.cc, policy.ccSlot), (.bcc, policy.bccSlot),
    ])

    private func addresses(_ fields: [(AddressField, Int)]) -> [MailboxAddress] {
        var result: [MailboxAddress] = []
        for (field, slot) in fields where has(slot) {
            for mailbox in message.addresses(field) {
                let text = mailbox.address.isEmpty ? mailbox.name : mailbox.address
                if !text.isEmpty { result.append(MailboxAddress(text)) }
            }
        }
        return result
    }

    /// The leaf MIME parts, depth first.
    lazy var leafParts: [MIMEEntity] = message.leafParts

    /// File names of the leaf parts that have one, with their folded bytes.
    lazy var attachments: [(name: String, folded: [UInt8])] = leafParts.compactMap { part in
        guard let name = part.filename, !name.isEmpty else { return nil }
        return (name, WordList.fold(name))
    }

    /// Which of the policy's attachment word lists match some attachment's name.
    lazy var attachmentMatches: [WordListSet.Matches] = attachments.map {
        policy.attachmentLists.matches(inFolded: $0.folded)
    }

    /// Media types (lower-cased essence) of every MIME entity, containers included.
    lazy var mediaTypes: [String] = {
        var result: [String] = []
        var stack = [message.root]
        while let entity = stack.popLast() {
            result.append(entity.contentType.essence.lowercased())
            stack.append(contentsOf: entity.children.reversed())
        }
        return result
    }()

    /// The same as bytes.
    lazy var mediaTypeBytes: [[UInt8]] = {
        var result: [[UInt8]] = []
        MessageFacts.appendMediaTypes(of: message.root, to: &result)
        return result
    }()

    private static func appendMediaTypes(of entity: MIMEEntity, to result: inout [[UInt8]]) {
        var type = entity.contentType.type
        var subtype = entity.contentType.subtype
        var bytes: [UInt8] = []
        type.withUTF8 { bytes += $0 }
        bytes.append(UInt8(ascii: "/"))
        subtype.withUTF8 { bytes += $0 }
        var ascii = true
        for index in bytes.indices {
            let byte = bytes[index]
            if byte >= 0x80 { ascii = false }
            if byte >= 0x41 && byte <= 0x5A { bytes[index] = byte | 0x20 }
        }
        result.append(ascii ? bytes : Array(entity.contentType.essence.lowercased().utf8))
        for child in entity.children { appendMediaTypes(of: child, to: &result) }
    }

    /// The folder's name, levels and what the folder conditions say about it.
    lazy var folder: CompiledPolicy.Folder = policy.folder(context.folder)

    /// Whether the message is a reply: a reply prefix on the subject or an In-Reply-To field.
    lazy var isReply: Bool = MessageFacts.hasReplyPrefix(subject) || has(policy.inReplyToSlot)

    /// The reply marker: the subject's prefix ("AW:") or "In-Reply-To", or nil.
    lazy var replyMarker: String? = {
        if let prefix = MessageFacts.replyPrefix(of: subject) { return "subject starts with \"\(prefix)\"" }
        if has(policy.inReplyToSlot) { return "In-Reply-To header present" }
        return nil
    }()

    /// Reply prefixes in the languages a German mailbox sees.
    static let replyPrefixes: Set<String> = ["re", "aw", "antw", "antwort", "sv", "vs", "odp", "r", "rif", "res"]
    private static let replyPrefixBytes: [[UInt8]] = replyPrefixes.map { Array($0.utf8) }

    /// The leading reply prefix of a subject ("Re:", "AW:", "Re[2]:"), or nil.
    static func replyPrefix(of subject: String) -> String? {
        let trimmed = subject.drop(while: { $0 == " " || $0 == "\t" })
        guard let colon = trimmed.prefix(12).firstIndex(of: ":") else { return nil }
        let head = trimmed[..<colon]
        var word = head.trimmingCharacters(in: .whitespaces).lowercased()
        if let bracket = word.firstIndex(where: { $0 == "[" || $0 == "(" }) {
            let tail = word[bracket...].dropFirst().dropLast()
            guard word.last == "]" || word.last == ")", tail.allSatisfy(\.isNumber) else { return nil }
            word = String(word[..<bracket])
        }
        guard replyPrefixes.contains(word) else { return nil }
        return String(trimmed[...colon])
    }

    /// Whether ``replyPrefix(of:)`` finds a prefix, on the bytes when the subject begins in
    /// printable ASCII (where characters are bytes).
    static func hasReplyPrefix(_ subject: String) -> Bool {
        var subject = subject
        let quick: Bool? = subject.withUTF8 { bytes in
            let count = bytes.count
            var start = 0
            while start < count, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            var colon = -1
            var index = start
            while index < min(count, start + 12) {
                let byte = bytes[index]
                guard byte >= 0x20, byte < 0x7F else { return nil }
                if byte == UInt8(ascii: ":") {
                    colon = index
                    break
                }
                index += 1
            }
            guard colon >= 0 else { return false }
            // A combining mark after the colon would make it another character.
            if colon + 1 < count, bytes[colon + 1] >= 0x80 { return nil }
            var lower = start
            var upper = colon
            while lower < upper, bytes[lower] == 0x20 { lower += 1 }
            while upper > lower, bytes[upper - 1] == 0x20 { upper -= 1 }
            var word = bytes[lower..<upper].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            if let bracket = word.firstIndex(where: { $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "(") }) {
                guard let last = word.last, last == UInt8(ascii: "]") || last == UInt8(ascii: ")"),
                    bracket < word.count - 1,
                    word[(bracket + 1)..<(word.count - 1)].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
                else { return false }
                word.removeSubrange(bracket...)
            }
            return replyPrefixBytes.contains(word)
        }
        return quick ?? (replyPrefix(of: subject) != nil)
    }

    /// The operator's domains for this message: the policy's, the context's, and those of the
    /// local mailboxes the message was delivered to.
    lazy var ownDomains: [[UInt8]] = {
        var own = policy.ownDomains
        for domain in context.ownDomains { own.append(Array(domain.utf8)) }
        for field in all(policy.deliveredToSlot) + all(policy.originalToSlot) {
            MessageFacts.appendDeliveryDomain(of: field, to: &own)
        }
        return own
    }()

    /// The domain of a Delivered-To or X-Original-To field (whatever the policy lists, these
    /// are the operator's own).
    static func appendDeliveryDomain(of field: HeaderField, to domains: inout [[UInt8]]) {
        let raw = field.rawValue
        if raw.allSatisfy({ $0 < 0x80 }) {
            // The unfolded value without its blanks and angle brackets, on the bytes.
            let value = raw.filter { $0 != 0x0D && $0 != 0x0A }
            var lower = value.startIndex
            var upper = value.endIndex
            func trimmed(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x3C || byte == 0x3E }
            while lower < upper, trimmed(value[lower]) { lower += 1 }
            while upper > lower, trimmed(value[upper - 1]) { upper -= 1 }
            guard let at = value[lower..<upper].lastIndex(of: UInt8(ascii: "@")) else { return }
            let domain = value[(at + 1)..<upper].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            if !domain.isEmpty, !domain.contains(0x20) { domains.append(domain) }
            return
        }
        let value = field.unfoldedValue.trimmingCharacters(in: CharacterSet(charactersIn: " <>\t"))
        guard let at = value.lastIndex(of: "@") else { return }
        let domain = value[value.index(after: at)...].lowercased()
        if !domain.isEmpty, !domain.contains(" ") { domains.append(Array(domain.utf8)) }
    }

    /// Whether we wrote the message: it is in a sent folder, or every sender is at an own domain
    /// (our mail filed in an archive folder).
    lazy var isFromUs: Bool = context.isSent || (!senders.isEmpty && senders.allSatisfy(isOwn))

    /// The other party: the recipients of mail we wrote, else the senders.
    lazy var counterparts: [MailboxAddress] = isFromUs ? recipients : senders

    /// Whether an address's domain is one of the operator's own.
    func isOwn(_ address: MailboxAddress) -> Bool {
        guard let domain = address.domain else { return false }
        return ownDomains.contains { AddressPattern.domain(domain, isWithin: $0) }
    }

    /// Whether an address's domain is a private mail provider's.
    func isPrivate(_ address: MailboxAddress) -> Bool {
        guard let domain = address.domain else { return false }
        guard domain.allSatisfy({ $0 < 0x80 }) else {
            return policy.privateMailDomainSet.contains(String(decoding: domain, as: UTF8.self))
        }
        return policy.privateMailDomains.contains { $0.count == domain.count && $0.elementsEqual(domain) }
    }

    /// The folded text of the body: text/plain parts that are not attachments, or the
    /// text/html parts with the markup removed when there is no plain part; at most
    /// ``bodyLimit`` bytes.
    lazy var foldedBody: [UInt8] = foldedText(withoutHTMLQuotes: false)

    /// The text parts the body is read from: the plain ones, or the HTML ones when there is no
    /// plain one (`isHTML`).
    private lazy var textParts: (parts: [MIMEEntity], isHTML: Bool) = {
        var plain: [MIMEEntity] = []
        var html: [MIMEEntity] = []
        for part in leafParts
        where part.disposition != "attachment" && MessageFacts.equalIgnoringCase(part.contentType.type, "text") {
            if MessageFacts.equalIgnoringCase(part.contentType.subtype, "plain") {
                plain.append(part)
            } else if MessageFacts.equalIgnoringCase(part.contentType.subtype, "html") {
                html.append(part)
            }
        }
        return plain.isEmpty ? (html, !html.isEmpty) : (plain, false)
    }()

    /// ``foldedBody``, or with `withoutHTMLQuotes` the text of its HTML parts without their
    /// `<blockquote>` elements, in the lines a reader sees.
    private func foldedText(withoutHTMLQuotes: Bool) -> [UInt8] {
        let (parts, isHTML) = textParts
        var folded: [UInt8] = []
        for part in parts {
            guard folded.count < MessageFacts.bodyLimit, var text = textBytes(of: part) else { continue }
            if isHTML {
                if withoutHTMLQuotes { text = OwnText.removingBlockquotes(html: text) }
                text = MessageFacts.textOfHTML(bytes: text, lineBreaks: withoutHTMLQuotes)
            }
            if text.count > MessageFacts.bodyLimit {
                text = Array(String(decoding: text.prefix(MessageFacts.bodyLimit), as: UTF8.self).utf8)
            }
            text.withUnsafeBufferPointer { WordList.fold(utf8: $0, appendingTo: &folded) }
            folded.append(0x0A)
        }
        return folded
    }

    /// Whether `text` lower-cased is `lowercased` (ASCII letters; no other letter lower-cases
    /// to t, e, x, p, l, a, i, n, h or m).
    private static func equalIgnoringCase(_ text: String, _ lowercased: StaticString) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == lowercased.utf8CodeUnitCount else { return false }
        var wanted = lowercased.utf8Start
        for byte in utf8 {
            if (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != wanted.pointee { return false }
            wanted += 1
        }
        return true
    }

    /// Which of the policy's body word lists match.
    lazy var bodyMatches: WordListSet.Matches = policy.bodyLists.matches(inFolded: foldedBody)

    /// The folded text the author wrote (see ``OwnText``).
    lazy var ownText: [UInt8] = OwnText.of(
        body: textParts.isHTML ? foldedText(withoutHTMLQuotes: true) : foldedBody, subject: foldedSubject)
    /// Which of the policy's own-text word lists match.
    lazy var ownTextMatches: WordListSet.Matches = policy.ownTextLists.matches(inFolded: ownText)

    /// The UTF-8 of `message.text(of: part)`, read from the decoded bytes when they are
    /// ASCII, UTF-8 labelled as such or unlabelled, or Latin-1 (those read the same in every
    /// decoder); the rest through `text(of:)`.
    private func textBytes(of part: MIMEEntity) -> [UInt8]? {
        guard part.contentType.type == "text" else { return nil }
        let charset = CharsetFamily(label: part.contentType.parameters["charset"])
        if charset != .other {
            let decoded = message.decodedBody(of: part)
            let readable: Bool = decoded.withUnsafeBufferPointer { bytes in
                let ascii = UTF8Text.asciiPrefixCount(bytes)
                if ascii == bytes.count { return true }
                switch charset {
                case .utf8OrUnlabelled: return UTF8Text.isValid(bytes, from: ascii)
                case .latin1: return !bytes[ascii...].contains { $0 >= 0x80 && $0 <= 0x9F }
                case .asciiCompatible, .other: return false
                }
            }
            if readable {
                return charset == .latin1 ? UTF8Text.fromLatin1(decoded) : decoded
            }
        }
        return message.text(of: part).map { Array($0.utf8) }
    }

    /// HTML reduced to its text in one pass over the bytes: tags become spaces, `<style>` and
    /// `<script>` contents are dropped, and character references are decoded (named ones for
    /// German text, all numeric ones); soft hyphens, which newsletters put inside words, go.
    static func textOfHTML(_ html: String) -> String {
        String(decoding: textOfHTML(bytes: Array(html.utf8)), as: UTF8.self)
    }

    /// ``textOfHTML(_:)`` on the UTF-8 bytes of the HTML.
    /// With `lineBreaks`, tags that break a line in a browser (`br`, `p`, `div`, `tr`, `li`,
    /// `hr`, headings, `blockquote`) become line feeds, and the HTML source's own line feeds
    /// spaces: the lines a reader sees, for ``OwnText``.
    static func textOfHTML(bytes: [UInt8], lineBreaks: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<") {
                let skipTo = rawTextEnd(bytes, tagAt: index)
                guard let close = bytes[skipTo...].firstIndex(of: UInt8(ascii: ">")) else { break }
                out.append(lineBreaks && breaksLine(bytes, tagAt: index) ? 0x0A : 0x20)
                index = close + 1
            } else if lineBreaks && (byte == 0x0A || byte == 0x0D) {
                out.append(0x20)
                index += 1
            } else if byte == UInt8(ascii: "&"), let (decoded, next) = characterReference(bytes, at: index) {
                out += decoded
                index = next
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    /// For a `<style` or `<script` tag at `start`, where its closing tag begins; else `start`.
    /// Whether the tag at `start` (opening or closing) breaks a line in a browser.
    private static func breaksLine(_ bytes: [UInt8], tagAt start: Int) -> Bool {
        var index = start + 1
        if index < bytes.count, bytes[index] == UInt8(ascii: "/") { index += 1 }
        var name: [UInt8] = []
        while index < bytes.count, name.count < 11 {
            let byte = bytes[index] | ((bytes[index] >= 0x41 && bytes[index] <= 0x5A) ? 0x20 : 0)
            guard (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) else { break }
            name.append(byte)
            index += 1
        }
        return lineBreakingTags.contains(name)
    }

    private static let lineBreakingTags: Set<[UInt8]> = Set(
        ["br", "p", "div", "tr", "li", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"].map { Array($0.utf8) })

    private static func rawTextEnd(_ bytes: [UInt8], tagAt start: Int) -> Int {
        for name in ["style", "script"] {
            let open = Array(("<" + name).utf8)
            guard start + open.count < bytes.count,
                zip(open, bytes[start...]).allSatisfy({ $0 == ($1 | (($1 >= 0x41 && $1 <= 0x5A) ? 0x20 : 0)) })
            else { continue }
            let close = Array(("</" + name).utf8)
            var index = start + open.count
            while index + close.count <= bytes.count {
                if bytes[index] == UInt8(ascii: "<"),
                    zip(close, bytes[index...]).allSatisfy({ $0 == ($1 | (($1 >= 0x41 && $1 <= 0x5A) ? 0x20 : 0)) })
                {
                    return index
                }
                index += 1
            }
            return bytes.count - 1
        }
        return start
    }

    /// The UTF-8 of the character reference at `start` ("&auml;", "&#228;", "&#xE4;") and the
    /// index after it, or nil when there is none.
    private static func characterReference(_ bytes: [UInt8], at start: Int) -> ([UInt8], Int)? {
        let limit = min(bytes.count, start + 12)
        guard let semicolon = bytes[(start + 1)..<limit].firstIndex(of: UInt8(ascii: ";")) else { return nil }
        let name = String(decoding: bytes[(start + 1)..<semicolon], as: UTF8.self)
        let value: UInt32?
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            value = UInt32(name.dropFirst(2), radix: 16)
        } else if name.hasPrefix("#") {
            value = UInt32(name.dropFirst())
        } else {
            value = htmlEntities[name]
        }
        guard let value, let scalar = Unicode.Scalar(value) else { return nil }
        if value == 0xAD { return ([], semicolon + 1) }
        if value == 0xA0 { return ([0x20], semicolon + 1) }
        return (Array(String(Character(scalar)).utf8), semicolon + 1)
    }

    static let htmlEntities: [String: UInt32] = [
        "auml": 0xE4, "ouml": 0xF6, "uuml": 0xFC, "Auml": 0xC4, "Ouml": 0xD6, "Uuml": 0xDC, "szlig": 0xDF,
        "nbsp": 0xA0, "shy": 0xAD, "euro": 0x20AC, "quot": 0x22, "amp": 0x26, "lt": 0x3C, "gt": 0x3E, "apos": 0x27,
        "eacute": 0xE9, "egrave": 0xE8, "agrave": 0xE0, "ccedil": 0xE7, "ndash": 0x2013, "mdash": 0x2014,
        "bdquo": 0x201E, "ldquo": 0x201C, "rdquo": 0x201D, "sect": 0xA7, "copy": 0xA9,
    ]
}
