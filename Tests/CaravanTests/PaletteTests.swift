import Testing
import Foundation

/// The web page's legend colours stay apart: every pair at least ΔE 20 in CIELAB (CIE76,
/// sRGB under D65), read from the files the page ships (style.css keys, the corridor list and
/// the best-route colour in app.js).
@Suite("Web page palette")
struct PaletteTests {
    static let web = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/CaravanServer/Resources/web")

    static func lab(_ hex: String) -> (Double, Double, Double) {
        var h = hex.dropFirst().map(String.init)
        if h.count == 3 { h = h.flatMap { [$0, $0] } }
        let v = Int(h.joined(), radix: 16)!
        func lin(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        let r = lin(Double((v >> 16) & 255) / 255), g = lin(Double((v >> 8) & 255) / 255), b = lin(Double(v & 255) / 255)
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, y = 0.2126 * r + 0.7152 * g + 0.0722 * b, z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
        func f(_ t: Double) -> Double { t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116 }
        return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))
    }

    static func matches(_ pattern: String, in text: String) -> [[String]] {
        let re = try! NSRegularExpression(pattern: pattern)
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
            (1..<m.numberOfRanges).map { String(text[Range(m.range(at: $0), in: text)!]) }
        }
    }

    @Test("legend colours: corridors, best route, modes, status and energy are at least ΔE 20 apart")
    func legendColoursApart() throws {
        let css = try String(contentsOf: Self.web.appendingPathComponent("style.css"), encoding: .utf8)
        let js = try String(contentsOf: Self.web.appendingPathComponent("app.js"), encoding: .utf8)
        var colours: [(String, String)] = Self.matches(#"\.key\.([a-z_]+)::before \{ color: (#[0-9A-Fa-f]{3,6}); \}"#, in: css).map { ($0[0], $0[1]) }
        let list = try #require(Self.matches(#"const COLORS = \[([^\]]*)\]"#, in: js).first?.first)
        colours += Self.matches(#""(#[0-9A-Fa-f]{6})""#, in: list).enumerated().map { ("corridor \($0.offset + 1)", $0.element[0]) }
        colours += Self.matches(#"const BEST_COLOR = "(#[0-9A-Fa-f]{6})""#, in: js).map { ("best overall", $0[0]) }
        #expect(colours.count >= 20, "found \(colours.count) legend colours: \(colours)")
        var closest = (Double.infinity, "", "")
        for i in colours.indices {
            for j in colours.indices where j > i {
                let a = Self.lab(colours[i].1), b = Self.lab(colours[j].1)
                let d = ((a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1) + (a.2 - b.2) * (a.2 - b.2)).squareRoot()
                if d < closest.0 { closest = (d, colours[i].0, colours[j].0) }
            }
        }
        #expect(closest.0 >= 20, "\(closest.1) and \(closest.2) are only ΔE \(closest.0) apart")
        // Reference values: white, and sRGB red in CIELAB (D65) is about (53.2, 80.1, 67.2).
        let red = Self.lab("#ff0000")
        #expect(abs(red.0 - 53.24) < 0.1 && abs(red.1 - 80.09) < 0.2 && abs(red.2 - 67.20) < 0.2)
    }
}
