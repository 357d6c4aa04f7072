/// A small linear program: minimise c·x subject to rows of the form a·x (=, <=, >=) b, x >= 0.
/// Solved by a two-phase dense-tableau primal simplex with Bland's rule (no cycling, and the
/// same pivots on every run). Meant for the energy model's few hundred variables, where a dense
/// tableau is simpler and faster than sparse machinery; duals are returned for sensitivity.
public struct LinearProgram: Sendable {
    /// How a row's left side compares with its right-hand side.
    public enum Relation: Sendable { case equal, lessOrEqual, greaterOrEqual }
    /// One constraint: a sparse sum of coefficient × variable compared with a right-hand side.
    public struct Row: Sendable {
        /// The terms (variable index, coefficient); terms of the same variable add up.
        public var terms: [(variable: Int, coefficient: Double)]
        /// =, ≤ or ≥.
        public var relation: Relation
        /// The right-hand side b.
        public var rhs: Double
        /// Creates a row from its terms, relation and right-hand side.
        public init(_ terms: [(variable: Int, coefficient: Double)], _ relation: Relation, _ rhs: Double) {
            self.terms = terms; self.relation = relation; self.rhs = rhs
        }
    }
    /// Number of variables, all non-negative.
    public var variableCount: Int
    /// Cost coefficient of each variable (the objective is minimised).
    public var objective: [Double]
    /// The constraints.
    public var rows: [Row] = []

    /// Creates a program with `variableCount` variables, a zero objective and no rows.
    public init(variableCount: Int) {
        self.variableCount = variableCount
        objective = [Double](repeating: 0, count: variableCount)
    }

    /// Outcome of a solve; `pivotLimit` when `maxPivots` pivots did not reach an answer.
    public enum Status: String, Sendable, Codable { case optimal, infeasible, unbounded, pivotLimit = "pivot_limit" }

    /// Result of a solve: status, variable values, objective, row duals and pivot count.
    public struct Solution: Sendable {
        /// Optimal, infeasible or unbounded.
        public var status: Status
        /// Value of each variable (zeros when infeasible).
        public var x: [Double]
        /// c·x at the solution (NaN when infeasible).
        public var objective: Double
        /// d(objective)/d(rhs) of each row at the optimum (<= 0 for a binding <= row of a minimisation).
        public var duals: [Double]
        /// Simplex pivots made in both phases.
        public var pivots: Int
    }

