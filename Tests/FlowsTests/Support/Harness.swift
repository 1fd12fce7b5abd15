@testable import Flows
import Decode

/// A tracker (the public one, with the Decode stage's parsers) and a wire feeding it.
final class TrackerHarness {
    let tracker: FlowTracker
    let wire: Wire

    init(limits: FlowLimits = FlowLimits(), retain: @escaping (TCPFlowRecord) -> Bool = { _ in true }) {
        let tracker = FlowTracker(limits: limits, retainFlow: retain)
        self.tracker = tracker
        self.wire = Wire { tracker.process($0) }
    }

    func session(client: Endpoint = Endpoint(address: Addresses.instance, port: 50_000),
                 server: Endpoint = Endpoint(address: Addresses.publicService, port: 443),
                 clientISN: UInt32 = 1_000, serverISN: UInt32 = 900_000) -> TCPSession {
        TCPSession(wire, client: client, server: server, clientISN: clientISN, serverISN: serverISN)
    }

    func finish() -> FlowsResult { tracker.finish(decodeAnomalies: DecodeAnomalies()) }
}

/// The engine driven by the fake parsers.
final class EngineHarness {
    let engine: FlowEngine<FakeParsers>
    let wire: Wire

    init(limits: FlowLimits = FlowLimits(), retain: @escaping (TCPFlowRecord) -> Bool = { _ in true }) {
        let engine = FlowEngine<FakeParsers>(limits: limits, retainFlow: retain)
        self.engine = engine
        self.wire = Wire { engine.process($0) }
    }

    func session(client: Endpoint = Endpoint(address: Addresses.instance, port: 50_000),
                 server: Endpoint = Endpoint(address: Addresses.publicService, port: 443),
                 clientISN: UInt32 = 1_000, serverISN: UInt32 = 900_000) -> TCPSession {
        TCPSession(wire, client: client, server: server, clientISN: clientISN, serverISN: serverISN)
    }

    func finish() -> FlowsResult { engine.finish(decodeAnomalies: DecodeAnomalies()) }
}
