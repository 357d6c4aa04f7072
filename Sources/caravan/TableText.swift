import Foundation
import CaravanModel

/// Plain-text tables sized for an 80-column terminal.
struct TextTable {
    enum Align { case left, right }
    var columns: [(title: String, align: Align, width: Int)]
    var rows: [[String]] = []

    init(_ columns: [(String, Align, Int)]) { self.columns = columns.map { (title: $0.0, align: $0.1, width: $0.2) } }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        func cell(_ s: String, _ c: (title: String, align: Align, width: Int)) -> String {
            let t = s.count > c.width ? String(s.prefix(max(0, c.width - 1))) + "…" : s
            let pad = String(repeating: " ", count: max(0, c.width - t.count))
            return c.align == .left ? t + pad : pad + t
        }
        var lines = [columns.map { cell($0.title, $0) }.joined(separator: " ")]
        for r in rows { lines.append(zip(r, columns).map { cell($0, $1) }.joined(separator: " ")) }
        return lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n")
    }
}

enum Fmt {
    static func int(_ v: Double) -> String {
        // Int(_:) traps beyond ±9.2e18 and on NaN: show such values in exponent form.
        guard v.isFinite, abs(v) < 1e15 else { return v.isFinite ? String(format: "%.3g", v) : "n/a" }
        let n = Int(v.rounded())
        let s = String(abs(n))
        var out = ""
        for (i, ch) in s.enumerated() { if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }; out.append(ch) }
        return (n < 0 ? "-" : "") + out
    }
    static func days(_ v: Double) -> String { String(format: "%.1f", v) }
    static func dec(_ v: Double, _ places: Int) -> String {
        let s = String(format: "%.\(places)f", v)
        // A value that rounds to zero prints without a sign ("-0" reads as a negative result).
        return s.hasPrefix("-") && s.dropFirst().allSatisfy { $0 == "0" || $0 == "." } ? String(s.dropFirst()) : s
    }
}
