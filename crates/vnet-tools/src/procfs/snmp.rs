//! /proc/net/snmp, snmp6 and netstat: the MIB counters in the layout of
//! net/ipv4/proc.c, net/ipv6/proc.c and net/mptcp/mib.c (6.1 stable,
//! which has the ICMP rate-limit counters and not yet Ip OutTransmits).
//!
//! vnet keeps the counters of `vnet_core::snmp::Mib`; every other field is
//! printed as 0 (an idle kernel's value), so the files have the real
//! layout and the counters vnet models are real.

use vnet_core::snmp::Mib;
use vnet_core::sock::tcp::TcpState;
use vnet_core::sock::SockKind;
use vnet_core::{NsId, World};

const TCPEXT: &str =
    "SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts PruneCalled RcvPruned \
     OfoPruned OutOfWindowIcmps LockDroppedIcmps ArpFilter TW TWRecycled TWKilled PAWSActive \
     PAWSEstab DelayedACKs DelayedACKLocked DelayedACKLost ListenOverflows ListenDrops \
     TCPHPHits TCPPureAcks TCPHPAcks TCPRenoRecovery TCPSackRecovery TCPSACKReneging \
     TCPSACKReorder TCPRenoReorder TCPTSReorder TCPFullUndo TCPPartialUndo TCPDSACKUndo \
     TCPLossUndo TCPLostRetransmit TCPRenoFailures TCPSackFailures TCPLossFailures \
     TCPFastRetrans TCPSlowStartRetrans TCPTimeouts TCPLossProbes TCPLossProbeRecovery \
     TCPRenoRecoveryFail TCPSackRecoveryFail TCPRcvCollapsed TCPBacklogCoalesce \
     TCPDSACKOldSent TCPDSACKOfoSent TCPDSACKRecv TCPDSACKOfoRecv TCPAbortOnData \
     TCPAbortOnClose TCPAbortOnMemory TCPAbortOnTimeout TCPAbortOnLinger TCPAbortFailed \
     TCPMemoryPressures TCPMemoryPressuresChrono TCPSACKDiscard TCPDSACKIgnoredOld \
     TCPDSACKIgnoredNoUndo TCPSpuriousRTOs TCPMD5NotFound TCPMD5Unexpected TCPMD5Failure \
     TCPSackShifted TCPSackMerged TCPSackShiftFallback TCPBacklogDrop PFMemallocDrop \
     TCPMinTTLDrop TCPDeferAcceptDrop IPReversePathFilter TCPTimeWaitOverflow \
     TCPReqQFullDoCookies TCPReqQFullDrop TCPRetransFail TCPRcvCoalesce TCPOFOQueue \
     TCPOFODrop TCPOFOMerge TCPChallengeACK TCPSYNChallenge TCPFastOpenActive \
     TCPFastOpenActiveFail TCPFastOpenPassive TCPFastOpenPassiveFail \
     TCPFastOpenListenOverflow TCPFastOpenCookieReqd TCPFastOpenBlackhole \
     TCPSpuriousRtxHostQueues BusyPollRxPackets TCPAutoCorking TCPFromZeroWindowAdv \
     TCPToZeroWindowAdv TCPWantZeroWindowAdv TCPSynRetrans TCPOrigDataSent \
     TCPHystartTrainDetect TCPHystartTrainCwnd TCPHystartDelayDetect TCPHystartDelayCwnd \
     TCPACKSkippedSynRecv TCPACKSkippedPAWS TCPACKSkippedSeq TCPACKSkippedFinWait2 \
     TCPACKSkippedTimeWait TCPACKSkippedChallenge TCPWinProbe TCPKeepAlive TCPMTUPFail \
     TCPMTUPSuccess TCPDelivered TCPDeliveredCE TCPAckCompressed TCPZeroWindowDrop \
     TCPRcvQDrop TCPWqueueTooBig TCPFastOpenPassiveAltKey TcpTimeoutRehash \
     TcpDuplicateDataRehash TCPDSACKRecvSegs TCPDSACKIgnoredDubious TCPMigrateReqSuccess \
     TCPMigrateReqFailure";
const IPEXT: &str =
    "InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts InBcastPkts OutBcastPkts InOctets \
     OutOctets InMcastOctets OutMcastOctets InBcastOctets OutBcastOctets InCsumErrors \
     InNoECTPkts InECT1Pkts InECT0Pkts InCEPkts ReasmOverlaps";
