/// One block of a report's layout (``AccessReport/blocks(subjectLabel:)``), rendered as Markdown
/// or as HTML: one layout, so that the two renderings never say different things.
enum ReportBlock: Equatable {
    /// The report's title (one per report).
    case title(String)
    case heading(String)
    case paragraph(String)
    /// A paragraph that starts with a warning in bold.
    case warning(String, String)
    case list([String])
    case table([String], [[String]])

    /// Markdown: `#`/`##` headings, `-` lists, pipe tables (cells with `|` and line breaks escaped).
    static func markdown(_ blocks: [ReportBlock]) -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var text = ""
        for block in blocks {
            switch block {
            case .title(let title): text += "# \(title)\n\n"
            case .heading(let heading): text += "## \(heading)\n\n"
            case .paragraph(let paragraph): text += paragraph + "\n\n"
            case .warning(let warning, let paragraph): text += "**\(warning)** \(paragraph)\n\n"
            case .list(let items): text += items.map { "- \($0)\n" }.joined() + "\n"
            case .table(let head, let rows):
                text += "| " + head.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: head.count) + "\n"
                    + rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |\n" }.joined() + "\n"
            }
        }
        return text.hasSuffix("\n\n") ? String(text.dropLast()) : text
    }

    /// A self-contained HTML page; every text escaped.
    static func html(_ blocks: [ReportBlock], title: String) -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var body = ""
        for block in blocks {
            switch block {
            case .title(let title): body += "<h1>\(esc(title))</h1>\n"
            case .heading(let heading): body += "<h2>\(esc(heading))</h2>\n"
            case .paragraph(let paragraph): body += "<p>\(esc(paragraph))</p>\n"
            case .warning(let warning, let paragraph): body += "<p><strong>\(esc(warning))</strong> \(esc(paragraph))</p>\n"
            case .list(let items): body += "<ul>\n" + items.map { "<li>\(esc($0))</li>\n" }.joined() + "</ul>\n"
            case .table(let head, let rows):
                body += "<table>\n<tr>" + head.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
                    + rows.map { "<tr>" + $0.map { "<td>\(esc($0))</td>" }.joined() + "</tr>\n" }.joined() + "</table>\n"
            }
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(esc(title))</title>
            <style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .6em;text-align:left}</style>
            </head><body>
            \(body)</body></html>

            """
    }
}
