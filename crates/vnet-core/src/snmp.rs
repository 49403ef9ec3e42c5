//! Protocol counters (the names of /proc/net/snmp and nstat).

use serde::{Deserialize, Serialize};

/// One counter; the discriminant indexes `Snmp::values`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mib {
    IpInReceives,
    IpInHdrErrors,
    IpInAddrErrors,
    IpForwDatagrams,
    IpInUnknownProtos,
    IpInDiscards,
    IpInDelivers,
    IpOutRequests,
    IpOutDiscards,
    IpOutNoRoutes,
    IcmpInMsgs,
    IcmpInErrors,
    IcmpInDestUnreachs,
    IcmpInTimeExcds,
    IcmpInEchos,
    IcmpInEchoReps,
    IcmpOutMsgs,
    IcmpOutDestUnreachs,
    IcmpOutTimeExcds,
    IcmpOutEchos,
    IcmpOutEchoReps,
    UdpInDatagrams,
    UdpNoPorts,
    UdpOutDatagrams,
    ArpInRequests,
    ArpInReplies,
    ArpOutRequests,
    ArpOutReplies,
    NeighResolutionFailed,
}

impl Mib {
    pub const ALL: [Mib; 29] = [
        Mib::IpInReceives,
        Mib::IpInHdrErrors,
        Mib::IpInAddrErrors,
        Mib::IpForwDatagrams,
        Mib::IpInUnknownProtos,
        Mib::IpInDiscards,
        Mib::IpInDelivers,
        Mib::IpOutRequests,
        Mib::IpOutDiscards,
        Mib::IpOutNoRoutes,
        Mib::IcmpInMsgs,
        Mib::IcmpInErrors,
        Mib::IcmpInDestUnreachs,
        Mib::IcmpInTimeExcds,
        Mib::IcmpInEchos,
        Mib::IcmpInEchoReps,
        Mib::IcmpOutMsgs,
        Mib::IcmpOutDestUnreachs,
        Mib::IcmpOutTimeExcds,
        Mib::IcmpOutEchos,
        Mib::IcmpOutEchoReps,
        Mib::UdpInDatagrams,
        Mib::UdpNoPorts,
        Mib::UdpOutDatagrams,
        Mib::ArpInRequests,
        Mib::ArpInReplies,
        Mib::ArpOutRequests,
        Mib::ArpOutReplies,
        Mib::NeighResolutionFailed,
    ];
    pub fn name(self) -> &'static str {
        // Debug names are exactly the nstat names.
        match self {
            Mib::NeighResolutionFailed => "NeighResolutionFailed",
            _ => MIB_NAMES[self as usize],
        }
    }
}

const MIB_NAMES: [&str; 29] = [
    "IpInReceives",
    "IpInHdrErrors",
    "IpInAddrErrors",
    "IpForwDatagrams",
    "IpInUnknownProtos",
    "IpInDiscards",
    "IpInDelivers",
    "IpOutRequests",
    "IpOutDiscards",
    "IpOutNoRoutes",
    "IcmpInMsgs",
    "IcmpInErrors",
    "IcmpInDestUnreachs",
    "IcmpInTimeExcds",
    "IcmpInEchos",
    "IcmpInEchoReps",
    "IcmpOutMsgs",
    "IcmpOutDestUnreachs",
    "IcmpOutTimeExcds",
    "IcmpOutEchos",
    "IcmpOutEchoReps",
    "UdpInDatagrams",
    "UdpNoPorts",
    "UdpOutDatagrams",
    "ArpInRequests",
    "ArpInReplies",
    "ArpOutRequests",
    "ArpOutReplies",
    "NeighResolutionFailed",
];

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Snmp {
    pub values: Vec<u64>,
}

impl Snmp {
    pub fn inc(&mut self, m: Mib) {
        if self.values.len() < Mib::ALL.len() {
            self.values.resize(Mib::ALL.len(), 0);
        }
        self.values[m as usize] += 1;
    }
    pub fn get(&self, m: Mib) -> u64 {
        self.values.get(m as usize).copied().unwrap_or(0)
    }
}
