/// exp and log from IEEE-754 basic operations only (no platform libm), so Monte Carlo
/// samples are identical bit for bit on every machine for the same seed.
/// Accuracy: a few ulp over the ranges used (|x| < 700 for exp, x > 0 for log).
enum DetMath {
    static let ln2Hi = 6.93147180369123816490e-01
    static let ln2Lo = 1.90821492927058770002e-10
    static let invLn2 = 1.44269504088896338700e+00

    static func exp(_ x: Double) -> Double {
        if x > 709 { return .infinity }
        if x < -745 { return 0 }
        let k = (x * invLn2).rounded(.toNearestOrEven)
        let r = (x - k * ln2Hi) - k * ln2Lo          // |r| <= ln2/2
        // Taylor series to r^13: truncation error < 1e-17 for |r| <= 0.347.
        var p = 1.0 / 6227020800.0
        p = p * r + 1.0 / 479001600.0
        p = p * r + 1.0 / 39916800.0
        p = p * r + 1.0 / 3628800.0
        p = p * r + 1.0 / 362880.0
        p = p * r + 1.0 / 40320.0
        p = p * r + 1.0 / 5040.0
        p = p * r + 1.0 / 720.0
        p = p * r + 1.0 / 120.0
        p = p * r + 1.0 / 24.0
        p = p * r + 1.0 / 6.0
        p = p * r + 0.5
        p = p * r + 1.0
        p = p * r + 1.0
        return scale(p, Int(k))
    }

    static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return x }
        // x = m * 2^e with m in [sqrt(1/2), sqrt(2)).
        var e = Int(x.exponent)
        var m = x.significand   // in [1, 2)
        if m > 1.4142135623730951 { m *= 0.5; e += 1 }
        let s = (m - 1) / (m + 1), s2 = s * s     // |s| <= 0.1716
        // 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), to s^25: error < 1e-19.
        var p = 1.0 / 25
        for k in stride(from: 23, through: 3, by: -2) { p = p * s2 + 1.0 / Double(k) }
        let logM = 2 * s * (1 + s2 * p)
        return Double(e) * ln2Hi + (Double(e) * ln2Lo + logM)
    }

    /// The standard normal quantile Φ⁻¹(p), 0 < p < 1 (Acklam's rational approximation, relative
    /// error below 1.2e-9), from basic operations, DetMath.log and sqrt.
    static func inverseNormal(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "a probability strictly between 0 and 1")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        func tail(_ q: Double) -> Double {
            let r = (-2 * log(q)).squareRoot()
            return (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1)
        }
        if p < low { return tail(p) }
        if p > 1 - low { return -tail(1 - p) }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }

    /// x * 2^k without libm.
    static func scale(_ x: Double, _ k: Int) -> Double {
        var v = x, k = k
        while k > 1000 { v *= 0x1p1000; k -= 1000 }
        while k < -1000 { v *= 0x1p-1000; k += 1000 }
        return v * Double(sign: .plus, exponent: k, significand: 1)
    }
}

/// xoshiro256** generator: fast, 256-bit state, seeded with SplitMix64 so any 64-bit seed works.
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// Seeds the four state words from the 64-bit seed with SplitMix64.
    public init(seed: UInt64) {
        var x = seed
        func split() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = split(); s1 = split(); s2 = split(); s3 = split()
    }
    /// The next 64 random bits.
    @inline(__always) public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }
    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always) mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

/// SplitMix64: a small, fast, seedable generator (tests, benchmarks, seeding xoshiro).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state, advanced by each call to `next()`.
    public var state: UInt64
    /// Starts the generator with the seed as its state.
    public init(seed: UInt64) { state = seed }
    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
