import Foundation
import MailParsing

/// What the rules look at in one message, each computed on first use and kept: most messages
/// are decided by header fields alone, and the body is decoded only when a rule that needs it
/// is reached.
final class MessageFacts {
    let message: MailMessage
    let context: MessageContext
    let ownDomains: [String]
    let privateMailDomains: Set<String>

    /// Text parts beyond this many bytes are not searched: what decides a category is at the top.
    static let bodyLimit = 64 * 1024

    init(message: MailMessage, context: MessageContext, policy: RetentionPolicy) {
        self.message = message
        self.context = context
        self.ownDomains = policy.ownDomains + context.ownDomains
        self.privateMailDomains = Set(policy.privateMailDomains)
    }

    lazy var subject: String = message.subject ?? ""
    lazy var foldedSubject: [UInt8] = WordList.fold(subject)

    /// Sender addresses (From, Sender), lower-cased; a mailbox without an address gives its name.
    lazy var senders: [String] = addresses([.from, .sender])
    /// Recipient addresses (To, Cc, Bcc), lower-cased.
    lazy var recipients: [String] = addresses([.to, .cc, .bcc])

    private func addresses(_ fields: [AddressField]) -> [String] {
        fields.flatMap { message.addresses($0) }.map { ($0.address.isEmpty ? $0.name : $0.address).lowercased() }
            .filter { !$0.isEmpty }
    }

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

    /// The counterparts: recipients of sent mail, senders of received mail.
    var counterparts: [String] { context.isSent ? recipients : senders }

    /// Whether an address's domain is one of the operator's own.
    func isOwn(_ address: String) -> Bool {
        guard let domain = MessageFacts.domain(of: address) else { return false }
        return ownDomains.contains { AddressPattern.domain(domain, isWithin: $0) }
    }

    /// Whether an address's domain is a private mail provider's.
    func isPrivate(_ address: String) -> Bool {
        guard let domain = MessageFacts.domain(of: address) else { return false }
        return privateMailDomains.contains(String(domain))
    }

    static func domain(of address: String) -> Substring? {
        guard let at = address.lastIndex(of: "@") else { return nil }
        let domain = address[address.index(after: at)...]
        return domain.isEmpty ? nil : domain
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

    /// HTML reduced to its text: tags become spaces, the common entities are decoded.
    static func textOfHTML(_ html: String) -> String {
        var out = ""
        out.reserveCapacity(html.utf8.count)
        var inTag = false
        for character in html {
            if inTag {
                if character == ">" { inTag = false }
            } else if character == "<" {
                inTag = true
                out.append(" ")
            } else {
                out.append(character)
            }
        }
        guard out.contains("&") else { return out }
        for (entity, text) in htmlEntities { out = out.replacingOccurrences(of: entity, with: text) }
        return out
    }

    static let htmlEntities: [(String, String)] = [
        ("&auml;", "ä"), ("&ouml;", "ö"), ("&uuml;", "ü"), ("&Auml;", "Ä"), ("&Ouml;", "Ö"), ("&Uuml;", "Ü"),
        ("&szlig;", "ß"), ("&nbsp;", " "), ("&euro;", "€"), ("&quot;", "\""), ("&#228;", "ä"), ("&#246;", "ö"),
        ("&#252;", "ü"), ("&#223;", "ß"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"),
    ]
}
