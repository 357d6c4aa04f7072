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
