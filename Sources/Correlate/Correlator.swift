import Flows

/// Turns flow-tracking results into an `Analysis`: DNS matched to flows, labels, findings, verdict.
public enum Correlator {
    public static func analyze(_ result: FlowsResult, options: CorrelationOptions) -> Analysis {
        // replaced by the correlation implementation
        Analysis(dns: [], flows: [], findings: [], verdict: Verdict(code: .noSSMTraffic, severity: .error), resolvers: [],
                 vpc: VPCContext(cidrs: options.vpcCIDRs, inferred: false), counters: result.counters,
                 decodeAnomalies: result.decodeAnomalies, captureStart: result.captureStart, captureEnd: result.captureEnd,
                 includesAllTraffic: options.includeAllTraffic)
    }
}
