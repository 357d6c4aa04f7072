import Foundation
import CaravanModel

/// Reads an O-D pair list: CSV with `origin,destination` and optional `weight`, `group`,
/// `source`, `note`. Places may be ids, names or aliases; errors name file:line:column.
public enum PairsReader {
    public struct Row: Sendable { public var origin: Int; public var destination: Int; public var weight: Double; public var group: String }

    public static func load(path: String, dataset: Dataset) throws(InputErrors) -> [Row] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputErrors([Diagnostic(file: path, line: 0, column: 0, message: "cannot read the pairs file")])
        }
        let log = DiagnosticLog()
        let file = (path as NSString).lastPathComponent
        guard let t = Table(text: String(decoding: data, as: UTF8.self), file: file, required: ["origin", "destination"],
                            optional: ["weight", "group", "source", "note"], log: log) else { throw InputErrors(log.items) }
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
        if rows.isEmpty { throw InputErrors([Diagnostic(file: file, line: 0, column: 0, message: "no pairs in the file")]) }
        return rows
    }
}