const MPTCPEXT: &str =
    "MPCapableSYNRX MPCapableSYNTX MPCapableSYNACKRX MPCapableACKRX MPCapableFallbackACK \
     MPCapableFallbackSYNACK MPCapableEndpAttempt MPFallbackTokenInit MPTCPRetrans \
     MPJoinNoTokenFound MPJoinSynRx MPJoinSynBackupRx MPJoinSynAckRx MPJoinSynAckBackupRx \
     MPJoinSynAckHMacFailure MPJoinAckRx MPJoinAckHMacFailure DSSNotMatching \
     DSSCorruptionFallback DSSCorruptionReset InfiniteMapTx InfiniteMapRx DSSNoMatchTCP \
     DataCsumErr OFOQueueTail OFOQueue OFOMerge NoDSSInWindow DuplicateData AddAddr EchoAdd \
     PortAdd AddAddrDrop MPJoinPortSynRx MPJoinPortSynAckRx MPJoinPortAckRx MismatchPortSynRx \
     MismatchPortAckRx RmAddr RmAddrDrop RmSubflow MPPrioTx MPPrioRx MPFailTx MPFailRx \
     MPFastcloseTx MPFastcloseRx MPRstTx MPRstRx RcvPruned SubflowStale SubflowRecover \
     SndWndShared RcvWndShared RcvWndConflictUpdate RcvWndConflict";
const IP6: &str = "Ip6InReceives Ip6InHdrErrors Ip6InTooBigErrors Ip6InNoRoutes Ip6InAddrErrors \
     Ip6InUnknownProtos Ip6InTruncatedPkts Ip6InDiscards Ip6InDelivers Ip6OutForwDatagrams \
     Ip6OutRequests Ip6OutDiscards Ip6OutNoRoutes Ip6ReasmTimeout Ip6ReasmReqds Ip6ReasmOKs \
     Ip6ReasmFails Ip6FragOKs Ip6FragFails Ip6FragCreates Ip6InMcastPkts Ip6OutMcastPkts \
     Ip6InOctets Ip6OutOctets Ip6InMcastOctets Ip6OutMcastOctets Ip6InBcastOctets \
     Ip6OutBcastOctets Ip6InNoECTPkts Ip6InECT1Pkts Ip6InECT0Pkts Ip6InCEPkts";

/// One "Name: fields" line and its "Name: values" line.
fn pair(s: &mut String, name: &str, fields: &[&str], values: &[String]) {
    s.push_str(name);
    s.push(':');
    for f in fields {
        s.push(' ');
        s.push_str(f);
    }
    s.push('\n');
    s.push_str(name);
    s.push(':');
    for v in values {
        s.push(' ');
        s.push_str(v);
    }
    s.push('\n');
}

/// The values of `names`, from `get` where it knows the name, else 0.
fn values(names: &[&str], get: impl Fn(&str) -> Option<i64>) -> Vec<String> {
    names
        .iter()
        .map(|n| get(n).unwrap_or(0).to_string())
        .collect()
}

/// The ICMP message types vnet counts, with their (in, out) counters.
const ICMP_TYPES: &[(u8, &str, Mib, Mib)] = &[
    (0, "EchoReps", Mib::IcmpInEchoReps, Mib::IcmpOutEchoReps),
    (
        3,
        "DestUnreachs",
        Mib::IcmpInDestUnreachs,
        Mib::IcmpOutDestUnreachs,
    ),
    (8, "Echos", Mib::IcmpInEchos, Mib::IcmpOutEchos),
    (11, "TimeExcds", Mib::IcmpInTimeExcds, Mib::IcmpOutTimeExcds),
];

/// icmpmibmap: the per-type columns of the Icmp line, in this order.
const ICMP_MAP: &[&str] = &[
    "DestUnreachs",
    "TimeExcds",
    "ParmProbs",
    "SrcQuenchs",
    "Redirects",
    "Echos",
    "EchoReps",
    "Timestamps",
    "TimestampReps",
    "AddrMasks",
    "AddrMaskReps",
];

fn tcp_curr_estab(w: &World, ns: NsId) -> i64 {
    w.sockets_in(ns)
        .filter(|(_, s)| {
            matches!(&s.kind, SockKind::Tcp(t)
                if matches!(t.state, TcpState::Established | TcpState::CloseWait))
        })
        .count() as i64
}

