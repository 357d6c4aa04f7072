import Foundation

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
        let bytes = Array(TextInput.normalize(text).utf8)
        // Lines split on the newline byte (memchr): after normalisation "\n" is never part of a
        // larger character. ASCII lines, most of them, are parsed as bytes.
        bytes.withUnsafeBufferPointer { buf in
            var start = 0
            while start <= buf.count {
                let end = offset(of: UInt8(ascii: "\n"), in: buf, from: start)
                lineNumber += 1
                let line = UnsafeBufferPointer(rebasing: buf[start..<end])
                start = end + 1
                guard let first = line.first(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }), first != UInt8(ascii: "#") else { continue }
                let parsed = isASCII(line) ? parseASCIILine(line) : parseLine(Substring(decoding: line, as: UTF8.self))
                switch parsed {
                case .success(let (fields, columns)): records.append(CSVRecord(line: lineNumber, fields: fields, columns: columns))
                case .failure(let e): problems.append(Diagnostic(file: file, line: lineNumber, column: e.column, message: e.message))
                }
            }
        }
        if !problems.isEmpty { throw InputErrors(problems) }
        guard let header = records.first else {
            throw InputErrors([Diagnostic(file: file, line: 1, column: 1, message: "no header line: the file is empty or only comments")])
        }
        return (header, Array(records.dropFirst()))
    }

    struct LineError: Error, Equatable { var column: Int; var message: String }

    /// `parseLine` for a line of ASCII bytes (most data lines): the same fields, columns and
    /// errors, without the cost of splitting the text into characters.
    /// The index of the first `byte` in `b` at or after `i`, or `b.count` (memchr).
    static func offset(of byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        guard i < b.count, let base = b.baseAddress, let hit = memchr(base + i, Int32(byte), b.count - i) else { return b.count }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    }

    /// True when every byte is below 0x80 (eight at a time).
    static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = b.baseAddress else { return true }
        let raw = UnsafeRawPointer(p)
        var i = 0
        while i + 8 <= b.count {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < b.count { if b[i] >= 0x80 { return false }; i += 1 }
        return true
    }

    static func parseASCIILine(_ line: [UInt8]) -> Result<([String], [Int]), LineError> {
        line.withUnsafeBufferPointer { parseASCIILine($0) }
    }

    static func parseASCIILine(_ line: UnsafeBufferPointer<UInt8>) -> Result<([String], [Int]), LineError> {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        var fields: [String] = [], columns: [Int] = []
        let n = line.count   // index n is the sentinel comma that ends the last field
        func at(_ i: Int) -> UInt8 { i < n ? line[i] : comma }
        func find(_ byte: UInt8, from i: Int) -> Int { offset(of: byte, in: line, from: i) }
        var i = 0
        while i <= n {
            let start = i
            var field: [UInt8] = []
            if at(i) == quote {
                i += 1
                var closed = false
                while i < n {
                    if line[i] == quote {
                        if i + 1 < n, line[i + 1] == quote { field.append(quote); i += 2; continue }
                        closed = true; i += 1; break
                    }
                    field.append(line[i]); i += 1
                }
                if !closed { return .failure(LineError(column: start + 1, message: "unterminated quoted field: close it with \"")) }
                if at(i) != comma {
                    return .failure(LineError(column: i + 1, message: "unexpected character after a closing quote: put a comma after the quoted field"))
                }
            } else {
                i = find(comma, from: i)
                field = Array(UnsafeBufferPointer(rebasing: line[start..<i]))
                if find(quote, from: start) < i {
                    return .failure(LineError(column: start + 1, message: "quote inside an unquoted field: quote the whole field and double the inner quote"))
                }
            }
            var lo = 0, hi = field.count
            while lo < hi, field[lo] == space || field[lo] == tab { lo += 1 }
            while hi > lo, field[hi - 1] == space || field[hi - 1] == tab { hi -= 1 }
            fields.append(String(decoding: field[lo..<hi], as: UTF8.self))
            columns.append(start + 1)
            i += 1
            if i == n + 1 { break }
        }
        return .success((fields, columns))
    }

    static func parseLine(_ line: Substring) -> Result<([String], [Int]), LineError> {
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
