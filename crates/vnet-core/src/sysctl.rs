//! /proc/sys/net for one namespace: the knobs the packet path reads, typed,
//! plus a generic store for the rest so reads and writes round-trip.

use crate::error::Errno;
use crate::netfilter::ct::CtTimeouts;
use crate::types::NsId;
use crate::World;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Known keys with their defaults in a fresh namespace (dotted form, without
/// per-device entries; those are derived from `conf.default`).
const DEFAULTS: &[(&str, &str)] = &[
    ("net.ipv4.ip_forward", "0"),
    ("net.ipv4.ip_default_ttl", "64"),
    ("net.ipv4.icmp_echo_ignore_all", "0"),
    ("net.ipv4.icmp_echo_ignore_broadcasts", "1"),
    ("net.ipv4.icmp_ratelimit", "1000"),
    ("net.ipv4.icmp_ratemask", "6168"),
    ("net.ipv4.ip_local_port_range", "32768\t60999"),
    ("net.ipv4.ip_nonlocal_bind", "0"),
    ("net.ipv4.ping_group_range", "1\t0"),
    ("net.ipv4.tcp_syn_retries", "6"),
    ("net.ipv4.ip_no_pmtu_disc", "0"),
    ("net.ipv4.route.mtu_expires", "600"),
    ("net.ipv4.route.min_pmtu", "552"),
    ("net.ipv4.igmp_qrv", "2"),
    ("net.ipv4.igmp_link_local_mcast_reports", "1"),
    ("net.ipv4.igmp_max_memberships", "20"),
    ("net.ipv4.igmp_max_msf", "10"),
    ("net.ipv4.fib_multipath_hash_policy", "0"),
    ("net.ipv4.fib_multipath_hash_fields", "7"),
    ("net.ipv4.fib_multipath_use_neigh", "0"),
    ("net.ipv6.fib_multipath_hash_policy", "0"),
    ("net.ipv6.fib_multipath_hash_fields", "7"),
    ("net.ipv6.conf.all.disable_ipv6", "0"),
    ("net.ipv6.conf.all.forwarding", "0"),
    ("net.ipv6.conf.default.disable_ipv6", "0"),
    ("net.ipv6.conf.default.forwarding", "0"),
    ("net.core.somaxconn", "4096"),
    ("net.core.default_qdisc", "pfifo_fast"),
    ("net.core.netdev_max_backlog", "1000"),
];

/// Per-device IPv6 conf knobs and defaults (net.ipv6.conf.DEV.*).
const CONF6: &[(&str, &str)] = &[
    ("accept_dad", "1"),
    ("accept_ra", "1"),
    ("accept_redirects", "1"),
    ("autoconf", "1"),
    ("dad_transmits", "1"),
    ("disable_ipv6", "0"),
    ("forwarding", "0"),
    ("hop_limit", "64"),
    ("ignore_routes_with_linkdown", "0"),
    ("keep_addr_on_down", "0"),
    ("mtu", "1280"),
    ("proxy_ndp", "0"),
    ("router_solicitation_delay", "1"),
    ("router_solicitation_interval", "4"),
    ("router_solicitations", "-1"),
];

/// IPv4 conf knobs a device copies from `default` once, when it registers,
/// and never after: forwarding (its handler copies nothing), and rp_filter,
/// whose state bit the reference machine's boot set in init_net's
/// `default`. A new namespace inherits that bit (devconf_inherit_init_net
/// 0), so each device counts the knob as written and a later `default`
/// write passes it by (recorded: sysctl forms, where `lo` keeps 0).
const COPIED_AT_REGISTER: &[&str] = &["forwarding", "rp_filter"];

/// Per-device IPv4 conf knobs and defaults (net.ipv4.conf.DEV.*).
const CONF4: &[(&str, &str)] = &[
    ("accept_local", "0"),
    ("accept_redirects", "1"),
    ("accept_source_route", "0"),
    ("arp_accept", "0"),
    ("arp_announce", "0"),
    ("arp_filter", "0"),
    ("arp_ignore", "0"),
    ("arp_notify", "0"),
    ("force_igmp_version", "0"),
    ("forwarding", "0"),
    ("igmpv2_unsolicited_report_interval", "10000"),
    ("igmpv3_unsolicited_report_interval", "1000"),
    ("ignore_routes_with_linkdown", "0"),
    ("log_martians", "0"),
    ("promote_secondaries", "0"),
    ("proxy_arp", "0"),
    ("route_localnet", "0"),
    ("rp_filter", "0"),
    ("secure_redirects", "1"),
    ("send_redirects", "1"),
    ("shared_media", "1"),
];

/// Per-device ARP parameters (net.ipv4.neigh.DEV.*), arp_tbl's defaults.
/// Times without a suffix are seconds, except retrans_time and the *_delay
/// and locktime knobs, which are in USER_HZ (1/100 s). The `default`
/// directory exists only in the initial namespace, where recordings never
/// run, so only devices have them here.
const NEIGH4: &[(&str, &str)] = &[
    ("anycast_delay", "100"),
    ("app_solicit", "0"),
    ("base_reachable_time", "30"),
    ("base_reachable_time_ms", "30000"),
    ("delay_first_probe_time", "5"),
    ("gc_stale_time", "60"),
    ("interval_probe_time_ms", "5000"),
    ("locktime", "100"),
    ("mcast_resolicit", "0"),
    ("mcast_solicit", "3"),
    ("proxy_delay", "80"),
    ("proxy_qlen", "64"),
    ("retrans_time", "100"),
    ("retrans_time_ms", "1000"),
    ("ucast_solicit", "3"),
    ("unres_qlen", "101"),
    ("unres_qlen_bytes", "212992"),
];

const NF_LOG_ALL_NETNS: &str = "net.netfilter.nf_log_all_netns";

/// The namespace-wide defaults as numbers, hashed: some are read per
/// packet (conntrack timeouts, the default TTL).
fn default_ints() -> &'static crate::types::Map<&'static str, i64> {
    static INTS: std::sync::OnceLock<crate::types::Map<&'static str, i64>> =
        std::sync::OnceLock::new();
    INTS.get_or_init(|| {
        DEFAULTS
            .iter()
            .chain(crate::netfilter::ct::SYSCTL_DEFAULTS)
            .filter_map(|(k, v)| Some((*k, v.parse().ok()?)))
            .collect()
    })
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(from = "SysctlsFile")]
pub struct Sysctls {
    /// Whether these are the initial namespace's (some knobs exist only there).
    #[serde(default)]
    pub init_net: bool,
    /// Values that differ from the defaults, by dotted key.
    pub values: BTreeMap<String, String>,
    /// The mirrors below are rebuilt from `values` whenever it changes and
    /// when a lab file is read, so the file holds `values` alone.
    /// net.ipv4.conf.DEV.forwarding by device name.
    #[serde(skip)]
    dev_forwarding: BTreeMap<String, bool>,
    /// net.ipv4.neigh.DEV.* as the neighbour code reads them, by device
    /// name, for devices with a changed knob.
    #[serde(skip)]
    neigh_params: BTreeMap<String, crate::neigh::NeighParams>,
    /// net.ipv4.ip_default_ttl, read for every packet sent (None until the
    /// first rebuild: `default_ttl` then reads `values`).
    #[serde(skip)]
    default_ttl: Option<u8>,
    /// The conntrack knobs, typed (read per packet), while one differs
    /// from its default.
    #[serde(skip)]
    ct: Option<Box<CtTimeouts>>,
    /// Whether a source-validation knob (rp_filter, accept_local,
    /// src_valid_mark, log_martians) is set anywhere: while none is, an
    /// arriving packet's source check reads no knob.
    #[serde(skip)]
    src_knobs: bool,
}

/// Sysctls as a lab file holds them.
#[derive(Deserialize)]
struct SysctlsFile {
    #[serde(default)]
    init_net: bool,
    values: BTreeMap<String, String>,
}

impl From<SysctlsFile> for Sysctls {
    fn from(f: SysctlsFile) -> Sysctls {
        let mut s = Sysctls {
            init_net: f.init_net,
            values: f.values,
            ..Sysctls::default()
        };
        s.sync_mirrors();
        s
    }
}

impl Sysctls {
    /// A fresh namespace's knobs (`id` 0 is the initial namespace).
    pub fn for_netns(id: crate::types::NsId) -> Sysctls {
        Sysctls {
            init_net: id == 0,
            ..Sysctls::default()
        }
    }

    /// Whether `key` names an existing entry, given the namespace's device names.
    pub fn exists(key: &str, devs: &[&str]) -> bool {
        Self::default_of(key, devs).is_some()
    }

    fn default_of(key: &str, devs: &[&str]) -> Option<String> {
        if let Some((_, v)) = DEFAULTS
            .iter()
            .chain(crate::netfilter::ct::SYSCTL_DEFAULTS)
            .find(|(k, _)| *k == key)
        {
            return Some(v.to_string());
        }
        // nd_tbl's parameters are arp_tbl's but for locktime, which it
        // leaves at 0.
        if let Some(rest) = key.strip_prefix("net.ipv6.neigh.") {
            let (dev, knob) = rest.split_once('.')?;
            if !devs.contains(&dev) {
                return None;
            }
            return NEIGH4
                .iter()
                .find(|(k, _)| *k == knob)
                .map(|(k, v)| if *k == "locktime" { "0" } else { v }.to_string());
        }
        if let Some(rest) = key.strip_prefix("net.ipv4.neigh.") {
            let (dev, knob) = rest.split_once('.')?;
            if !devs.contains(&dev) {
                return None;
            }
            return NEIGH4
                .iter()
                .find(|(k, _)| *k == knob)
                .map(|(_, v)| v.to_string());
        }
        let (table, rest) = match key.strip_prefix("net.ipv4.conf.") {
            Some(r) => (CONF4, r),
            None => (CONF6, key.strip_prefix("net.ipv6.conf.")?),
        };
        let (dev, knob) = rest.split_once('.')?;
        if dev != "all" && dev != "default" && !devs.contains(&dev) {
            return None;
        }
        table
            .iter()
            .find(|(k, _)| *k == knob)
            .map(|(_, v)| v.to_string())
    }

    pub fn get(&self, key: &str, devs: &[&str]) -> Option<String> {
        // The switch for LOG in other namespaces lives in the initial one only.
        if key == NF_LOG_ALL_NETNS && !self.init_net {
            return None;
        }
        let d = Self::default_of(key, devs)?;
        if let Some(v) = self.values.get(key) {
            return Some(v.clone());
        }
        Some(self.conf4_default_of(key).cloned().unwrap_or(d))
    }

    /// A device's IPv4 conf knob never written reads as `default`'s
    /// (except [`COPIED_AT_REGISTER`]):
    /// devinet_copy_dflt_conf() copies a `default` write to every device
    /// whose knob was not set (forwarding excepted: its handler copies
    /// nothing, and a device copies it once, when it registers).
    fn conf4_default_of(&self, key: &str) -> Option<&String> {
        let (dev, knob) = key.strip_prefix("net.ipv4.conf.")?.split_once('.')?;
        if matches!(dev, "all" | "default") || COPIED_AT_REGISTER.contains(&knob) {
            return None;
        }
        self.values.get(&format!("net.ipv4.conf.default.{knob}"))
    }

    /// A device registers (inetdev_init(), ipv6_add_dev()): it starts
    /// with the namespace's `default` IPv6 knobs and IPv4 forwarding (the
    /// other IPv4 knobs read through to `default` until written).
    pub fn devconf_init(&mut self, dev: &str) {
        let copied: Vec<(String, String)> = self
            .values
            .iter()
            .filter_map(|(k, v)| {
                if let Some(knob) = k
                    .strip_prefix("net.ipv4.conf.default.")
                    .filter(|k| COPIED_AT_REGISTER.contains(k))
                {
                    return Some((format!("net.ipv4.conf.{dev}.{knob}"), v.clone()));
                }
                // mtu6 is the device's own MTU (ipv6_add_dev()).
                let knob = k
                    .strip_prefix("net.ipv6.conf.default.")
                    .filter(|k| *k != "mtu")?;
                Some((format!("net.ipv6.conf.{dev}.{knob}"), v.clone()))
            })
            .collect();
        if copied.is_empty() {
            return;
        }
        self.values.extend(copied);
        self.sync_mirrors();
    }

    /// Sets a value as the knob's handler parses and bounds it
    /// ([`handler_of`]): EINVAL for what the kernel refuses. `dev_mtu` is
    /// the MTU of the device a `net.ipv6.conf.DEV.mtu` write names.
    pub fn set(
        &mut self,
        key: &str,
        value: &str,
        devs: &[&str],
        dev_mtu: Option<u32>,
    ) -> Result<(), crate::error::Errno> {
        let Some(old) = self.get(key, devs) else {
            return Err(crate::error::Errno::ENOENT);
        };
        let norm = handler_of(key, dev_mtu).write(&old, value)?;
        // ip_forward is conf.all.forwarding: writing either changes both, and
        // every device's forwarding (devinet_sysctl_forward).
        if key == "net.ipv4.ip_forward" || key == "net.ipv4.conf.all.forwarding" {
            // The value is kept as written (2 reads back as 2); any non-zero
            // value turns forwarding on.
            let b = norm.as_str();
            self.values.insert("net.ipv4.ip_forward".into(), b.into());
            self.values
                .insert("net.ipv4.conf.all.forwarding".into(), b.into());
            self.values
                .insert("net.ipv4.conf.default.forwarding".into(), b.into());
            for d in devs {
                self.values
                    .insert(format!("net.ipv4.conf.{d}.forwarding"), b.into());
            }
            self.sync_mirrors();
            return Ok(());
        }
        // IPv6's all.forwarding and all.disable_ipv6 set `default` and every
        // device too (addrconf_fixup_forwarding(), addrconf_disable_ipv6()).
        if let Some(knob) = key
            .strip_prefix("net.ipv6.conf.all.")
            .filter(|k| matches!(*k, "forwarding" | "disable_ipv6"))
        {
            for d in std::iter::once(&"default").chain(devs) {
                self.values
                    .insert(format!("net.ipv6.conf.{d}.{knob}"), norm.clone());
            }
        }
        // One kernel value behind two files: seconds (or USER_HZ) and ms.
        let neigh = ["net.ipv4.neigh.", "net.ipv6.neigh."]
            .into_iter()
            .find_map(|f| Some((f, key.strip_prefix(f)?)));
        if let Some((family, rest)) = neigh {
            let (dev, knob) = rest.split_once('.').unwrap_or_default();
            let n: i64 = norm.parse().unwrap_or(0);
            let twin = match knob {
                // Saturating: a value that bypassed the range check (a
                // lab file edited by hand) must not overflow.
                "base_reachable_time" => Some(("base_reachable_time_ms", n.saturating_mul(1000))),
                "base_reachable_time_ms" => Some(("base_reachable_time", n / 1000)),
                "retrans_time" => Some(("retrans_time_ms", n.saturating_mul(10))),
                "retrans_time_ms" => Some(("retrans_time", n / 10)),
                _ => None,
            };
            if let Some((k, v)) = twin {
                self.values
                    .insert(format!("{family}{dev}.{k}"), v.to_string());
            }
        }
        self.values.insert(key.to_string(), norm);
        self.sync_mirrors();
        Ok(())
    }

    /// The ARP parameters of a device (no allocation: read per packet).
    pub fn neigh_params(&self, dev: &str) -> crate::neigh::NeighParams {
        self.neigh_params.get(dev).cloned().unwrap_or_default()
    }

    /// Rebuilds the mirrors (per-device forwarding and neighbour
    /// parameters, the default TTL, conntrack timeouts) from `values`.
    fn sync_mirrors(&mut self) {
        let mut np: BTreeMap<String, crate::neigh::NeighParams> = BTreeMap::new();
        for (k, v) in &self.values {
            let Some((dev, knob)) = k
                .strip_prefix("net.ipv4.neigh.")
                .and_then(|r| r.split_once('.'))
            else {
                continue;
            };
            let n: i64 = v.parse().unwrap_or(0);
            let p = np.entry(dev.to_string()).or_default();
            // Saturating, as `values` may come from a lab file.
            let ms = |ms: i64| crate::types::Time((ms.max(0) as u64).saturating_mul(1_000_000));
            match knob {
                "base_reachable_time_ms" => p.base_reachable_time = ms(n),
                "retrans_time_ms" => p.retrans_time = ms(n),
                "delay_first_probe_time" => p.delay_first_probe_time = ms(n.saturating_mul(1000)),
                "gc_stale_time" => p.gc_stale_time = ms(n.saturating_mul(1000)),
                "ucast_solicit" => p.ucast_solicit = n.max(0) as u32,
                "mcast_solicit" => p.mcast_solicit = n.max(0) as u32,
                "app_solicit" => p.app_solicit = n.max(0) as u32,
                "unres_qlen" => p.unres_qlen = n.max(0) as usize,
                _ => {}
            }
        }
        self.neigh_params = np;
        self.default_ttl = Some(self.ttl_of_values());
        self.dev_forwarding = self
            .values
            .iter()
            .filter_map(|(k, v)| {
                let dev = k
                    .strip_prefix("net.ipv4.conf.")?
                    .strip_suffix(".forwarding")?;
                (dev != "all" && dev != "default").then(|| (dev.to_string(), v != "0"))
            })
            .collect();
        self.src_knobs = self.values.iter().any(|(k, v)| {
            k.strip_prefix("net.ipv4.conf.")
                .and_then(|r| r.split_once('.'))
                .is_some_and(|(_, knob)| {
                    matches!(
                        knob,
                        "rp_filter" | "accept_local" | "src_valid_mark" | "log_martians"
                    )
                })
                && v != "0"
        });
        self.sync_ct();
    }

    /// Whether `src_knobs` (see there).
    pub(crate) fn src_knobs(&self) -> bool {
        self.src_knobs
    }

    /// An IPv4 conf knob as a device sees it: IN_DEV_MAXCONF (the larger
    /// of `all` and the device's) or, with `or`, IN_DEV_ORCONF (either
    /// set). A device's own value is its default's when never written.
    pub(crate) fn conf4(&self, dev: &str, knob: &str, or: bool) -> i64 {
        let (all, own) = (self.conf4_own("all", knob), self.conf4_own(dev, knob));
        if or {
            i64::from(all != 0 || own != 0)
        } else {
            all.max(own)
        }
    }

    /// An IPv4 conf knob of one directory (IN_DEV_CONF_GET): its own value,
    /// else its default's, else the built-in default.
    pub(crate) fn conf4_own(&self, d: &str, knob: &str) -> i64 {
        let key = format!("net.ipv4.conf.{d}.{knob}");
        match self
            .values
            .get(&key)
            .or_else(|| self.conf4_default_of(&key))
        {
            Some(v) => v.parse().unwrap_or(0),
            None => CONF4
                .iter()
                .find(|(k, _)| *k == knob)
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0),
        }
    }

    fn sync_ct(&mut self) {
        let set = self.values.keys().any(|k| k.starts_with("net.netfilter."));
        self.ct = set.then(|| Box::new(CtTimeouts::from_sysctl(|k| self.get_int(k))));
    }

    /// The conntrack timeouts and limits, as the trackers read them.
    pub fn ct_timeouts(&self) -> &CtTimeouts {
        self.ct.as_deref().unwrap_or_else(|| CtTimeouts::defaults())
    }

    pub fn get_int(&self, key: &str) -> i64 {
        match self.values.get(key) {
            Some(v) => v.parse().unwrap_or(0),
            None => default_ints().get(key).copied().unwrap_or(0),
        }
    }

    pub fn ip_forward(&self) -> bool {
        self.get_int("net.ipv4.ip_forward") != 0
    }

    /// Forwarding on one device (IN_DEV_FORWARD). Looked up per packet, so
    /// it reads a per-device map keyed by name without building a key.
    pub fn dev_forwarding(&self, dev: &str) -> bool {
        self.dev_forwarding
            .get(dev)
            .copied()
            .unwrap_or_else(|| self.ip_forward())
    }

    /// net.ipv4.ip_local_port_range as (low, high).
    pub fn local_port_range(&self) -> (u16, u16) {
        self.values
            .get("net.ipv4.ip_local_port_range")
            .and_then(|v| {
                let mut it = v.split_whitespace().map(|x| x.parse::<u16>().ok());
                Some((it.next()??, it.next()??))
            })
            .unwrap_or((32768, 60999))
    }

    pub fn default_ttl(&self) -> u8 {
        self.default_ttl.unwrap_or_else(|| self.ttl_of_values())
    }
    fn ttl_of_values(&self) -> u8 {
        self.get_int("net.ipv4.ip_default_ttl").clamp(1, 255) as u8
    }

    /// net.ipv6.conf.DEV.KNOB when it was set. Read per packet, so the key
    /// is matched in pieces rather than built.
    pub fn conf6_of(&self, dev: &str, knob: &str) -> Option<&str> {
        const CONF: &str = "net.ipv6.conf.";
        self.values
            .range::<str, _>((std::ops::Bound::Included(CONF), std::ops::Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(CONF))
            .find(|(k, _)| {
                k[CONF.len()..]
                    .strip_prefix(dev)
                    .and_then(|r| r.strip_prefix('.'))
                    == Some(knob)
            })
            .map(|(_, v)| v.as_str())
    }

    /// Whether IPv6 is disabled on a device (its own knob or conf.all).
    pub fn ipv6_disabled(&self, dev: &str) -> bool {
        let on = |v: Option<&str>| v.is_some_and(|v| v != "0");
        on(self.conf6_of("all", "disable_ipv6")) || on(self.conf6_of(dev, "disable_ipv6"))
    }

    /// A device was renamed or deleted: carry or drop its per-device values.
    pub fn rename_dev(&mut self, old: &str, new: Option<&str>) {
        self.rename_dev_in("net.ipv6.conf.", old, new);
        self.rename_dev_in("net.ipv4.conf.", old, new);
        self.rename_dev_in("net.ipv4.neigh.", old, new);
        self.rename_dev_in("net.ipv6.neigh.", old, new);
        self.sync_mirrors();
    }

    fn rename_dev_in(&mut self, family: &str, old: &str, new: Option<&str>) {
        let prefix = format!("{family}{old}.");
        let moved: Vec<(String, String)> = self
            .values
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (k, v) in moved {
            self.values.remove(&k);
            if let Some(n) = new {
                self.values
                    .insert(format!("{family}{n}.{}", &k[prefix.len()..]), v);
            }
        }
    }

    /// All keys under a dotted prefix, for `sysctl -a` style listings.
    pub fn keys(devs: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = DEFAULTS
            .iter()
            .chain(crate::netfilter::ct::SYSCTL_DEFAULTS)
            .map(|(k, _)| k.to_string())
            .collect();
        for d in ["all", "default"].iter().chain(devs.iter()) {
            for (k, _) in CONF4 {
                v.push(format!("net.ipv4.conf.{d}.{k}"));
            }
            for (k, _) in CONF6 {
                v.push(format!("net.ipv6.conf.{d}.{k}"));
            }
        }
        for d in devs {
            for (k, _) in NEIGH4 {
                v.push(format!("net.ipv4.neigh.{d}.{k}"));
                v.push(format!("net.ipv6.neigh.{d}.{k}"));
            }
        }
        v.sort();
        v
    }
}

/// How the kernel's proc handler for a knob parses and bounds a write
/// (kernel/sysctl.c and the handlers of net/ipv4/sysctl_net_ipv4.c,
/// devinet.c, net/ipv6/addrconf.c, net/core/neighbour.c and
/// nf_conntrack_standalone.c in Linux 6.1; checked on a real kernel by
/// writing to /proc/sys in a namespace). Debian's kernel has HZ=250.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handler {
    /// proc_dointvec: any int.
    Int,
    /// proc_dointvec_minmax / proc_dou8vec_minmax: an int in [min, max].
    MinMax(i64, i64),
    /// proc_dointvec_jiffies (seconds): |v| at most INT_MAX / HZ.
    Jiffies,
    /// proc_dointvec_ms_jiffies: milliseconds that fit an int, not negative.
    MsJiffies,
    /// ipv4_local_port_range(): two ports in 1..=65535, the second not
    /// below the first, the first not below ip_unprivileged_port_start.
    PortRange,
    /// ipv4_ping_group_range(): two gids; a range with high < low is
    /// stored as the empty range "1 0".
    GroupRange,
    /// A string (net.core.default_qdisc).
    Text,
}

