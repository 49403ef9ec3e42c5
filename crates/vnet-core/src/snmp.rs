//! Protocol counters (the names of /proc/net/snmp and nstat).

use serde::{Deserialize, Serialize};

/// One counter, named as nstat names it; the discriminant indexes `Snmp::values`.
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
    TcpActiveOpens,
    TcpPassiveOpens,
    TcpAttemptFails,
    TcpEstabResets,
    TcpInSegs,
    TcpOutSegs,
    TcpRetransSegs,
    TcpInErrs,
    TcpOutRsts,
    TcpListenDrops,
    UdpInErrors,
    UdpRcvbufErrors,
    /// TcpExt's IPReversePathFilter (LINUX_MIB_IPRPFILTER).
    IPReversePathFilter,
    /// TcpExt's ArpFilter (LINUX_MIB_ARPFILTER).
    ArpFilter,
}

impl Mib {
    /// How many counters there are (the last variant's index + 1).
    pub const COUNT: usize = Mib::ArpFilter as usize + 1;
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Snmp {
    pub values: Vec<u64>,
}

impl Snmp {
    pub fn inc(&mut self, m: Mib) {
        if self.values.len() < Mib::COUNT {
            self.values.resize(Mib::COUNT, 0);
        }
        self.values[m as usize] += 1;
    }
    pub fn get(&self, m: Mib) -> u64 {
        self.values.get(m as usize).copied().unwrap_or(0)
    }
}
