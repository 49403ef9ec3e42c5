//! Honest gaps: programs, `ip` objects, link types and iptables extensions
//! that the reference tools have and vnet does not simulate yet. Each
//! answers `vnet: WHAT is not simulated yet` on stderr with exit status 2,
//! never a real tool's error claiming the kernel lacks it. The README's
//! "Not simulated yet" list is this file's lists.

use crate::{Cmd, Tool};

/// The words of the one message every gap prints.
pub fn message(what: &str) -> String {
    format!("vnet: {what} is not simulated yet\n")
}

/// The exit status of a gap.
pub const STATUS: i32 = 2;

macro_rules! programs {
    ($($name:literal),* $(,)?) => {
        /// Programs Debian 12 ships (in the packages a lab uses) that vnet
        /// does not simulate.
        pub const PROGRAMS: &[&str] = &[$($name),*];

        /// The stand-in for a known but unsimulated program: it prints the
        /// gap and exits 2. `None` for names vnet has never heard of.
        pub fn lookup(name: &str) -> Option<Tool> {
            Some(match name {
                $($name => {
                    fn stand_in(c: &mut Cmd, _: &[String]) -> i32 {
                        gap(c, $name)
                    }
                    stand_in
                })*
                _ => return None,
            })
        }
    };
}

programs!(
    // nftables, ipset, ebtables, arptables and the xtables extras
    "nft",
    "ipset",
    "ebtables",
    "ebtables-save",
    "ebtables-restore",
    "arptables",
    "arptables-save",
    "arptables-restore",
    "iptables-legacy",
    "ip6tables-legacy",
    "iptables-translate",
    "ip6tables-translate",
    "iptables-restore-translate",
    "ip6tables-restore-translate",
    "iptables-xml",
    "ebtables-nft",
    "arptables-nft",
    "nfct",
    "conntrackd",
    // iproute2 programs other than ip and bridge
    "ss",
    "tc",
    "devlink",
    "rdma",
    "dcb",
    "vdpa",
    "tipc",
    "nstat",
    "lnstat",
    "ctstat",
    "rtstat",
    "rtacct",
    "rtmon",
    "ifstat",
    "routel",
    "genl",
    "tracepath",
    "tracepath6",
    // net-tools programs other than arp, ifconfig and route
    "netstat",
    "ipmaddr",
    "iptunnel",
    "mii-tool",
    "nameif",
    "plipconfig",
    "rarp",
    "slattach",
    // iputils and friends
    "arping",
    "clockdiff",
    "traceroute",
    "traceroute6",
    "mtr",
    // measurement and probing
    "iperf",
    "iperf3",
    "hping3",
    "nmap",
    "nping",
    "socat",
    "ethtool",
    // addresses and names
    "dhclient",
    "dhcpcd",
    "udhcpc",
    "dnsmasq",
    "dig",
    "host",
    "nslookup",
    // clients
    "curl",
    "wget",
    "telnet",
);

fn gap(c: &mut Cmd, what: &str) -> i32 {
    c.eprint(&message(what));
    STATUS
}

/// `ip` objects iproute2 6.1 knows, in ip.c's table order (the order its
/// abbreviations are resolved in); vnet simulates the ones in [`IP_SIMULATED`].
pub const IP_OBJECTS: &[&str] = &[
    "address",
    "addrlabel",
    "maddress",
    "route",
    "rule",
    "neighbor",
    "neighbour",
    "ntable",
    "ntbl",
    "link",
    "l2tp",
    "fou",
    "ila",
    "macsec",
    "tunnel",
    "tunl",
    "tuntap",
    "tap",
    "token",
    "tcpmetrics",
    "tcp_metrics",
    "monitor",
    "xfrm",
    "mroute",
    "mrule",
    "netns",
    "netconf",
    "vrf",
    "sr",
    "nexthop",
    "mptcp",
    "ioam",
    "help",
    "stats",
    "amt",
];

/// The `ip` objects vnet simulates.
pub const IP_SIMULATED: &[&str] = &[
    "address",
    "maddress",
    "route",
    "nexthop",
    "rule",
    "neighbor",
    "neighbour",
    "link",
    "tunnel",
    "tunl",
    "tuntap",
    "tap",
    "netns",
    "monitor",
    "vrf",
    "help",
];

