import Foundation
import CaravanModel

/// Reads an O-D pair list: CSV with `origin,destination` and optional `weight`, `group`,
/// `source`, `note`. Places may be ids, names or aliases; errors name file:line:column.
public enum PairsReader {
    static let schema = TableSchema("pairs", required: ["origin", "destination"], optional: ["weight", "group", "source", "note"], mandatory: true)
    public struct Row: Sendable { public var origin: Int; public var destination: Int; public var weight: Double; public var group: String }

    public static func load(path: String, dataset: Dataset) throws(InputErrors) -> [Row] {
        let file = (path as NSString).lastPathComponent
        let text = try TextInput.read(path: path, shownAs: file, what: "pairs file")
        let log = DiagnosticLog()
        guard let t = Table(text: text, file: file, schema: schema, log: log) else { throw InputErrors(log.items) }
        let resolver = PlaceResolver(places: dataset.places)
        var rows: [Row] = []
        for r in t.rows {
            let ends = t.endpoints(r, resolver, dataset.places)
            let w = t.raw(r, "weight").isEmpty ? 1 : t.number(r, "weight", min: 0)
            guard let (o, d) = ends, let w else { continue }
            if o == d { t.error(r, "destination", "origin and destination are the same place"); continue }
            rows.append(Row(origin: o, destination: d, weight: w, group: t.raw(r, "group")))
        }
        if !log.items.isEmpty { throw InputErrors(log.items) }
        if rows.isEmpty { throw InputErrors([Diagnostic(file: file, line: 1, column: 1, message: "no pairs in the file")]) }
        return rows
    }
}

extension PairsReader {
    /// One row of a batch file as typed, before places are resolved.
    public struct TypedRow: Sendable {
        public var line: Int; public var origin: String; public var destination: String
        public init(line: Int, origin: String, destination: String) { self.line = line; self.origin = origin; self.destination = destination }
    }

    /// Reads the rows of an O-D file without resolving places: batches resolve each row on
    /// its own and report a bad row by line instead of rejecting the file. Only a file that
    /// cannot be read as a table (no header, missing columns) throws.
    public static func typedRows(path: String) throws(InputErrors) -> [TypedRow] {
        let file = (path as NSString).lastPathComponent
        let text = try TextInput.read(path: path, shownAs: file)
        let log = DiagnosticLog()
        guard let t = Table(text: text, file: file, schema: schema, log: log) else {
            throw InputErrors(log.items)
        }
        return t.rows.map { TypedRow(line: $0.line, origin: t.raw($0, "origin"), destination: t.raw($0, "destination")) }
    }
}
