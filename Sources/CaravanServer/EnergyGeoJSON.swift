import CaravanModel
import CaravanFormats
import CaravanEngine

/// Energy assets as LineStrings through their places and markets as Points (layer `energy`).
public enum EnergyGeoJSON {
    static func coordinates(_ id: String, _ ds: Dataset) -> [Double]? {
        if let p = ds.place(id) { return [p.lon, p.lat] }
        if let p = ds.energy.place(id) { return [p.lon, p.lat] }
        return nil
    }

    public static func make(_ r: EnergyFlowReport, _ ds: Dataset) -> GeoJSON.Object {
        var features: [GeoJSON.Object] = []
        let byID = Dictionary(ds.energy.assets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for a in r.assets {
            guard let asset = byID[a.id] else { continue }
            let coords = asset.places.compactMap { coordinates($0, ds) }
            var props: GeoJSON.Object = ["id": a.id, "name": a.name, "commodity": a.commodity.rawValue, "unit": a.unit, "flow": a.flow, "reverse_flow": a.reverseFlow,
                                         "binding": a.binding, "marginal_value_usd": a.marginalValueUSD, "status": a.status.rawValue, "layer": "energy"]
            if let c = a.capacity { props["capacity"] = c }
            features.append(["type": "Feature", "geometry": ["type": "LineString", "coordinates": coords], "properties": props])
        }
        for m in r.markets {
            guard let c = coordinates(m.place, ds) else { continue }
            var props: GeoJSON.Object = ["id": m.id, "name": m.name, "commodity": m.commodity.rawValue, "served": m.served, "unmet": m.unmet, "layer": "energy-market"]
            if let d = m.demand { props["demand"] = d }
            features.append(["type": "Feature", "geometry": ["type": "Point", "coordinates": c], "properties": props])
        }
        return ["type": "FeatureCollection", "features": features]
    }

}
