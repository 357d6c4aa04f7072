/// Great-circle geometry on a sphere of the mean Earth radius.
public enum Geo {
    /// Mean Earth radius, km.
    public static let earthRadiusKm = 6_371.0088

    /// Haversine distance in km between two WGS84 points given in degrees.
    public static func distanceKm(lat1: Double, lon1: Double, lat2: Double, lon2: Double) -> Double {
        let r = Double.pi / 180
        let dLat = (lat2 - lat1) * r, dLon = (lon2 - lon1) * r
        let a = sinHalfSquared(dLat) + cos(lat1 * r) * cos(lat2 * r) * sinHalfSquared(dLon)
        return 2 * earthRadiusKm * asin(min(1, a.squareRoot()))
    }

    private static func sinHalfSquared(_ x: Double) -> Double { let s = sin(x / 2); return s * s }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