/// snmp_seq_show(): Ip, Icmp, IcmpMsg (non-zero types only), Tcp, Udp,
/// UdpLite.
pub(super) fn snmp(w: &World, ns: NsId) -> String {
    let n = w.ns(ns);
    let c = |m: Mib| n.snmp().get(m) as i64;
    let mut s = String::new();
    let ip = [
        "Forwarding",
        "DefaultTTL",
        "InReceives",
        "InHdrErrors",
        "InAddrErrors",
        "ForwDatagrams",
        "InUnknownProtos",
        "InDiscards",
        "InDelivers",
        "OutRequests",
        "OutDiscards",
        "OutNoRoutes",
        "ReasmTimeout",
        "ReasmReqds",
        "ReasmOKs",
        "ReasmFails",
        "FragOKs",
        "FragFails",
        "FragCreates",
    ];
    let ipv = values(&ip, |f| {
        Some(match f {
            // RFC 1213: 1 forwarding, 2 not.
            "Forwarding" => {
                if n.sysctl().ip_forward() {
                    1
                } else {
                    2
                }
            }
            "DefaultTTL" => i64::from(n.sysctl().default_ttl()),
            "InReceives" => c(Mib::IpInReceives),
            "InHdrErrors" => c(Mib::IpInHdrErrors),
            "InAddrErrors" => c(Mib::IpInAddrErrors),
            "ForwDatagrams" => c(Mib::IpForwDatagrams),
            "InUnknownProtos" => c(Mib::IpInUnknownProtos),
            "InDiscards" => c(Mib::IpInDiscards),
            "InDelivers" => c(Mib::IpInDelivers),
            "OutRequests" => c(Mib::IpOutRequests),
            "OutDiscards" => c(Mib::IpOutDiscards),
            "OutNoRoutes" => c(Mib::IpOutNoRoutes),
            _ => return None,
        })
    });
    pair(&mut s, "Ip", &ip, &ipv);
    // Icmp: totals, then a column per type in, then out.
    let mut fields = vec![
        "InMsgs".to_string(),
        "InErrors".into(),
        "InCsumErrors".into(),
    ];
    let mut vals = vec![c(Mib::IcmpInMsgs), c(Mib::IcmpInErrors), 0];
    let typed = |name: &str, out: bool| {
        ICMP_TYPES
            .iter()
            .find(|t| t.1 == name)
            .map_or(0, |t| c(if out { t.3 } else { t.2 }))
    };
    for m in ICMP_MAP {
        fields.push(format!("In{m}"));
        vals.push(typed(m, false));
    }
    for (f, v) in [
        ("OutMsgs", c(Mib::IcmpOutMsgs)),
        ("OutErrors", 0),
        ("OutRateLimitGlobal", 0),
        ("OutRateLimitHost", 0),
    ] {
        fields.push(f.into());
        vals.push(v);
    }
    for m in ICMP_MAP {
        fields.push(format!("Out{m}"));
        vals.push(typed(m, true));
    }
    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
    let vals: Vec<String> = vals.iter().map(i64::to_string).collect();
    pair(&mut s, "Icmp", &fields, &vals);
    // IcmpMsg: the non-zero types, all "In" before all "Out".
    let mut msg: Vec<(String, String)> = Vec::new();
    for out in [false, true] {
        for t in ICMP_TYPES {
            let v = c(if out { t.3 } else { t.2 });
            if v != 0 {
                let dir = if out { "Out" } else { "In" };
                msg.push((format!("{dir}Type{}", t.0), v.to_string()));
            }
        }
    }
    for chunk in msg.chunks(16) {
        let f: Vec<&str> = chunk.iter().map(|x| x.0.as_str()).collect();
        let v: Vec<String> = chunk.iter().map(|x| x.1.clone()).collect();
        pair(&mut s, "IcmpMsg", &f, &v);
    }
    let tcp = [
        "RtoAlgorithm",
        "RtoMin",
        "RtoMax",
        "MaxConn",
        "ActiveOpens",
        "PassiveOpens",
        "AttemptFails",
        "EstabResets",
        "CurrEstab",
        "InSegs",
        "OutSegs",
        "RetransSegs",
        "InErrs",
        "OutRsts",
        "InCsumErrors",
    ];
    let tcpv = values(&tcp, |f| {
        Some(match f {
            "RtoAlgorithm" => 1,
            "RtoMin" => 200,
            "RtoMax" => 120000,
            "MaxConn" => -1,
            "ActiveOpens" => c(Mib::TcpActiveOpens),
            "PassiveOpens" => c(Mib::TcpPassiveOpens),
            "AttemptFails" => c(Mib::TcpAttemptFails),
            "EstabResets" => c(Mib::TcpEstabResets),
            "CurrEstab" => tcp_curr_estab(w, ns),
            "InSegs" => c(Mib::TcpInSegs),
            "OutSegs" => c(Mib::TcpOutSegs),
            "RetransSegs" => c(Mib::TcpRetransSegs),
            "InErrs" => c(Mib::TcpInErrs),
            "OutRsts" => c(Mib::TcpOutRsts),
            _ => return None,
        })
    });
    pair(&mut s, "Tcp", &tcp, &tcpv);
    let udp = [
        "InDatagrams",
        "NoPorts",
        "InErrors",
        "OutDatagrams",
        "RcvbufErrors",
        "SndbufErrors",
        "InCsumErrors",
        "IgnoredMulti",
        "MemErrors",
    ];
    let udpv = values(&udp, |f| {
        Some(match f {
            "InDatagrams" => c(Mib::UdpInDatagrams),
            "NoPorts" => c(Mib::UdpNoPorts),
            "OutDatagrams" => c(Mib::UdpOutDatagrams),
            _ => return None,
        })
    });
    pair(&mut s, "Udp", &udp, &udpv);
    pair(&mut s, "UdpLite", &udp, &values(&udp, |_| None));
    s
}

