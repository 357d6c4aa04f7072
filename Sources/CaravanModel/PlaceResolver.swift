import Foundation

/// Resolves what a user typed ("xian", "Xi'an", "Böyük Kəsik") to places:
/// by id, then by name or alias, ignoring case, diacritics and punctuation.
public struct PlaceResolver: Sendable {
    /// The outcome of a query as place indices: one place, several (ambiguous), or none with suggestions.
    public enum Resolution: Equatable, Sendable {
        case found(Int)
        case ambiguous([Int])
        case notFound(suggestions: [Int])
    }

    private let places: [Place]
    private let keys: [[String]]

    /// Builds the folded search keys (id, name, aliases) of the places.
    public init(places: [Place]) {
        self.places = places
        // Aliases in other scripts fold to nothing: dropped, so they cannot match every query.
        keys = places.map { p in ([PlaceResolver.normalize(p.id), PlaceResolver.normalize(p.name)] + p.aliases.map(PlaceResolver.normalize)).filter { !$0.isEmpty } }
    }

    /// Lowercase ASCII letters and digits only, diacritics folded (ł→l, ə→e, ı→i).
    public static func normalize(_ text: String) -> String {
        let special: [Character: String] = ["ł": "l", "Ł": "l", "ı": "i", "ə": "e", "Ə": "e", "ß": "ss", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "æ": "ae"]
        var replaced = ""
        for ch in text { replaced += special[ch] ?? String(ch) }
        let folded = replaced.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        return String(folded.unicodeScalars.filter { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") }.map(Character.init))
    }

    /// Resolves a query: exact id, then a unique folded id, then a unique folded id, name or alias match.
    public func resolve(_ query: String) -> Resolution {
        if let exact = places.firstIndex(where: { $0.id == query }) { return .found(exact) }
        let q = PlaceResolver.normalize(query)
        guard !q.isEmpty else { return .notFound(suggestions: []) }
        let idHits = keys.indices.filter { keys[$0][0] == q }
        if idHits.count == 1 { return .found(idHits[0]) }
        let hits = keys.indices.filter { keys[$0].contains(q) }
        if hits.count == 1 { return .found(hits[0]) }
        if hits.count > 1 { return .ambiguous(hits) }
        return .notFound(suggestions: nearest(q, limit: 5))
    }

    /// Places whose id, name or an alias contains the query; all places for an empty query.
    public func search(_ query: String) -> [Int] {
        let q = PlaceResolver.normalize(query)
        if q.isEmpty { return Array(places.indices) }
        return places.indices.filter { keys[$0].contains { $0.contains(q) } }
    }

    /// Places with a key (id, name or alias) one edit (or one transposition) from the folded query.
    public func oneEditAway(_ q: String) -> [Int] {
        guard q.utf8.count >= 3, q.utf8.count <= Suggest.maxLength else { return [] }
        return places.indices.filter { i in keys[i].contains { abs($0.utf8.count - q.utf8.count) <= 1 && PlaceResolver.editDistance(q, $0) <= 1 } }
    }

    /// The places whose keys are closest to the query (a folded key) by edit distance, within
    /// `Suggest.threshold`; a key the query begins counts as distance 1. Ties by id.
    public func nearest(_ q: String, limit: Int) -> [Int] {
        guard !q.isEmpty, q.utf8.count <= Suggest.maxLength else { return [] }
        let threshold = Suggest.threshold(for: q)
        let scored = places.indices.compactMap { i -> (Int, Int)? in
            let d = keys[i].map { key -> Int in
                if q.count >= 3 && key.hasPrefix(q) { return 1 }
                return PlaceResolver.editDistance(q, key)
            }.min() ?? Int.max
            return d <= threshold ? (d, i) : nil
        }
        return scored.sorted { ($0.0, places[$0.1].id) < ($1.0, places[$1.1].id) }.prefix(limit).map(\.1)
    }

    /// Edit distance with adjacent transpositions (optimal string alignment: `xain` is one edit
    /// from `xian`), over the first `Suggest.maxLength` bytes of each string.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8.prefix(Suggest.maxLength)), b = Array(b.utf8.prefix(Suggest.maxLength))
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1), prev = Array(0...b.count), cur = before
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                var d = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] { d = min(d, before[j - 2] + 1) }
                cur[j] = d
            }
            (before, prev, cur) = (prev, cur, before)
        }
        return prev[b.count]
    }
}
