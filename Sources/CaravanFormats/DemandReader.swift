import Foundation
import CaravanModel

/// Reads an O-D freight demand matrix: CSV with `origin,destination,class,amount,unit`
/// and optional `source`, `note`. Places may be ids, names or aliases; `class` is an id
/// from freight_classes.csv and `unit` must be its unit per year (`teu_per_year`,
/// `t_per_year` or `trucks_per_year`). Errors name file:line:column.
public enum DemandReader {
    static let schema = TableSchema("demand", required: ["origin", "destination", "class", "amount", "unit"], optional: ["source", "note"], mandatory: true)
    public static func load(path: String, dataset: Dataset) throws(InputErrors) -> [FreightDemand] {
        let file = (path as NSString).lastPathComponent
        let text = try TextInput.read(path: path, shownAs: file, what: "demand file")
        let log = DiagnosticLog()
        guard let t = Table(text: text, file: file, schema: schema, log: log) else { throw InputErrors(log.items) }
        let resolver = PlaceResolver(places: dataset.places)
        let classes = Dictionary(uniqueKeysWithValues: dataset.freightClasses.map { ($0.id, $0) })
        var rows: [FreightDemand] = []
        for r in t.rows {
            let ends = t.endpoints(r, resolver, dataset.places)
            guard let cid = t.string(r, "class"), let amount = t.number(r, "amount", min: 0), let unit = t.string(r, "unit") else { continue }
            guard let fc = classes[cid] else {
                t.error(r, "class", classes.isEmpty ? "the dataset defines no freight classes (freight_classes.csv)"
                                                     : "unknown freight class '\(cid)': use \(classes.keys.sorted().joined(separator: ", "))")
                continue
            }
            let expected = fc.demandUnit
            if unit != expected { t.error(r, "unit", "class '\(cid)' is counted in \(expected), not '\(unit)'"); continue }
            guard let (o, d) = ends else { continue }
            if o == d { t.error(r, "destination", "origin and destination are the same place"); continue }
            rows.append(FreightDemand(origin: o, destination: d, freightClass: cid, amountPerYear: amount))
        }
        if !log.items.isEmpty { throw InputErrors(log.items) }
        if rows.isEmpty { throw InputErrors([Diagnostic(file: file, line: 1, column: 1, message: "no demand rows in the file")]) }
        return rows
    }
}