const INT_MAX: i64 = i32::MAX as i64;
/// CONFIG_HZ of Debian's kernel.
const HZ: i64 = 250;
/// ip_unprivileged_port_start's default (ports below it are privileged).
const UNPRIVILEGED_PORT_START: i64 = 1024;
/// IPV6_MIN_MTU and IP6_MAX_MTU.
const IPV6_MIN_MTU: i64 = 1280;
const IP6_MAX_MTU: i64 = 65535 + 40;
/// SKB_TRUESIZE(ETH_FRAME_LEN) in 6.1: unres_qlen is kept in bytes, so at
/// most INT_MAX / this many packets.
const SKB_TRUESIZE_ETH: i64 = 2090;

/// The handler of `key` (a known key; `dev_mtu` as for [`Sysctls::set`]).
pub fn handler_of(key: &str, dev_mtu: Option<u32>) -> Handler {
    use Handler::*;
    let knob = key.rsplit('.').next().unwrap_or(key);
    if key.starts_with("net.ipv4.neigh.") || key.starts_with("net.ipv6.neigh.") {
        return match knob {
            "unres_qlen" => MinMax(0, INT_MAX / SKB_TRUESIZE_ETH),
            "base_reachable_time" | "delay_first_probe_time" | "gc_stale_time" => Jiffies,
            "base_reachable_time_ms" | "retrans_time_ms" => MsJiffies,
            "interval_probe_time_ms" => MinMax(1, INT_MAX),
            // USER_HZ jiffies: any value is taken.
            "anycast_delay" | "proxy_delay" | "locktime" | "retrans_time" => Int,
            _ => MinMax(0, INT_MAX),
        };
    }
    if key.starts_with("net.ipv6.conf.") {
        return match knob {
            "hop_limit" => MinMax(1, 255),
            "mtu" => MinMax(IPV6_MIN_MTU, dev_mtu.map_or(IP6_MAX_MTU, i64::from)),
            "router_solicitation_delay" | "router_solicitation_interval" => Jiffies,
            "router_solicitations" => MinMax(-1, INT_MAX),
            _ => Int,
        };
    }
    if key.starts_with("net.ipv4.conf.") {
        // devinet_conf_proc() is proc_dointvec for every knob.
        return Int;
    }
    if let Some(ct) = key.strip_prefix("net.netfilter.nf_conntrack_") {
        return match ct {
            "acct" | "checksum" | "tcp_be_liberal" | "tcp_loose" | "timestamp" => MinMax(0, 1),
            "log_invalid" | "tcp_max_retrans" => MinMax(0, 255),
            _ if ct.contains("timeout") => Jiffies,
            _ => Int,
        };
    }
    match key {
        "net.ipv4.ip_default_ttl" => MinMax(1, 255),
        "net.ipv4.icmp_echo_ignore_all" | "net.ipv4.icmp_echo_ignore_broadcasts" => MinMax(0, 1),
        "net.ipv4.icmp_ratelimit" => MsJiffies,
        "net.ipv4.ip_nonlocal_bind" => MinMax(0, 255),
        "net.ipv4.tcp_syn_retries" => MinMax(1, 127),
        "net.ipv4.ip_no_pmtu_disc" => MinMax(0, 255),
        "net.ipv4.route.mtu_expires" => Jiffies,
        // ip_min_valid_pmtu: IPV4_MIN_MTU.
        "net.ipv4.route.min_pmtu" => MinMax(68, INT_MAX),
        // proc_fib_multipath_hash_policy / _fields: bounded by the policies
        // and FIB_MULTIPATH_HASH_FIELD_ALL_MASK.
        "net.ipv4.fib_multipath_hash_policy" | "net.ipv6.fib_multipath_hash_policy" => MinMax(0, 3),
        "net.ipv4.fib_multipath_hash_fields" | "net.ipv6.fib_multipath_hash_fields" => {
            MinMax(0, 0x3f | 0xfc0)
        }
        "net.ipv4.fib_multipath_use_neigh" => MinMax(0, 1),
        "net.ipv4.ip_local_port_range" => PortRange,
        "net.ipv4.ping_group_range" => GroupRange,
        "net.core.somaxconn" => MinMax(0, INT_MAX),
        "net.core.default_qdisc" => Text,
        _ => Int,
    }
}

