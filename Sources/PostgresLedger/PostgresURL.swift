import PrivacyEvents

/// The parts of a `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAMETERS]` URL.
///
/// Parameters: `host=/path/to/socket/dir` connects through the Unix socket
/// `DIR/.s.PGSQL.PORT` instead of TCP (the URL's host part may then be empty),
/// `sslmode=disable` (the default) or `sslmode=require` (TLS with certificate and host name
/// verification against the system's trust roots), `connect_timeout=SECONDS` (default 10), and
/// `query_timeout=SECONDS` (default 60: a statement without an answer by then counts as a lost
/// connection).
/// User, password and database are percent-decoded.
public struct PostgresURL: Hashable, Sendable, CustomStringConvertible {
    /// Whether the connection uses TLS.
    public enum TLSMode: String, Hashable, Sendable {
        /// Plain TCP (or a Unix socket).
        case disable
        /// TLS, the server's certificate and host name verified against the system's trust
        /// roots (libpq's `verify-full`, with the system's bundle or `SSL_CERT_FILE`).
        case require
    }

    public var user: String
    public var password: String?
    /// Host name or IP address (without brackets); empty when `socketDirectory` is set.
    public var host: String
    public var port = 5432
    public var database: String
    /// The directory holding the server's Unix socket, when connecting through it.
    public var socketDirectory: String?
    public var tls = TLSMode.disable
    /// Seconds to wait for a connection before the ledger counts as unreachable.
    public var connectTimeout = 10
    /// Seconds to wait for the answer to one statement before the connection counts as lost
    /// (a server that died without closing it, a network that dropped it).
    public var queryTimeout = 60

    /// The path of the Unix socket, when connecting through one.
    public var socketPath: String? {
        socketDirectory.map { ($0.hasSuffix("/") ? String($0.dropLast()) : $0) + "/.s.PGSQL.\(port)" }
    }

    /// The URL, with the password replaced by `***`: safe for messages and logs.
    public var description: String {
        var text = "postgres://" + PostgresURL.percentEncoded(user)
        if password != nil { text += ":***" }
        text += "@"
        if socketDirectory == nil { text += host.contains(":") ? "[\(host)]" : host }
        if port != 5432 { text += ":\(port)" }
        text += "/" + PostgresURL.percentEncoded(database)
        var parameters: [String] = []
        if let socketDirectory { parameters.append("host=" + socketDirectory) }
        if tls != .disable { parameters.append("sslmode=" + tls.rawValue) }
        if connectTimeout != 10 { parameters.append("connect_timeout=\(connectTimeout)") }
        if !parameters.isEmpty { text += "?" + parameters.joined(separator: "&") }
        return text
    }

    static func percentDecoded(_ text: Substring) -> String? {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                    let decoded = Hex.decode(String(decoding: [high, low], as: UTF8.self))
                else { return nil }
                bytes += decoded
            } else {
                bytes.append(byte)
            }
        }
        return String(bytes: bytes, encoding: .utf8)
    }

    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "-._~".contains(c)) {
                out.append(c)
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}

extension PostgresURL {
    /// Parses a `postgres://` or `postgresql://` URL.
    public init(parsing text: String) throws(LedgerLocationError) {
        func fail(_ why: String) -> LedgerLocationError {
            LedgerLocationError("ledger URL \(LedgerLocation.redacting(text)): \(why) (expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE)")
        }
        guard let scheme = LedgerLocation.scheme(of: text), scheme == "postgres" || scheme == "postgresql" else {
            throw fail("not a postgres:// URL")
        }
        var rest = Substring(text.dropFirst(scheme.count + 3))
        var query = Substring()
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        if rest.contains("#") { throw fail("a fragment (#…) has no meaning here") }
        guard let slash = rest.firstIndex(of: "/") else { throw fail("no database name") }
        let authority = rest[..<slash]
        let path = rest[rest.index(after: slash)...]

        // user[:password]@hostport — the last @ separates them, so a password may contain one
        // only percent-encoded, as URLs require.
        guard let at = authority.lastIndex(of: "@") else { throw fail("no user name") }
        let userInfo = authority[..<at]
        var hostPort = authority[authority.index(after: at)...]
        let userPart: Substring
        var password: String?
        if let colon = userInfo.firstIndex(of: ":") {
            userPart = userInfo[..<colon]
            guard let decoded = PostgresURL.percentDecoded(userInfo[userInfo.index(after: colon)...]) else {
                throw fail("bad percent-encoding in the password")
            }
            password = decoded
        } else {
            userPart = userInfo
        }
        guard let user = PostgresURL.percentDecoded(userPart), !user.isEmpty else { throw fail("no user name") }

        var host: String
        var port = 5432
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw fail("unclosed [ in the host") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("unexpected text after the host") }
                portText = after.dropFirst()
            }
        } else {
            if let colon = hostPort.lastIndex(of: ":") {
                portText = hostPort[hostPort.index(after: colon)...]
                hostPort = hostPort[..<colon]
            }
            host = String(hostPort)
        }
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw fail("port \"\(portText)\" is not a number from 1 to 65535")
            }
            port = value
        }
        guard !path.contains("/"), let database = PostgresURL.percentDecoded(path), !database.isEmpty else {
            throw fail("no database name")
        }

        var socketDirectory: String?
        var tls = TLSMode.disable
        var connectTimeout = 10
        var queryTimeout = 60
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let value = PostgresURL.percentDecoded(parts[1]) else {
                throw fail("parameter \"\(pair)\" is not NAME=VALUE")
            }
            switch parts[0] {
            case "host":
                guard value.hasPrefix("/") else { throw fail("host=\(value) must be an absolute socket directory") }
                socketDirectory = value
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else { throw fail("sslmode=\(value): use disable or require") }
                tls = mode
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else { throw fail("connect_timeout=\(value) is not a positive number of seconds") }
                connectTimeout = seconds
            case "query_timeout":
                guard let seconds = Int(value), seconds > 0 else { throw fail("query_timeout=\(value) is not a positive number of seconds") }
                queryTimeout = seconds
            default:
                throw fail("unknown parameter \(parts[0]) (known: host, sslmode, connect_timeout, query_timeout)")
            }
        }
        if host.isEmpty && socketDirectory == nil { throw fail("no host") }
        if socketDirectory != nil && !host.isEmpty { throw fail("both a host and host= (a socket directory)") }
        if socketDirectory != nil && tls == .require { throw fail("sslmode=require over a Unix socket") }

        self.init(
            user: user, password: password, host: host, port: port, database: database,
            socketDirectory: socketDirectory, tls: tls, connectTimeout: connectTimeout, queryTimeout: queryTimeout)
    }
}
