import Foundation
import PrivacyEvents

/// "12.3 MB".
public func formatBytes(_ bytes: Int) -> String {
    let units = ["B", "KB", "MB", "GB", "TB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000 && unit < units.count - 1 {
        value /= 1000
        unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
}

/// "12,345".
public func formatCount(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
        out.append(c)
    }
    return out
}

/// Pads `text` on the right (or left) to `width`.
public func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return right ? fill + text : text + fill
}

/// "1 file", "12,345 files": a count and its noun in the right number.
public func counted(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    formatCount(n) + " " + (n == 1 ? singular : plural ?? singular + "s")
}

/// `text` safe to print on a terminal and in line-based output: control characters (a newline
/// or an escape sequence in a file name or a decoded subject a user chose) are written as
/// `\n`, `\t` or `\u{1B}`, so one item stays one line and cannot rewrite the screen; so are the
/// bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which would make
/// `rtl\u{202E}fdp.exe` read as `rtlexe.pdf`.
public func escapingControls(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where isControl(scalar): out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

private func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value)
        || (0x2066...0x2069).contains(scalar.value)
}