/// netstat_seq_show(): TcpExt, IpExt, MPTcpExt.
pub(super) fn netstat(w: &World, ns: NsId) -> String {
    let n = w.ns(ns);
    let mut s = String::new();
    let tcpext: Vec<&str> = TCPEXT.split_whitespace().collect();
    let v = values(&tcpext, |f| {
        let m = match f {
            "ListenDrops" => Mib::TcpListenDrops,
            "IPReversePathFilter" => Mib::IPReversePathFilter,
            "ArpFilter" => Mib::ArpFilter,
            _ => return None,
        };
        Some(n.snmp().get(m) as i64)
    });
    pair(&mut s, "TcpExt", &tcpext, &v);
    let ipext: Vec<&str> = IPEXT.split_whitespace().collect();
    pair(&mut s, "IpExt", &ipext, &values(&ipext, |_| None));
    let mp: Vec<&str> = MPTCPEXT.split_whitespace().collect();
    pair(&mut s, "MPTcpExt", &mp, &values(&mp, |_| None));
    s
}

/// icmp6type2name: the named ICMPv6 types, printed for both directions.
const ICMP6_NAMES: &[(u8, &str)] = &[
    (1, "DestUnreachs"),
    (2, "PktTooBigs"),
    (3, "TimeExcds"),
    (4, "ParmProblems"),
    (128, "Echos"),
    (129, "EchoReplies"),
    (130, "GroupMembQueries"),
    (131, "GroupMembResponses"),
    (132, "GroupMembReductions"),
    (133, "RouterSolicits"),
    (134, "RouterAdvertisements"),
    (135, "NeighborSolicits"),
    (136, "NeighborAdvertisements"),
    (137, "Redirects"),
    (143, "MLDv2Reports"),
];

/// snmp6_seq_show(): "%-32s\t%lu" lines. vnet keeps no IPv6 counters
/// yet, so every value is 0 (and no per-number Icmp6 type line shows).
pub(super) fn snmp6(_w: &World, _ns: NsId) -> String {
    let mut s = String::new();
    let mut line = |name: &str| s.push_str(&format!("{name:<32}\t0\n"));
    for n in IP6.split_whitespace() {
        line(n);
    }
    for n in [
        "Icmp6InMsgs",
        "Icmp6InErrors",
        "Icmp6OutMsgs",
        "Icmp6OutErrors",
        "Icmp6InCsumErrors",
        "Icmp6OutRateLimitHost",
    ] {
        line(n);
    }
    for dir in ["In", "Out"] {
        for (_, n) in ICMP6_NAMES {
            line(&format!("Icmp6{dir}{n}"));
        }
    }
    for p in ["Udp6", "UdpLite6"] {
        for n in [
            "InDatagrams",
            "NoPorts",
            "InErrors",
            "OutDatagrams",
            "RcvbufErrors",
            "SndbufErrors",
            "InCsumErrors",
            "IgnoredMulti",
            "MemErrors",
        ] {
            // UDP-Lite has no IgnoredMulti.
            if p == "UdpLite6" && n == "IgnoredMulti" {
                continue;
            }
            line(&format!("{p}{n}"));
        }
    }
    s
}
