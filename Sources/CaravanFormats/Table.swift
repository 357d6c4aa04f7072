import CaravanModel

/// Collects diagnostics while a dataset is read, so that one run reports every problem.
final class DiagnosticLog {
    var items: [Diagnostic] = []
    func add(_ d: Diagnostic) { items.append(d) }
}

/// The columns of one table (a dataset file and its `NAME-*.csv` parts, a pairs or demand
/// file), declared next to the reader that uses them.
struct TableSchema: Sendable {
    let name: String
    let required: [String]
    let optional: [String]
    /// Every dataset must have this table.
    let mandatory: Bool
    init(_ name: String, required: [String], optional: [String], mandatory: Bool) {
        self.name = name; self.required = required; self.optional = optional; self.mandatory = mandatory
    }
    var columns: [String] { required + optional }
}

/// Typed, located access to the rows of one CSV file with a known set of columns.
struct Table {
    let file: String
    let header: CSVRecord
    let rows: [CSVRecord]
    let columnIndex: [String: Int]
    /// The columns the schema declares; reading another is a programming error.
    let declared: Set<String>
    let log: DiagnosticLog

    /// Reads a table, reporting unknown and missing columns at the header line.
    init?(text: String, file: String, schema: TableSchema, log: DiagnosticLog) {
        let required = schema.required, optional = schema.optional
        self.file = file; self.log = log; declared = Set(schema.columns)
        let parsed: (header: CSVRecord, rows: [CSVRecord])
        do { parsed = try CSVReader.parse(text, file: file) } catch { log.items += error.diagnostics; return nil }
        header = parsed.header
        rows = parsed.rows
        var index: [String: Int] = [:]
        let known = Set(required + optional)
        var ok = true
        for (i, name) in header.fields.enumerated() {
            if !known.contains(name) {
                let hint = Suggest.hint(name, in: known)
                log.add(Diagnostic(file: file, line: header.line, column: header.columns[i],
                                   message: "unknown column '\(name)'\(hint); allowed: \((required + optional).joined(separator: ", "))"))
                ok = false
            } else if index[name] != nil {
                log.add(Diagnostic(file: file, line: header.line, column: header.columns[i], message: "column '\(name)' appears twice"))
                ok = false
            } else { index[name] = i }
        }
        for name in required where index[name] == nil {
            log.add(Diagnostic(file: file, line: header.line, column: 1, message: "missing column '\(name)': add it to the header"))
            ok = false
        }
        columnIndex = index
        if !ok { return nil }
        for row in rows where row.fields.count != header.fields.count {
            log.add(Diagnostic(file: file, line: row.line, column: row.columns.last ?? 1,
                               message: "\(row.fields.count) fields, but the header has \(header.fields.count): quote fields that contain commas"))
            ok = false
        }
        if !ok { return nil }
    }


    /// The field as written; "" when the file leaves out this optional column.
    func raw(_ row: CSVRecord, _ column: String) -> String {
        // A reader asking for a column its schema does not declare would blame the user's data
        // for a typo in the code; the bundled-data and fuzz tests run every reader.
        precondition(declared.contains(column), "\(file): column '\(column)' is not declared in the table's schema")
        guard let i = columnIndex[column] else { return "" }
        return row.fields[i]
    }

    func error(_ row: CSVRecord, _ column: String, _ message: String) {
        let col = columnIndex[column].map { row.columns[$0] } ?? 1
        log.add(Diagnostic(file: file, line: row.line, column: col, message: "\(column): \(message)"))
    }

    /// A required or optional text field.
    func string(_ row: CSVRecord, _ column: String, required: Bool = true) -> String? {
        let v = raw(row, column)
        if v.isEmpty {
            if required { error(row, column, "missing value: this field is required") }
            return nil
        }
        return v
    }

