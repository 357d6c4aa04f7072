/// "Did you mean" for every reader and command: the candidates closest to what was typed,
/// by edit distance. Inputs are cut to `maxLength` bytes first, so a huge unknown id costs
/// linear time, not quadratic.
public enum Suggest {
    /// Bytes of the query and of each candidate that are compared.
    public static let maxLength = 64

    /// The largest edit distance still offered as a suggestion for a query of this length.
    public static func threshold(for query: String) -> Int { max(2, query.count / 3) }

    /// Up to `limit` candidates within `threshold(for:)` of the query, closest first, ties by name.
    /// - Complexity: O(candidates × maxLength²).
    public static func closest(_ query: String, in candidates: some Sequence<String>, limit: Int = 3) -> [String] {
        guard query.utf8.count <= maxLength, !query.isEmpty else { return [] }
        let threshold = threshold(for: query)
        let scored = candidates.map { (PlaceResolver.editDistance(query, $0), $0) }.filter { $0.0 <= threshold }
        return scored.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.prefix(limit).map(\.1)
    }

    /// " (did you mean 'a', 'b'?)", or "" when nothing is close.
    public static func hint(_ query: String, in candidates: some Sequence<String>) -> String {
        let best = closest(query, in: candidates)
        return best.isEmpty ? "" : " (did you mean \(best.map { "'\($0)'" }.joined(separator: ", "))?)"
    }
}
