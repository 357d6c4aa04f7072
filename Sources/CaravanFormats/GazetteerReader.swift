import Foundation
import CaravanModel

/// Reads `data/gazetteer/cities.tsv` (written by tools/gazetteer.py) at the byte level: no
/// Unicode work per line (bench/batch.sh measures what a lookup adds to a command).
public enum GazetteerReader {
    /// Where the bundled gazetteer is: `gazetteer/cities.tsv` beside the dataset folder.
    public static func path(besideDataset folder: String) -> String {
        ((folder as NSString).deletingLastPathComponent as NSString).appendingPathComponent("gazetteer/cities.tsv")
    }

    public static func load(path: String) throws(InputErrors) -> Gazetteer {
        let (data, file) = try contents(path)
        return try parse(data, file: file)
    }

    static func contents(_ path: String) throws(InputErrors) -> (Data, file: String) {
        let file = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputErrors([Diagnostic(file: file, line: 1, column: 1, message: "cannot read the gazetteer: run tools/gazetteer.py to make it")])
        }
        return (data, file)
    }

    /// Only the cities with `key` among their search keys: a byte scan of the file for the
    /// key as a whole `;`-separated token, then the matching lines parsed. A CLI call that
    /// names one city needs no more (the full parse and index cost tens of milliseconds).
    public static func load(path: String, key: String) throws(InputErrors) -> Gazetteer {
        let (data, file) = try contents(path)
        let needle = Array(key.utf8)
        guard !needle.isEmpty, !needle.contains(9), !needle.contains(10), !needle.contains(59) else { return Gazetteer() }
        var lines = Data()
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let b = raw.bindMemory(to: UInt8.self), n = b.count, m = needle.count
            var i = 0, lastLine = -1
            while i + m <= n {
                if b[i] == needle[0], i > 0, b[i - 1] == 9 || b[i - 1] == 59 {
                    var j = 1
                    while j < m && b[i + j] == needle[j] { j += 1 }
                    let after = i + m < n ? b[i + m] : 10
                    if j == m && (after == 59 || after == 10 || after == 13) {
                        var start = i
                        while start > 0 && b[start - 1] != 10 { start -= 1 }
                        var end = i
                        while end < n && b[end] != 10 { end += 1 }
                        // Keys are the last field: the token must follow the line's sixth tab.
                        var tabs = 0
                        for k in start..<i where b[k] == 9 { tabs += 1 }
                        if tabs == 6 && start != lastLine {
                            lines.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<end])); lines.append(10); lastLine = start
                        }
                        i = end; continue
                    }
                }
                i += 1
            }
        }
        return try parse(lines, file: file)
    }

    public static func parse(_ data: Data, file: String) throws(InputErrors) -> Gazetteer {
        var g = Gazetteer()
        var problems: [Diagnostic] = []
        let bytes = [UInt8](data)
        var lineNo = 0, start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        func text(_ a: Int, _ b: Int) -> String { String(decoding: bytes[a..<b], as: UTF8.self) }
        while start < bytes.count, problems.count < 20 {
            var end = start
            while end < bytes.count && bytes[end] != 10 { end += 1 }
            lineNo += 1
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
            defer { start = end + 1 }
            if lineEnd == start || bytes[start] == 35 { continue }   // blank or '#'
            var fields: [(Int, Int)] = []
            var f = start
            for i in start...lineEnd where i == lineEnd || bytes[i] == 9 { fields.append((f, i)); f = i + 1 }
            guard fields.count == 7, let id = Int32(text(fields[0].0, fields[0].1)), let lat = Double(text(fields[3].0, fields[3].1)),
                  let lon = Double(text(fields[4].0, fields[4].1)), let pop = Int32(text(fields[5].0, fields[5].1)),
                  (-90...90).contains(lat), (-180...180).contains(lon), fields[2].1 - fields[2].0 == 2 else {
                problems.append(Diagnostic(file: file, line: lineNo, column: 1,
                                           message: "expected 7 tab-separated fields: geonameid, name, country, lat, lon, population, keys")); continue
            }
            var keys: [String] = []
            var k = fields[6].0
            for i in fields[6].0...fields[6].1 where i == fields[6].1 || bytes[i] == 59 {
                if i > k { keys.append(text(k, i)) }
                k = i + 1
            }
            g.append(geonameID: id, name: text(fields[1].0, fields[1].1), country: text(fields[2].0, fields[2].1), lat: lat, lon: lon, population: pop, keys: keys)
        }
        if !problems.isEmpty { throw InputErrors(problems) }
        return g
    }
}
