/// A problem found in an input file, located by file, line and column (1-based).
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible, Codable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }
    public var description: String { TextInput.safeMessage("\(TextInput.shown(file, limit: 200)):\(max(1, line)):\(max(1, column)): \(message)", limit: 2000) }
}

/// One or more diagnostics; thrown when an input cannot be used.
public struct InputErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// A parsed CSV record with the position of every field.
public struct CSVRecord: Sendable {
    public var line: Int
    public var fields: [String]
    /// 1-based character column where each field starts.
    public var columns: [Int]
}

/// Minimal RFC 4180 reader for Caravan's data files: `#` comment lines, blank
/// lines skipped, quoted fields with `""` escapes; a quoted field may not span lines.
public enum CSVReader {
    public static func parse(_ text: String, file: String) throws(InputErrors) -> (header: CSVRecord, rows: [CSVRecord]) {
        var records: [CSVRecord] = []
        var problems: [Diagnostic] = []
        var lineNumber = 0
        let text = TextInput.normalize(text)
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Substring(rawLine)
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            switch parseLine(line) {
            case .success(let (fields, columns)): records.append(CSVRecord(line: lineNumber, fields: fields, columns: columns))
            case .failure(let e): problems.append(Diagnostic(file: file, line: lineNumber, column: e.column, message: e.message))
            }
        }
        if !problems.isEmpty { throw InputErrors(problems) }
        guard let header = records.first else {
            throw InputErrors([Diagnostic(file: file, line: 1, column: 1, message: "no header line: the file is empty or only comments")])
        }
        return (header, Array(records.dropFirst()))
    }

    private struct LineError: Error { var column: Int; var message: String }

    private static func parseLine(_ line: Substring) -> Result<([String], [Int]), LineError> {
        var fields: [String] = [], columns: [Int] = []
        var chars = Array(line)
        var i = 0
        chars.append(",") // sentinel ends the last field
        while i < chars.count {
            let start = i
            var field = ""
            if chars[i] == "\"" {
                i += 1
                var closed = false
                while i < chars.count - 1 {
                    if chars[i] == "\"" {
                        if i + 1 < chars.count - 1, chars[i + 1] == "\"" { field.append("\""); i += 2; continue }
                        closed = true; i += 1; break
                    }
                    field.append(chars[i]); i += 1
                }
                if !closed { return .failure(LineError(column: start + 1, message: "unterminated quoted field: close it with \"")) }
                if chars[i] != "," {
                    return .failure(LineError(column: i + 1, message: "unexpected character after a closing quote: put a comma after the quoted field"))
                }
            } else {
                while chars[i] != "," { field.append(chars[i]); i += 1 }
                if field.contains("\"") {
                    return .failure(LineError(column: start + 1, message: "quote inside an unquoted field: quote the whole field and double the inner quote"))
                }
            }
            fields.append(field.trimmingSpaces())
            columns.append(start + 1)
            i += 1
            if i == chars.count { break }
        }
        return .success((fields, columns))
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