    /// An id: lowercase letters, digits and '-' (or '_' when `allowUnderscore`).
    func id(_ row: CSVRecord, _ column: String, allowUnderscore: Bool = false, allowUppercase: Bool = false) -> String? {
        guard let v = string(row, column) else { return nil }
        let ok = v.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" || (allowUnderscore && $0 == "_") || (allowUppercase && $0 >= "A" && $0 <= "Z")
        }
        if !ok { error(row, column, "'\(v)' is not a valid id: use \(allowUppercase ? "letters" : "lowercase letters"), digits and '-'"); return nil }
        return v
    }

    /// Every dataset number lies within ±`bound` unless its column states a narrower range:
    /// far beyond any real length, time, tariff or capacity, and small enough that sums and
    /// products of a route's values stay finite.
    static let bound = Parameters.valueBound

    /// A number within a range (±`Table.bound` when no range is given); nil (and a diagnostic
    /// when required) when absent or bad.
    func number(_ row: CSVRecord, _ column: String, required: Bool = true, min: Double? = nil, max: Double? = nil,
                exclusiveMin: Bool = false) -> Double? {
        let min = min ?? -Table.bound, max = Swift.min(max ?? Table.bound, Table.bound)
        guard let text = string(row, column, required: required) else { return nil }
        guard let v = Double(text), v.isFinite, !text.contains(where: { $0 == "_" || $0 == "," }) else {
            error(row, column, "'\(TextInput.shown(text, limit: 40))' is not a number: write digits with '.' as the decimal point")
            return nil
        }
        if exclusiveMin ? v <= min : v < min {
            error(row, column, "\(text) is out of range: must be \(exclusiveMin ? ">" : ">=") \(Table.format(min))"); return nil
        }
        if v > max { error(row, column, "\(text) is out of range: must be <= \(Table.format(max))"); return nil }
        return v
    }

    func day(_ row: CSVRecord, _ column: String, required: Bool = false) -> Day? {
        guard let text = string(row, column, required: required) else { return nil }
        guard let d = Day(iso: text) else { error(row, column, "'\(text)' is not a date: write YYYY-MM-DD"); return nil }
        return d
    }

    func validity(_ row: CSVRecord, from: String = "valid_from", to: String = "valid_to") -> Validity? {
        let a = day(row, from), b = day(row, to)
        if !raw(row, from).isEmpty && a == nil { return nil }
        if !raw(row, to).isEmpty && b == nil { return nil }
        if let a, let b, b <= a { error(row, to, "\(b) is not after \(from) \(a): the interval would be empty"); return nil }
        return Validity(from: a, to: b)
    }

    func list(_ row: CSVRecord, _ column: String) -> [String] {
        raw(row, column).split(separator: ";").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }

    func choice<T: RawRepresentable & CaseIterable>(_ row: CSVRecord, _ column: String, _ type: T.Type, required: Bool = true) -> T?
    where T.RawValue == String {
        guard let text = string(row, column, required: required) else { return nil }
        guard let v = T(rawValue: text) else {
            error(row, column, "'\(text)' is not one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))"); return nil
        }
        return v
    }

    static func format(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
}


extension Table {
    /// The origin and destination columns of a row, resolved by id, name or alias; nil (with
    /// the problem logged at the cell) when either is unknown or ambiguous.
    func endpoints(_ row: CSVRecord, _ resolver: PlaceResolver, _ places: [Place]) -> (Int, Int)? {
        var ends: [Int] = []
        for col in ["origin", "destination"] {
            guard let q = string(row, col) else { continue }
            switch resolver.resolve(q) {
            case .found(let i): ends.append(i)
            case .ambiguous(let hits): error(row, col, "'\(q)' is ambiguous: use one of \(hits.map { places[$0].id }.joined(separator: ", "))")
            case .notFound(let near): error(row, col, "unknown place '\(q)'; nearest: \(near.prefix(3).map { places[$0].id }.joined(separator: ", "))")
            }
        }
        return ends.count == 2 ? (ends[0], ends[1]) : nil
    }
}