    /// Solves the program by the two-phase simplex, with `eps` as the zero tolerance and at most `maxPivots` pivots.
    public func solve(tolerance eps: Double = 1e-9, maxPivots: Int = 1_000_000) -> Solution {
        let m = rows.count, n = variableCount
        // Columns: originals, one slack/surplus per inequality, one artificial per = or >= row (after making rhs >= 0).
        var sign = [Double](repeating: 1, count: m)
        var relation = rows.map(\.relation)
        for i in 0..<m where rows[i].rhs < 0 {
            sign[i] = -1
            switch relation[i] { case .lessOrEqual: relation[i] = .greaterOrEqual; case .greaterOrEqual: relation[i] = .lessOrEqual; case .equal: break }
        }
        var slackCol = [Int](repeating: -1, count: m), artCol = [Int](repeating: -1, count: m)
        var cols = n
        for i in 0..<m where relation[i] != .equal { slackCol[i] = cols; cols += 1 }
        let firstArtificial = cols
        for i in 0..<m where relation[i] != .lessOrEqual { artCol[i] = cols; cols += 1 }
        let width = cols + 1   // last column: rhs
        var t = [Double](repeating: 0, count: (m + 1) * width)   // row m: reduced costs
        var basis = [Int](repeating: 0, count: m)
        for i in 0..<m {
            for (j, a) in rows[i].terms { t[i * width + j] += sign[i] * a }
            t[i * width + cols] = sign[i] * rows[i].rhs
            if slackCol[i] >= 0 { t[i * width + slackCol[i]] = relation[i] == .lessOrEqual ? 1 : -1 }
            if artCol[i] >= 0 { t[i * width + artCol[i]] = 1; basis[i] = artCol[i] } else { basis[i] = slackCol[i] }
        }
        var pivots = 0
        func pivot(_ r: Int, _ c: Int) {
            let p = t[r * width + c]
            for j in 0..<width { t[r * width + j] /= p }
            for i in 0...m where i != r {
                let f = t[i * width + c]
                if f != 0 { for j in 0..<width { t[i * width + j] -= f * t[r * width + j] } }
            }
            basis[r] = c; pivots += 1
        }
        /// Sets the cost row to reduced costs of `cost` for the current basis.
        func price(_ cost: [Double]) {
            for j in 0..<width { t[m * width + j] = j < cols ? cost[j] : 0 }
            for i in 0..<m where cost[basis[i]] != 0 {
                let cb = cost[basis[i]]
                for j in 0..<width { t[m * width + j] -= cb * t[i * width + j] }
            }
        }
        /// Bland's rule: lowest-index entering column with negative reduced cost; lowest-index basic variable on ties.
        func iterate(allowed: Int) -> Status {
            while pivots < maxPivots {
                var enter = -1
                for j in 0..<allowed where t[m * width + j] < -eps { enter = j; break }
                if enter < 0 { return .optimal }
                var leave = -1, best = Double.infinity
                for i in 0..<m {
                    let a = t[i * width + enter]
                    guard a > eps else { continue }
                    let ratio = t[i * width + cols] / a
                    if ratio < best - eps || (abs(ratio - best) <= eps && leave >= 0 && basis[i] < basis[leave]) { best = ratio; leave = i }
                }
                if leave < 0 { return .unbounded }
                pivot(leave, enter)
            }
            return .pivotLimit
        }
        // Phase 1: minimise the sum of artificials.
        var phase1 = [Double](repeating: 0, count: cols)
        for j in firstArtificial..<cols { phase1[j] = 1 }
        price(phase1)
        if iterate(allowed: cols) == .pivotLimit {
            return Solution(status: .pivotLimit, x: [Double](repeating: 0, count: n), objective: .nan, duals: [Double](repeating: 0, count: m), pivots: pivots)
        }
        if -t[m * width + cols] > 1e-7 * max(1, rows.reduce(0) { max($0, abs($1.rhs)) }) {
            return Solution(status: .infeasible, x: [Double](repeating: 0, count: n), objective: .nan, duals: [Double](repeating: 0, count: m), pivots: pivots)
        }
        // Drive artificials at zero level out of the basis where a real column can replace them.
        for i in 0..<m where basis[i] >= firstArtificial {
            if let j = (0..<firstArtificial).first(where: { abs(t[i * width + $0]) > eps }) { pivot(i, j) }
        }
        // Phase 2: the real objective; artificials may not re-enter.
        var cost = [Double](repeating: 0, count: cols)
        for j in 0..<n { cost[j] = objective[j] }
        price(cost)
        let status = iterate(allowed: firstArtificial)
        var x = [Double](repeating: 0, count: n)
        for i in 0..<m where basis[i] < n { x[basis[i]] = t[i * width + cols] }
        var z = 0.0
        for j in 0..<n { z += objective[j] * x[j] }
        // Dual of row i = c_B B^-1 e_i, read from the reduced cost of the column that was e_i at the start.
        var duals = [Double](repeating: 0, count: m)
        for i in 0..<m {
            if relation[i] == .lessOrEqual { duals[i] = -t[m * width + slackCol[i]] * sign[i] }
            else { duals[i] = -t[m * width + artCol[i]] * sign[i] }
        }
        return Solution(status: status, x: x, objective: z, duals: duals, pivots: pivots)
    }
}

extension LinearProgram {
    /// The program in dense form (min c·x, A_eq x = b_eq, A_ub x <= b_ub, x >= 0) with this
    /// solver's result, as JSON-ready values for an external solver (tools/check_energy_lp.py).
    public func jsonObject(name: String) -> [String: Any] {
        let sol = solve()
        var eq: [[Double]] = [], beq: [Double] = [], ub: [[Double]] = [], bub: [Double] = []
        for row in rows {
            var dense = [Double](repeating: 0, count: variableCount)
            for (j, a) in row.terms { dense[j] += a }
            switch row.relation {
            case .equal: eq.append(dense); beq.append(row.rhs)
            case .lessOrEqual: ub.append(dense); bub.append(row.rhs)
            case .greaterOrEqual: ub.append(dense.map { -$0 }); bub.append(-row.rhs)
            }
        }
        return ["name": name, "c": objective, "A_eq": eq, "b_eq": beq, "A_ub": ub, "b_ub": bub,
                "caravan": ["status": sol.status.rawValue, "objective": sol.status == .optimal ? sol.objective : 0, "x": sol.x] as [String: Any]]
    }
}