/// proc_get_long(): optional blanks, an optional '-', digits in C's bases
/// (0x hex, leading 0 octal) and then a blank or the end; the magnitude
/// must fit an unsigned long. Returns the value and the rest.
fn proc_get_long(s: &str) -> Option<(i64, &str)> {
    let s = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let end = body
        .find(|c: char| c.is_ascii_whitespace())
        .unwrap_or(body.len());
    let (num, rest) = body.split_at(end);
    let mag = if let Some(h) = num.strip_prefix("0x").or_else(|| num.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()?
    } else if num.len() > 1 && num.starts_with('0') {
        u64::from_str_radix(&num[1..], 8).ok()?
    } else if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) {
        num.parse::<u64>().ok()?
    } else {
        return None;
    };
    // i64 is wide enough for every bound below; larger magnitudes fail them.
    let v = i64::try_from(mag).unwrap_or(i64::MAX);
    Some((if neg { -v } else { v }, rest))
}

impl Handler {
    /// The value a write of `text` leaves (given the `old` one), or EINVAL.
    fn write(self, old: &str, text: &str) -> Result<String, Errno> {
        use Handler::*;
        if self == Text {
            return Ok(text.trim().to_string());
        }
        // One int, or two for the ranges; fewer values change fewer
        // (a single "2000" sets the first port only), extra text is left.
        let n = if matches!(self, PortRange | GroupRange) {
            2
        } else {
            1
        };
        let mut vals: Vec<i64> = old
            .split_whitespace()
            .filter_map(|v| v.parse().ok())
            .collect();
        vals.resize(n, 0);
        let mut rest = text;
        let mut got = 0;
        while got < n {
            if rest.trim().is_empty() {
                break;
            }
            let (v, r) = proc_get_long(rest).ok_or(Errno::EINVAL)?;
            let ok = match self {
                Int => (-INT_MAX - 1..=INT_MAX).contains(&v),
                MinMax(lo, hi) => (-INT_MAX - 1..=INT_MAX).contains(&v) && (lo..=hi).contains(&v),
                Jiffies => v.abs() <= INT_MAX / HZ,
                MsJiffies => (0..=INT_MAX).contains(&v),
                PortRange => (1..=65535).contains(&v),
                GroupRange => (0..=u32::MAX as i64 - 1).contains(&v),
                Text => true,
            };
            if !ok {
                return Err(Errno::EINVAL);
            }
            vals[got] = v;
            got += 1;
            rest = r;
        }
        if got == 0 {
            return Err(Errno::EINVAL);
        }
        match self {
            PortRange if vals[1] < vals[0] || vals[0] < UNPRIVILEGED_PORT_START => {
                return Err(Errno::EINVAL)
            }
            GroupRange if vals[1] < vals[0] => vals = vec![1, 0],
            _ => {}
        }
        Ok(vals
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\t"))
    }
}

impl World {
    // ---- IPv6 addresses ---------------------------------------------------

