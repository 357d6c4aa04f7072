import Foundation

/// The one way every reader turns file bytes into text: a UTF-8 byte-order mark is dropped
/// and Windows (CRLF) and old Mac (CR) line endings become LF, so files saved by Excel or
/// Windows editors read exactly like Unix ones.
public enum TextInput {
    /// Decodes bytes as UTF-8; nil when they are not valid UTF-8.
    public static func decode(_ data: Data) -> String? {
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        return normalize(text)
    }

    /// Drops a leading BOM and converts CRLF and CR line ends to LF.
    public static func normalize(_ text: String) -> String {
        // Most files have neither: return them as they are, without touching every character.
        let hasCR = text.utf8.withContiguousStorageIfAvailable { b in b.baseAddress.map { memchr($0, Int32(UInt8(ascii: "\r")), b.count) != nil } ?? false }
            ?? text.utf8.contains(UInt8(ascii: "\r"))
        if !text.utf8.starts(with: [0xEF, 0xBB, 0xBF]) && !hasCR { return text }
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        guard scalars.contains(where: { $0 == "\r" }) else { return String(String.UnicodeScalarView(scalars)) }
        var out = String.UnicodeScalarView()
        var previousCR = false
        for s in scalars {
            if s == "\r" { out.append("\n"); previousCR = true; continue }
            if s == "\n" && previousCR { previousCR = false; continue }
            previousCR = false
            out.append(s)
        }
        return String(out)
    }

    /// Reads a file as normalised text, or a diagnostic at line 1 saying why it cannot be read.
    public static func read(path: String, shownAs file: String, what: String = "file") throws(InputErrors) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputErrors([Diagnostic(file: file, line: 1, column: 1, message: "cannot read the \(what): check the path and permissions")])
        }
        guard let text = decode(data) else {
            throw InputErrors([Diagnostic(file: file, line: 1, column: 1, message: "not valid UTF-8: save the file as UTF-8 text")])
        }
        return text
    }

    /// A user-supplied string made safe to echo in a message: control characters (terminal
    /// escape sequences included) shown as `\u{…}`, and at most `limit` characters.
    public static func shown(_ text: String, limit: Int = 80) -> String { escaped(text, limit: limit, keepingLayout: false) }

    /// A message made safe to print: as `shown`, but newlines and tabs are kept (a message can
    /// quote a user's input and span lines).
    public static func safeMessage(_ text: String, limit: Int = 20_000) -> String { escaped(text, limit: limit, keepingLayout: true) }

    private static func escaped(_ text: String, limit: Int, keepingLayout: Bool) -> String {
        var out = "", count = 0
        for ch in text {
            if count >= limit { out += "…"; break }
            for s in String(ch).unicodeScalars {
                let category = s.properties.generalCategory
                let hidden = category == .control || (category == .format && s != "\u{200D}")
                if hidden && !(keepingLayout && (s == "\n" || s == "\t")) {
                    out += "\\u{\(String(s.value, radix: 16))}"
                } else { out.unicodeScalars.append(s) }
            }
            count += 1
        }
        return out
    }
}
