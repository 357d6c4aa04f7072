import Foundation
import Yams
import CaravanModel

/// YAML read into a node tree with positions; a syntax error becomes a diagnostic with
/// file:line:column (scenarios, sweep specs).
enum YAMLInput {
    static func compose(_ text: String, file: String) throws(InputErrors) -> Node? {
        do { return try Yams.compose(yaml: TextInput.normalize(text)) } catch {
            var line = 0, column = 0, message = "\(error)"
            if let y = error as? YamlError {
                switch y {
                case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                    line = mark.line; column = mark.column; message = problem
                case .duplicatedKeysInMapping(let duplicates, let context):
                    line = context.mark.line; column = context.mark.column
                    message = "duplicate key\(duplicates.count == 1 ? "" : "s") \(duplicates.sorted().map { "'\(TextInput.shown($0, limit: 40))'" }.joined(separator: ", ")) in one mapping: keep one"
                case .reader(let problem, _, _, _): line = 1; column = 1; message = problem
                default: line = 1; column = 1; message = "the text cannot be read as YAML"
                }
            }
            throw InputErrors([Diagnostic(file: file, line: line, column: column, message: "not valid YAML: \(message)")])
        }
    }
}

/// Reads typed fields from YAML nodes, collecting problems with their positions instead of
/// stopping at the first (scenario and sweep readers).
protocol YAMLFieldReader {
    var file: String { get }
    var problems: [Diagnostic] { get set }
}

extension YAMLFieldReader {
    mutating func problem(_ node: Node?, _ message: String) {
        let m = node?.mark
        problems.append(Diagnostic(file: file, line: m?.line ?? 0, column: m?.column ?? 0, message: message))
    }

    func suggest(_ id: String, _ candidates: [String]) -> String { Suggest.hint(id, in: candidates) }

    mutating func string(_ node: Node?, _ what: String) -> String? {
        guard let node else { return nil }
        guard let s = node.scalar?.string, !s.isEmpty else { problem(node, "\(what): expected text"); return nil }
        return s
    }

    /// A number within [min, max]; every scenario number is within ±`Table.bound`, as in datasets.
    mutating func number(_ node: Node?, _ what: String, min: Double = -Table.bound, max: Double = Table.bound) -> Double? {
        guard let node else { return nil }
        guard let s = node.scalar?.string, let v = Double(s), v.isFinite else { problem(node, "\(what): expected a number"); return nil }
        if v < min || v > max {
            problem(node, "\(what): \(TextInput.shown(s, limit: 40)) is out of range: must be between \(Table.format(min)) and \(Table.format(max))"); return nil
        }
        return v
    }

    mutating func list(_ node: Node?, _ what: String) -> [String] {
        guard let node else { return [] }
        if let s = node.scalar?.string { return [s] }
        guard let seq = node.sequence else { problem(node, "\(what): expected a list like [a, b]"); return [] }
        return seq.compactMap { n in string(n, what) }
    }

    mutating func day(_ node: Node?, _ what: String) -> Day? {
        guard let node else { return nil }
        guard let s = node.scalar?.string, let d = Day(iso: s) else { problem(node, "\(what): expected a date YYYY-MM-DD"); return nil }
        return d
    }

    /// Checks the keys of a mapping against the allowed ones.
    mutating func keys(_ m: Node.Mapping, _ node: Node, allowed: [String], required: [String] = [], what: String) -> [String: Node] {
        var out: [String: Node] = [:]
        for (k, v) in m {
            guard let key = k.scalar?.string else { problem(k, "\(what): keys must be text"); continue }
            if !allowed.contains(key) {
                problem(k, "\(what): unknown key '\(key)'\(suggest(key, allowed)); allowed: \(allowed.joined(separator: ", "))")
            } else { out[key] = v }
        }
        for r in required where out[r] == nil { problem(node, "\(what): missing '\(r)'") }
        return out
    }
}