    /// After a sysctl write: addrconf_disable_ipv6() drops a device's IPv6
    /// addresses when disable_ipv6 is set, and re-creates them when cleared.
    /// A write to /proc/sys/KEY (dotted) in `ns`, and what the new value
    /// changes at once (forwarding, neighbour parameters, TTLs, timeouts).
    pub fn sysctl_write(&mut self, ns: NsId, key: &str, value: &str) -> Result<(), Errno> {
        let n = self.ns_mut(ns);
        let devs: Vec<String> = n.dev_names().iter().map(|d| d.to_string()).collect();
        let devs: Vec<&str> = devs.iter().map(|d| d.as_str()).collect();
        let dev_mtu = key
            .strip_prefix("net.ipv6.conf.")
            .and_then(|r| r.strip_suffix(".mtu"))
            .and_then(|d| n.dev_by_name(d))
            .map(|d| d.mtu);
        let r = n.sysctl.set(key, value, &devs, dev_mtu);
        self.sysctl_changed(ns);
        r
    }

    /// A read of /proc/sys/KEY (dotted) in `ns`; `None` when there is no
    /// such entry (per-device keys exist for the namespace's devices).
    pub fn sysctl_read(&self, ns: NsId, key: &str) -> Option<String> {
        let n = self.ns(ns);
        let v = n.sysctl.get(key, &n.dev_names())?;
        // idev->cnf.mtu6 is the device's MTU until written (ipv6_add_dev,
        // and addrconf_notify on NETDEV_CHANGEMTU).
        let dev = key
            .strip_prefix("net.ipv6.conf.")
            .and_then(|r| r.strip_suffix(".mtu"));
        match dev.and_then(|d| n.dev_by_name(d)) {
            Some(d) if !n.sysctl.values.contains_key(key) => Some(d.mtu.max(1280).to_string()),
            _ => Some(v),
        }
    }

