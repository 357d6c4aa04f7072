import Foundation

/// JSON text with object keys sorted by their UTF-8 bytes and slashes unescaped: the bytes
/// Foundation's `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]` (a test
/// compares the two on the API's payloads, odd strings and numbers), in under half the time
/// (`caravan-bench json`, in bench/run.sh).
/// Foundation's encoder was 41% of the server's time on a route request (perf, docs/performance.md).
/// Date, Data, URL and Decimal values are handed to Foundation's encoder, so they match too.
public enum SortedJSON {
    /// Encodes `value`; throws `EncodingError.invalidValue` for a non-finite number, as Foundation does.
    /// Containers keep no coding path (it cost an array per value): on any error the value is
    /// encoded again by Foundation, whose error names the path.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let root: Value
        do { root = try box(value) } catch { return Array(try reference().encode(value)) }
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(root, &out)
        return out
    }

    /// Foundation's encoder set up as this one writes: the reference it must match byte for byte.
    public static func reference() -> JSONEncoder {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return enc
    }

    /// Encodes `value` as a String.
    public static func string<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    // MARK: - The value tree (objects keep insertion order; keys are sorted when written)

    final class Object {
        var entries: [(key: String, value: Value)] = []
        /// A key set twice keeps its last value, as a dictionary does (resolved when written).
        func set(_ key: String, _ value: Value) { entries.append((key, value)) }
    }
    final class List { var items: [Value] = [] }
    /// Where a nested encoder leaves its value (read when the tree is written).
    final class Slot { var value: Value? }

    enum Value {
        case literal(String)   // true, false, null, or a number Foundation wrote
        case double(Double)    // finite
        case int(Int)
        case string(String)
        case object(Object)
        case array(List)
        case slot(Slot)        // a superEncoder's value, or {} when it encoded nothing
    }

    static func number(_ v: Double) throws -> Value {
        guard v.isFinite else {
            throw EncodingError.invalidValue(v, .init(codingPath: [], debugDescription: "Unable to encode Double.\(v) directly in JSON."))
        }
        return .double(v)
    }

    static func number<F: BinaryFloatingPoint & LosslessStringConvertible>(_ v: F) throws -> Value {
        guard v.isFinite else {
            throw EncodingError.invalidValue(v, .init(codingPath: [], debugDescription: "Unable to encode \(F.self).\(v) directly in JSON."))
        }
        var s = v.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        return .literal(s)
    }

    /// The value of one Encodable: primitives by a type comparison (a chain of `as?` casts
    /// cost more than the rest of the encoding), anything else through its `encode(to:)`.
    static func box<T: Encodable>(_ value: T) throws -> Value {
        if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
        if T.self == Double.self { return try number(unsafeBitCast(value, to: Double.self)) }
        if T.self == Int.self { return .int(unsafeBitCast(value, to: Int.self)) }
        if T.self == Bool.self { return .literal(unsafeBitCast(value, to: Bool.self) ? "true" : "false") }
        if T.self == Float.self { return try number(unsafeBitCast(value, to: Float.self)) }
        if T.self == Int8.self || T.self == Int16.self || T.self == Int32.self || T.self == Int64.self
            || T.self == UInt.self || T.self == UInt8.self || T.self == UInt16.self || T.self == UInt32.self || T.self == UInt64.self {
            return .literal("\(value)")
        }
        if T.self == Date.self || T.self == Data.self || T.self == URL.self || T.self == Decimal.self {
            return .literal(String(decoding: try reference().encode(value), as: UTF8.self))
        }
        let slot = Slot()
        try value.encode(to: ValueEncoder(slot: slot))
        return slot.value ?? .object(Object())
    }

    // MARK: - Encoder and containers

    struct ValueEncoder: Encoder {
        let slot: Slot
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            let object: Object
            if case .object(let existing)? = slot.value { object = existing } else { object = Object(); slot.value = .object(object) }
            return KeyedEncodingContainer(Keyed<Key>(object: object))
        }
        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            let array: List
            if case .array(let existing)? = slot.value { array = existing } else { array = List(); slot.value = .array(array) }
            return Unkeyed(array: array)
        }
        func singleValueContainer() -> any SingleValueEncodingContainer { Single(slot: slot) }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let object: Object
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws { object.set(key.stringValue, .literal("null")) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { object.set(key.stringValue, .literal(value ? "true" : "false")) }
        mutating func encode(_ value: String, forKey key: Key) throws { object.set(key.stringValue, .string(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws { object.set(key.stringValue, try number(value)) }
        mutating func encode(_ value: Int, forKey key: Key) throws { object.set(key.stringValue, .int(value)) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            object.set(key.stringValue, try box(value))
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let o = Object()
            object.set(key.stringValue, .object(o))
            return KeyedEncodingContainer(Keyed<NestedKey>(object: o))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let a = List()
            object.set(key.stringValue, .array(a))
            return Unkeyed(array: a)
        }
        mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }
        private func superEncoder(named name: String) -> any Encoder {
            let s = Slot()
            object.set(name, .slot(s))
            return ValueEncoder(slot: s)
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let array: List
        var codingPath: [any CodingKey] { [] }
        var count: Int { array.items.count }

        mutating func encodeNil() throws { array.items.append(.literal("null")) }
        mutating func encode(_ value: Bool) throws { array.items.append(.literal(value ? "true" : "false")) }
        mutating func encode(_ value: String) throws { array.items.append(.string(value)) }
        mutating func encode(_ value: Double) throws { array.items.append(try number(value)) }
        mutating func encode(_ value: Int) throws { array.items.append(.int(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            array.items.append(try box(value))
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let o = Object()
            array.items.append(.object(o))
            return KeyedEncodingContainer(Keyed<NestedKey>(object: o))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let a = List()
            array.items.append(.array(a))
            return Unkeyed(array: a)
        }
        mutating func superEncoder() -> any Encoder {
            let s = Slot()
            array.items.append(.slot(s))
            return ValueEncoder(slot: s)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let slot: Slot
        var codingPath: [any CodingKey] { [] }
        mutating func encodeNil() throws { slot.value = .literal("null") }
        mutating func encode(_ value: Bool) throws { slot.value = .literal(value ? "true" : "false") }
        mutating func encode(_ value: String) throws { slot.value = .string(value) }
        mutating func encode(_ value: Double) throws { slot.value = try number(value) }
        mutating func encode(_ value: Int) throws { slot.value = .int(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { slot.value = try box(value) }
    }

    // MARK: - Writing

    static func write(_ value: Value, _ out: inout [UInt8]) {
        switch value {
        case .literal(let s): out.append(contentsOf: s.utf8)
        case .int(let v): out.append(contentsOf: String(v).utf8)
        case .double(let v):
            // Foundation writes the shortest round-trip form without a trailing ".0".
            var s = v.description
            s.withUTF8 { b in
                let n = b.count
                out.append(contentsOf: n >= 2 && b[n - 2] == UInt8(ascii: ".") && b[n - 1] == UInt8(ascii: "0") ? UnsafeBufferPointer(rebasing: b[0..<(n - 2)]) : b)
            }
        case .string(let s): writeString(s, &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, item) in a.items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(item, &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            // Sorted by key, then by insertion, so of a key set twice the last is written.
            let entries = o.entries
            let order = entries.indices.sorted {
                let (a, b) = (entries[$0].key, entries[$1].key)
                return a == b ? $0 < $1 : a.utf8.lexicographicallyPrecedes(b.utf8)
            }
            var first = true
            for (n, i) in order.enumerated() {
                if n + 1 < order.count && entries[order[n + 1]].key == entries[i].key { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(entries[i].key, &out)
                out.append(UInt8(ascii: ":"))
                write(entries[i].value, &out)
            }
            out.append(UInt8(ascii: "}"))
        case .slot(let s): write(s.value ?? .object(Object()), &out)
        }
    }

    static let hex = Array("0123456789abcdef".utf8)

    static func writeString(_ s: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0x08: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
            case 0x00..<0x20:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
