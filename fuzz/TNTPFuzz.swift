// libFuzzer harness: the TNTP network and trips readers. The first byte picks the reader.
import Foundation
import CaravanModel
@testable import CaravanFormats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTNTP(_ bytes: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count >= 1 else { return 0 }
    let data = Data(bytes: bytes, count: count)
    guard let text = TextInput.decode(data.dropFirst()) else { return 0 }
    let normalized = TextInput.normalize(text)
    if data[data.startIndex] % 2 == 0 {
        if let net = try? TNTPReader.readNet(normalized, file: "fuzz_net.tntp", name: "fuzz") {
            for i in 0..<net.tail.count { precondition(net.freeFlowTime[i].isFinite && net.capacity[i].isFinite, "non-finite link value") }
        }
    } else {
        if let trips = try? TNTPReader.readTrips(normalized, file: "fuzz_trips.tntp", zones: 24) {
            for t in trips { precondition(t.flow.isFinite, "non-finite trip") }
        }
    }
    return 0
}
