import Foundation
import MailParsing

/// What the rules look at in one message, each computed on first use and kept: most messages
/// are decided by header fields alone, and the body is decoded only when a rule that needs it
/// is reached.
final class MessageFacts {
    let message: MailMessage
    let context: MessageContext
    let ownDomains: [[UInt8]]
    let privateMailDomains: Set<String>

    /// Text parts beyond this many bytes are not searched: what decides a category is at the top.
    static let bodyLimit = 64 * 1024

    /// - Parameters:
    ///   - ownDomains: the policy's own domains as bytes (the context's are added here).
    ///   - privateMailDomains: the policy's private mail domains.
    init(message: MailMessage, context: MessageContext, ownDomains: [[UInt8]], privateMailDomains: Set<String>) {
        self.message = message
        self.context = context
        var own = ownDomains
        for domain in context.ownDomains { own.append(Array(domain.utf8)) }
        for domain in MessageFacts.deliveryDomains(of: message) { own.append(domain) }
        self.ownDomains = own
        self.privateMailDomains = privateMailDomains
    }

    /// The domains of the local mailboxes the receiving server delivered the message to
    /// (Delivered-To, X-Original-To): whatever the policy lists, these are the operator's own.
    static func deliveryDomains(of message: MailMessage) -> [[UInt8]] {
        var domains: [[UInt8]] = []
        for field in message.header.fields {
            let name = field.name.lowercased()
            guard name == "delivered-to" || name == "x-original-to" else { continue }
            let value = field.unfoldedValue.trimmingCharacters(in: CharacterSet(charactersIn: " <>\t"))
            guard let at = value.lastIndex(of: "@") else { continue }
            let domain = value[value.index(after: at)...].lowercased()
            if !domain.isEmpty, !domain.contains(" ") { domains.append(Array(domain.utf8)) }
        }
        return domains
    }

    lazy var subject: String = message.subject ?? ""
    lazy var foldedSubject: [UInt8] = WordList.fold(subject)

    /// Sender addresses (From, Sender); a mailbox without an address gives its name.
    lazy var senders: [MailboxAddress] = addresses([.from, .sender])
    /// Recipient addresses (To, Cc, Bcc).
    lazy var recipients: [MailboxAddress] = addresses([.to, .cc, .bcc])

    private func addresses(_ fields: [AddressField]) -> [MailboxAddress] {
        var result: [MailboxAddress] = []
        for field in fields where message.header.contains(field.rawValue) {
            for mailbox in message.addresses(field) {
                let text = mailbox.address.isEmpty ? mailbox.name : mailbox.address
                if !text.isEmpty { result.append(MailboxAddress(text)) }
            }
        }
        return result
    }

    /// Lower-cased names of the header fields present, for a cheap first test.
    lazy var headerNames: Set<String> = Set(message.header.fields.map { $0.name.lowercased() })

    /// File names of the leaf parts that have one, with their folded bytes.
    lazy var attachments: [(name: String, folded: [UInt8])] = message.leafParts.compactMap { part in
        guard let name = part.filename, !name.isEmpty else { return nil }
        return (name, WordList.fold(name))
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

    /// The folder's full name and each of its levels, lower-cased.
    lazy var folderNames: (full: [UInt8], levels: [[UInt8]]) = {
        let levels = MessageContext.folderLevels(context.folder)
        return (Array(levels.joined(separator: ".").utf8), levels.map { Array($0.utf8) })
    }()

    /// The reply marker: the subject's prefix ("AW:") or "In-Reply-To", or nil.
    lazy var replyMarker: String? = {
        if let prefix = MessageFacts.replyPrefix(of: subject) { return "subject starts with \"\(prefix)\"" }
        if message.header.contains("In-Reply-To") { return "In-Reply-To header present" }
        return nil
    }()

    /// Reply prefixes in the languages a German mailbox sees.
    static let replyPrefixes: Set<String> = ["re", "aw", "antw", "antwort", "sv", "vs", "odp", "r", "rif", "res"]

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
        return privateMailDomains.contains(String(decoding: domain, as: UTF8.self))
    }

    /// The folded text of the body: text/plain parts that are not attachments, or the
    /// text/html parts with the markup removed when there is no plain part; at most
    /// ``bodyLimit`` bytes.
    lazy var foldedBody: [UInt8] = {
        let textParts = message.leafParts.filter {
            $0.contentType.type.lowercased() == "text" && $0.disposition != "attachment"
        }
        let plain = textParts.filter { $0.contentType.subtype.lowercased() == "plain" }
        let html = textParts.filter { $0.contentType.subtype.lowercased() == "html" }
        var folded: [UInt8] = []
        for part in plain.isEmpty ? html : plain {
            guard folded.count < MessageFacts.bodyLimit, var text = message.text(of: part) else { continue }
            if plain.isEmpty { text = MessageFacts.textOfHTML(text) }
            if text.utf8.count > MessageFacts.bodyLimit {
                text = String(decoding: text.utf8.prefix(MessageFacts.bodyLimit), as: UTF8.self)
            }
            folded += WordList.fold(text)
            folded.append(0x0A)
        }
        return folded
    }()

    /// HTML reduced to its text in one pass over the bytes: tags become spaces, `<style>` and
    /// `<script>` contents are dropped, and character references are decoded (named ones for
    /// German text, all numeric ones); soft hyphens, which newsletters put inside words, go.
    static func textOfHTML(_ html: String) -> String {
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<") {
                let skipTo = rawTextEnd(bytes, tagAt: index)
                guard let close = bytes[skipTo...].firstIndex(of: UInt8(ascii: ">")) else { break }
                out.append(0x20)
                index = close + 1
            } else if byte == UInt8(ascii: "&"), let (decoded, next) = characterReference(bytes, at: index) {
                out += decoded
                index = next
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// For a `<style` or `<script` tag at `start`, where its closing tag begins; else `start`.
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