/// `ip OBJ` for an object iproute2 knows and vnet does not simulate:
/// the gap's description (`ip rule`), found as ip.c finds it (the first
/// object `obj` abbreviates).
pub fn ip_object(obj: &str) -> Option<String> {
    if obj.is_empty() {
        return None;
    }
    let full = IP_OBJECTS.iter().find(|o| o.starts_with(obj))?;
    (!IP_SIMULATED.contains(full)).then(|| format!("ip {full}"))
}

/// Link kinds (`ip link add ... type KIND`) iproute2 6.1 knows and the
/// Debian kernel has, that vnet does not simulate.
pub const LINK_KINDS: &[&str] = &[
    "ipvtap",
    "team",
    "wireguard",
    "geneve",
    "bareudp",
    "ip6gre",
    "ip6gretap",
    "ip6erspan",
    "ip6tnl",
    "vti6",
    "xfrm",
    "nlmon",
    "netdevsim",
    "can",
    "vcan",
    "vxcan",
    "hsr",
    "macsec",
    "amt",
    "gtp",
    "ipoib",
    "rmnet",
    "virt_wifi",
    "lowpan",
    "batadv",
];

/// `ip link add ... type KIND` of a kind vnet does not simulate.
pub fn link_kind(kind: &str) -> Option<String> {
    LINK_KINDS
        .contains(&kind)
        .then(|| format!("ip link type {kind}"))
}

/// iptables 1.8.9 matches (`-m NAME`) vnet does not simulate.
pub const IPT_MATCHES: &[&str] = &[
    "ah",
    "bpf",
    "cgroup",
    "cluster",
    "connbytes",
    "connlabel",
    "connlimit",
    "cpu",
    "dccp",
    "devgroup",
    "dscp",
    "dst",
    "ecn",
    "esp",
    "eui64",
    "frag",
    "hashlimit",
    "hbh",
    "helper",
    "hl",
    "ipcomp",
    "ipv6header",
    "ipvs",
    "length",
    "mh",
    "nfacct",
    "osf",
    "owner",
    "physdev",
    "policy",
    "quota",
    "rateest",
    "realm",
    "recent",
    "rpfilter",
    "rt",
    "sctp",
    "set",
    "socket",
    "srh",
    "statistic",
    "string",
    "tcpmss",
    "time",
    "tos",
    "u32",
];

/// iptables 1.8.9 targets (`-j NAME`) vnet does not simulate.
pub const IPT_TARGETS: &[&str] = &[
    "AUDIT",
    "CHECKSUM",
    "CLASSIFY",
    "CLUSTERIP",
    "CONNSECMARK",
    "DNPT",
    "ECN",
    "HL",
    "HMARK",
    "IDLETIMER",
    "LED",
    "NFLOG",
    "NFQUEUE",
    "QUEUE",
    "RATEEST",
    "SECMARK",
    "SET",
    "SNPT",
    "SYNPROXY",
    "TCPOPTSTRIP",
    "TEE",
    "TPROXY",
    "ULOG",
];

/// `-m NAME` of a match vnet does not simulate.
pub fn ipt_match(name: &str) -> Option<String> {
    IPT_MATCHES
        .contains(&name)
        .then(|| format!("iptables match \"{name}\""))
}

/// `-j NAME` of a target vnet does not simulate.
pub fn ipt_target(name: &str) -> Option<String> {
    IPT_TARGETS
        .contains(&name)
        .then(|| format!("iptables target \"{name}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_resolve_as_ip_c_abbreviates_them() {
        assert_eq!(ip_object("rule"), None);
        assert_eq!(ip_object("ru"), None);
        // "m" is maddress (before mroute, monitor, mrule), simulated.
        assert_eq!(ip_object("m"), None);
        assert_eq!(ip_object("mr").as_deref(), Some("ip mroute"));
        assert_eq!(ip_object("nexthop"), None);
        assert_eq!(ip_object("route"), None);
        assert_eq!(ip_object("nosuch"), None);
        assert_eq!(ip_object(""), None);
    }

    #[test]
    fn simulated_objects_are_known_objects() {
        for o in IP_SIMULATED {
            assert!(IP_OBJECTS.contains(o), "{o}");
        }
    }
}
