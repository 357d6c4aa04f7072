/// Everything the dataset says about one source: the source row, the figures it states for
/// values (`source-figures.csv`) and every row that cites it. Answers "where does that come
/// from?" for an id shown in a route's detail or a table's notes.
public struct SourceReport: Hashable, Sendable, Codable {
    /// The source row.
    public var source: Source
    /// The figures this source states for values of the dataset.
    public var figures: [SourceFigure]
    /// The rows citing it, in file and line order.
    public var citations: [Citation]
}

extension Dataset {
    /// The report of source `id`; nil when no source has that id.
    public func sourceReport(_ id: String) -> SourceReport? {
        guard let s = sources.first(where: { $0.id == id }) else { return nil }
        // The figures' own rows (source-figures.csv and its parts) are reported as figures, not citations.
        let cited = (citations[id] ?? []).filter { !$0.file.hasPrefix("source-figures") }
            .sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
        return SourceReport(source: s, figures: sourceFigures.filter { $0.source == id }, citations: cited)
    }

    /// Sources whose id, publisher, title or address contains every word of `text`
    /// (case- and diacritic-insensitive), in id order.
    public func searchSources(_ text: String) -> [Source] {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map { PlaceResolver.normalize(String($0)) }.filter { !$0.isEmpty }
        guard !words.isEmpty else { return [] }
        return sources.filter { s in
            let hay = PlaceResolver.normalize([s.id, s.publisher, s.title, s.url].joined(separator: " "))
            return words.allSatisfy { hay.contains($0) }
        }.sorted { $0.id < $1.id }
    }
}