    pub(crate) fn sysctl_changed(&mut self, ns: NsId) {
        let disabled: Vec<u32> = {
            let n = self.ns(ns);
            n.devs
                .values()
                .filter(|d| n.sysctl.ipv6_disabled(&d.name))
                .map(|d| d.ifindex)
                .collect()
        };
        self.ns_mut(ns)
            .addrs6
            .retain(|a| !disabled.contains(&a.ifindex));
        self.refresh_carriers(ns);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `v` to `key` in a fresh namespace with a device "v0" (MTU
    /// 1500): the value read back, or the error.
    fn write(key: &str, v: &str) -> Result<String, Errno> {
        let mut s = Sysctls::for_netns(1);
        let devs = ["lo", "v0"];
        let mtu = key.ends_with("v0.mtu").then_some(1500);
        s.set(key, v, &devs, mtu)?;
        Ok(s.get(key, &devs).unwrap())
    }

    fn ok(key: &str, v: &str, expect: &str) {
        assert_eq!(write(key, v).as_deref(), Ok(expect), "{key} = {v:?}");
    }

    fn refused(key: &str, v: &str) {
        assert_eq!(write(key, v), Err(Errno::EINVAL), "{key} = {v:?}");
    }

    // Each case below was written to /proc/sys on a real kernel in a
    // fresh namespace (unshare --net), accepted or refused as here.

    #[test]
    fn default_ttl_and_hop_limit_are_1_to_255() {
        for k in ["net.ipv4.ip_default_ttl", "net.ipv6.conf.v0.hop_limit"] {
            refused(k, "0");
            refused(k, "-5");
            refused(k, "256");
            ok(k, "1", "1");
            ok(k, "255", "255");
        }
    }

    #[test]
    fn numbers_are_read_as_proc_get_long_reads_them() {
        let k = "net.ipv4.ip_default_ttl";
        ok(k, " 5", "5");
        ok(k, "5 ", "5");
        ok(k, "05", "5");
        ok(k, "0x10", "16");
        ok(k, "5 6", "5");
        refused(k, "+5");
        refused(k, "5x");
        refused(k, "");
        refused(k, " ");
        refused(k, "abc");
        ok("net.ipv4.ip_forward", "-0", "0");
    }

    #[test]
    fn plain_ints_are_any_int() {
        for k in [
            "net.ipv4.ip_forward",
            "net.ipv4.conf.v0.rp_filter",
            "net.ipv6.conf.all.forwarding",
            "net.ipv4.icmp_ratemask",
        ] {
            ok(k, "-2147483648", "-2147483648");
            ok(k, "2147483647", "2147483647");
            refused(k, "2147483648");
            refused(k, "-2147483649");
        }
    }

    #[test]
    fn booleans_and_bounded_knobs() {
        for k in [
            "net.ipv4.icmp_echo_ignore_all",
            "net.ipv4.icmp_echo_ignore_broadcasts",
            "net.netfilter.nf_conntrack_acct",
            "net.netfilter.nf_conntrack_tcp_loose",
        ] {
            ok(k, "1", "1");
            refused(k, "2");
            refused(k, "-1");
        }
        ok("net.ipv4.ip_nonlocal_bind", "255", "255");
        refused("net.ipv4.ip_nonlocal_bind", "256");
        ok("net.ipv4.tcp_syn_retries", "127", "127");
        refused("net.ipv4.tcp_syn_retries", "128");
        refused("net.ipv4.tcp_syn_retries", "0");
        ok("net.core.somaxconn", "0", "0");
        refused("net.core.somaxconn", "-1");
        ok("net.ipv4.icmp_ratelimit", "0", "0");
        refused("net.ipv4.icmp_ratelimit", "-1");
        ok("net.ipv4.neigh.v0.unres_qlen", "1000000", "1000000");
        refused("net.ipv4.neigh.v0.unres_qlen", "4000000");
        refused("net.ipv4.neigh.v0.interval_probe_time_ms", "0");
        ok("net.netfilter.nf_conntrack_udp_timeout", "-1", "-1");
        ok(
            "net.netfilter.nf_conntrack_udp_timeout",
            "8589934",
            "8589934",
        );
        refused("net.netfilter.nf_conntrack_udp_timeout", "2147483647");
        refused("net.netfilter.nf_conntrack_log_invalid", "256");
    }

    #[test]
    fn huge_values_from_a_lab_file_do_not_overflow() {
        // The range check bounds what a script writes; a lab file edited
        // by hand is read as it is.
        let big = i64::MAX.to_string();
        let file = SysctlsFile {
            init_net: false,
            values: [
                "base_reachable_time_ms",
                "retrans_time_ms",
                "delay_first_probe_time",
                "gc_stale_time",
            ]
            .iter()
            .map(|k| (format!("net.ipv4.neigh.v0.{k}"), big.clone()))
            .collect(),
        };
        let s = Sysctls::from(file);
        let p = s.neigh_params("v0");
        assert_eq!(p.base_reachable_time, crate::types::Time(u64::MAX));
        assert_eq!(p.delay_first_probe_time, crate::types::Time(u64::MAX));
        // Writing the seconds twin of a huge value saturates too.
        let mut s = Sysctls::for_netns(1);
        s.values
            .insert("net.ipv4.neigh.v0.base_reachable_time".into(), big.clone());
        let _ = s.set(
            "net.ipv4.neigh.v0.base_reachable_time",
            "2147483",
            &["v0"],
            None,
        );
    }

    #[test]
    fn ipv6_mtu_is_bounded_by_the_device() {
        refused("net.ipv6.conf.v0.mtu", "1279");
        ok("net.ipv6.conf.v0.mtu", "1280", "1280");
        ok("net.ipv6.conf.v0.mtu", "1500", "1500");
        refused("net.ipv6.conf.v0.mtu", "1501");
    }

    #[test]
    fn local_port_range_is_ordered_and_unprivileged() {
        let k = "net.ipv4.ip_local_port_range";
        refused(k, "5000 100");
        refused(k, "100 100");
        refused(k, "1 65535");
        refused(k, "1024 65536");
        refused(k, "-1 5");
        ok(k, "1024 2000", "1024\t2000");
        ok(k, "1025 2000", "1025\t2000");
        ok(k, "5000\t6000", "5000\t6000");
        // One value sets the first port only.
        ok(k, "2000", "2000\t60999");
    }

    #[test]
    fn ping_group_range_inverted_is_empty() {
        let k = "net.ipv4.ping_group_range";
        ok(k, "5 1", "1\t0");
        ok(k, "0 2147483648", "0\t2147483648");
        refused(k, "-1 5");
    }
}
