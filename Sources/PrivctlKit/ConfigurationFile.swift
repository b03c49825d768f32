import FileSystem
import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// A privctl configuration file: the settings an operator writes once, so that cron jobs and
/// systemd units need no options and no environment.
///
/// Two files are read, the user's over the system's (see ``PrivctlEnvironment/resolve(ledger:key:policy:host:environment:)``):
/// `/etc/privctl/privctl.conf` (or the file `$PRIVCTL_CONFIG` names; `none` reads none) and
/// `$XDG_CONFIG_HOME/privctl/config` (`~/.config/privctl/config`).
///
/// The format: one `name = value` per line; lines starting with `#` and blank lines are ignored;
/// a value may be put in double quotes (`\"` and `\\` inside). Paths are absolute.
///
/// ```
/// # /etc/privctl/privctl.conf
/// ledger = postgres://privctl@ledger.example.net/privctl
/// key = /etc/privctl/pseudonym.key
/// policy = /etc/privctl/policy.yaml
/// state-dir = /var/lib/privctl
/// ```
///
/// A file with an unknown name, a malformed line or a relative path is refused in one line naming
/// the file and the line, and so is a file that someone other than its owner may write, or that
/// is owned by neither root nor the user running privctl: a setting decides where privctl writes.
public struct ConfigurationFile: Sendable, Equatable {
    /// The settings a file may hold.
    public enum Setting: String, Sendable, CaseIterable, Comparable {
        case ledger, key, policy, host
        case stateDirectory = "state-dir"

        public static func < (lhs: Setting, rhs: Setting) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// The system-wide file.
    public static let systemPath = "/etc/privctl/privctl.conf"

    /// The file's path.
    public var path: String
    /// Each setting the file holds, with its line number.
    public var values: [Setting: (value: String, line: Int)]

    public static func == (lhs: ConfigurationFile, rhs: ConfigurationFile) -> Bool {
        lhs.path == rhs.path && lhs.values.mapValues(\.value) == rhs.values.mapValues(\.value)
    }

    /// Reads the file at `path`; nil when there is none.
    public static func load(path: String) throws(PrivctlError) -> ConfigurationFile? {
        let bytes: [UInt8]
        do throws(PrivctlError) {
            let (directory, name) = try FileSystem.openNamedParent(path)
            guard let info = try directory.info(name) else { return nil }
            if info.kind != .regular {
                throw PrivctlError(.notRegularFile, path: path, problem: "is a \(info.kind.rawValue), not a regular file; name the configuration file itself")
            }
            // Its directory decides too: whoever may write there may rename another file over it
            // (a sticky directory, like /tmp, lets only the owner do that).
            let folder = try directory.info()
            if folder.permissions & 0o022 != 0 && folder.permissions & 0o1000 == 0 {
                throw PrivctlError(.notOwnStore, path: path, problem: "others may write the directory this configuration file is in; chmod go-w it")
            }
            if folder.owner != 0, folder.owner != UInt32(geteuid()) {
                throw PrivctlError(.notOwnStore, path: path, problem: "the directory this configuration file is in belongs to another user (uid \(folder.owner))")
            }
            if info.permissions & 0o022 != 0 {
                throw PrivctlError(.notOwnStore, path: path, problem: "others may write this configuration file; chmod go-w it")
            }
            if info.owner != 0, info.owner != UInt32(geteuid()) {
                throw PrivctlError(.notOwnStore, path: path, problem: "this configuration file belongs to another user (uid \(info.owner))")
            }
            let file = try directory.openFile(name)
            defer { file.close() }
            bytes = try file.readAll(limit: 1 << 20)
        } catch where error.code == .notFound {
            return nil
        }
        return try parse(String(decoding: bytes, as: UTF8.self), path: path)
    }

    /// Parses a file's text.
    public static func parse(_ text: String, path: String) throws(PrivctlError) -> ConfigurationFile {
        var values: [Setting: (value: String, line: Int)] = [:]
        // Lines end with LF or CRLF (a file written on Windows); "\r\n" is one Character in Swift.
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            func refuse(_ problem: String) -> PrivctlError {
                PrivctlError(.invalidInput, path: path, problem: "line \(number): \(problem)")
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw refuse("expected `name = value`, found \(escapingControls(String(line)))")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard let setting = Setting(rawValue: String(name)) else {
                let known = Setting.allCases.map(\.rawValue).joined(separator: ", ")
                throw refuse("unknown setting `\(escapingControls(String(name)))` (known: \(known))")
            }
            guard values[setting] == nil else {
                throw refuse("`\(name)` is set twice (first on line \(values[setting]!.line))")
            }
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\"") {
                guard let unquoted = unquote(value) else { throw refuse("the value of `\(name)` has no closing quote") }
                value = unquoted
            }
            guard !value.isEmpty else { throw refuse("`\(name)` has no value") }
            let isURL = setting == .ledger && value.contains("://")
            if setting != .host, !isURL, !value.hasPrefix("/") {
                throw refuse("`\(name)` must be an absolute path, not \(escapingControls(value))")
            }
            values[setting] = (value, number)
        }
        return ConfigurationFile(path: path, values: values)
    }

    /// `"a \"b\""` as `a "b"`; nil without a closing quote or with text after it.
    private static func unquote(_ quoted: String) -> String? {
        var result = ""
        var escaped = false
        var rest = quoted.dropFirst()
        while let character = rest.popFirst() {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                return rest.isEmpty ? result : nil
            } else {
                result.append(character)
            }
        }
        return nil
    }
}
