//! A route as `ip route` prints it: one printer for `ip route show` (the
//! tools omit what the user selected on) and for the trace's route
//! lookups. Also iproute2's names for route protocols and tables.

use super::fib::{proto, Route, RouteType, RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN};
use super::route::OutRoute;
use crate::addr::Scope;
use crate::dev::DevRef;
use crate::error::{Errno, KResult};
use crate::flow::Flowi4;
use crate::ipv6::route::Rt6;
use crate::trace::Trace;
use crate::types::NsId;
use crate::world::World;
use std::fmt::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// iproute2's rt_protos names (built in and /etc/iproute2/rt_protos).
pub const PROTOS: &[(u8, &str)] = &[
    (0, "unspec"),
    (1, "redirect"),
    (2, "kernel"),
    (3, "boot"),
    (4, "static"),
    (8, "gated"),
    (9, "ra"),
    (10, "mrt"),
    (11, "zebra"),
    (12, "bird"),
    (13, "dnrouted"),
    (14, "xorp"),
    (15, "ntk"),
    (16, "dhcp"),
    (18, "keepalived"),
    (42, "babel"),
    (99, "openr"),
    (186, "bgp"),
    (187, "isis"),
    (188, "ospf"),
    (189, "rip"),
    (192, "eigrp"),
];

/// A route protocol's name (`kernel`, `static`, ...) or its number.
pub fn proto_name(p: u8) -> String {
    PROTOS
        .iter()
        .find(|(n, _)| *n == p)
        .map(|(_, s)| s.to_string())
        .unwrap_or_else(|| p.to_string())
}

/// /etc/iproute2/rt_dsfield of iproute2 6.1, in file order (a later name
/// for the same value wins when printing, as rtnl_dsfield_n2a's table does).
pub const DSFIELD: &[(u8, &str)] = &[
    (0x00, "default"),
    (0x28, "AF11"),
    (0x30, "AF12"),
    (0x38, "AF13"),
    (0x48, "AF21"),
    (0x50, "AF22"),
    (0x58, "AF23"),
    (0x68, "AF31"),
    (0x70, "AF32"),
    (0x78, "AF33"),
    (0x88, "AF41"),
    (0x90, "AF42"),
    (0x98, "AF43"),
    (0x20, "CS1"),
    (0x40, "CS2"),
    (0x60, "CS3"),
    (0x80, "CS4"),
    (0xa0, "CS5"),
    (0xc0, "CS6"),
    (0xe0, "CS7"),
    (0xb8, "EF"),
];

/// rtnl_dsfield_n2a(): a DS field's name, else its byte in hex.
pub fn dsfield_n2a(v: u8) -> String {
    DSFIELD
        .iter()
        .rev()
        .find(|(x, _)| *x == v)
        .map(|(_, n)| n.to_string())
        .unwrap_or_else(|| format!("0x{v:02x}"))
}

/// A table's name (`main`, `local`, `default`) or its number.
pub fn table_name(t: u32) -> String {
    match t {
        RT_TABLE_MAIN => "main".into(),
        RT_TABLE_LOCAL => "local".into(),
        RT_TABLE_DEFAULT => "default".into(),
        n => n.to_string(),
    }
}

/// What a route's line shows: iproute2 leaves out the attributes the
/// listing was selected on (`ip route show dev X` prints no `dev`).
#[derive(Clone, Copy, Debug)]
pub struct RouteFmt {
    /// `table T` for a table other than main (`show table all`).
    pub show_table: bool,
    /// `-d`: the type, protocol and scope even when they are the defaults.
    pub details: bool,
    pub via: bool,
    pub dev: bool,
    pub proto: bool,
    pub scope: bool,
}

impl RouteFmt {
    /// Everything, as plain `ip route show` prints a route of main.
    pub const PLAIN: RouteFmt = RouteFmt {
        show_table: false,
        details: false,
        via: true,
        dev: true,
        proto: true,
        scope: true,
    };
}

/// A route's text as the trace last wrote it, with what the text depends
/// on besides the route: its device's name and whether the link is down.
#[derive(Clone, Debug)]
pub(crate) struct TracedRoute {
    ns: NsId,
    route: Route,
    dev: Option<String>,
    linkdown: bool,
    text: String,
}

/// How many route texts the trace keeps (a lab's hot routes are few).
const TRACED_ROUTES: usize = 32;

impl World {
    /// The next hop's device name and RTNH_F_LINKDOWN, as the text shows
    /// them: the device is up but has no carrier. Host-scope routes (local
    /// addresses) have next hops of scope "nowhere", which
    /// fib_sync_down_dev() never marks.
    fn route_dev_state(&self, ns: NsId, r: &Route) -> (Option<&str>, bool) {
        let name = r
            .dev
            .and_then(|d| self.ns(ns).dev(d))
            .map(|d| d.name.as_str());
        let down = r.dev.filter(|_| r.scope != Scope::Host).is_some_and(|d| {
            let dr = DevRef { ns, ifindex: d };
            self.dev(dr).is_some_and(|x| x.up) && !self.carrier(dr)
        });
        (name, down)
    }

    /// `route_text` for a trace event, kept for the next lookup that takes
    /// the same route: formatting it for every packet was most of what a
    /// traced route lookup cost.
    fn route_text_traced(&mut self, ns: NsId, r: &Route) -> String {
        let (dev, down) = self.route_dev_state(ns, r);
        let hit = self
            .traced_routes
            .iter()
            .find(|c| c.ns == ns && c.linkdown == down && c.dev.as_deref() == dev && c.route == *r);
        if let Some(c) = hit {
            return c.text.clone();
        }
        let dev = dev.map(str::to_string);
        let text = self.route_text(ns, r, &RouteFmt::PLAIN);
        let e = TracedRoute {
            ns,
            route: r.clone(),
            dev,
            linkdown: down,
            text: text.clone(),
        };
        if self.traced_routes.len() >= TRACED_ROUTES {
            self.traced_routes.remove(0);
        }
        self.traced_routes.push(e);
        text
    }

    /// One route of namespace `ns` as `ip route` prints it (without the
    /// trailing space iproute2 adds): `10.0.2.0/24 dev rb proto kernel
    /// scope link src 10.0.2.1`, `default via 10.0.1.1 dev va`.
    pub fn route_text(&self, ns: NsId, r: &Route, f: &RouteFmt) -> String {
        let n = self.ns(ns);
        let mut s = String::new();
        if f.details || r.rtype != RouteType::Unicast {
            s.push_str(r.rtype.name());
            s.push(' ');
        }
        if r.dst.len == 0 && r.dst.addr.is_unspecified() {
            s.push_str("default");
        } else if r.dst.len == 32 {
            let _ = write!(s, "{}", r.dst.addr);
        } else {
            let _ = write!(s, "{}", r.dst);
        }
        if let Some(id) = r.nhid {
            let _ = write!(s, " nhid {id}");
        }
        if let (Some(g), true) = (r.gateway, f.via) {
            let _ = write!(s, " via {g}");
        }
        if let Some(d) = r.dev.and_then(|d| n.dev(d)) {
            if f.dev {
                let _ = write!(s, " dev {}", d.name);
            }
        }
        if f.show_table && r.table != RT_TABLE_MAIN {
            let _ = write!(s, " table {}", table_name(r.table));
        }
        if (r.proto != proto::BOOT || f.details) && f.proto {
            let _ = write!(s, " proto {}", proto_name(r.proto));
        }
        if (r.scope != Scope::Universe || f.details) && f.scope {
            let _ = write!(s, " scope {}", r.scope.name());
        }
        if let Some(p) = r.prefsrc {
            let _ = write!(s, " src {p}");
        }
        if r.metric != 0 {
            let _ = write!(s, " metric {}", r.metric);
        }
        if r.onlink {
            s.push_str(" onlink");
        }
        if let Some(m) = r.mtu {
            let _ = write!(s, " mtu {m}");
        }
        let hops = r.nh.hops();
        if self.route_dev_state(ns, r).1
            || !hops.is_empty() && hops.iter().all(|h| self.nh_state(ns, h.dev).linkdown)
        {
            s.push_str(" linkdown");
        }
        for h in hops {
            // print_rta_multipath(): a line per next hop, after a newline
            // (`\` with -o) and a tab, each field with its trailing space.
            s.push_str(" \n\tnexthop");
            if let Some(g) = h.gateway {
                let _ = write!(s, " via {g}");
            }
            if let Some(d) = n.dev(h.dev) {
                let _ = write!(s, " dev {}", d.name);
            }
            let _ = write!(s, " weight {}", h.weight);
            let st = self.nh_state(ns, h.dev);
            if st.dead {
                s.push_str(" dead");
            }
            if h.onlink {
                s.push_str(" onlink");
            }
            if st.linkdown {
                s.push_str(" linkdown");
            }
        }
        s
    }
}

/// Why no route takes `dst`: `no route to 10.0.1.2 (table main has no
/// default route)`, the commonest cause said outright.
fn no_route(w: &World, ns: NsId, dst: IpAddr) -> String {
    let has_default = match dst {
        IpAddr::V4(_) => w
            .ns(ns)
            .fib
            .table(RT_TABLE_MAIN)
            .is_some_and(|t| t.lookup(Ipv4Addr::UNSPECIFIED).any(|r| r.dst.len == 0)),
        IpAddr::V6(_) => w.fib6_lookup(ns, Ipv6Addr::UNSPECIFIED, None).is_some(),
    };
    if has_default {
        format!("no route to {dst}")
    } else {
        format!("no route to {dst} (table main has no default route)")
    }
}

/// An IPv6 route in `ip -6 route`'s shape.
fn rt6_text(w: &World, ns: NsId, r: &Rt6) -> String {
    let mut s = String::new();
    if r.rtype != RouteType::Unicast {
        s.push_str(r.rtype.name());
        s.push(' ');
    }
    if r.len == 0 {
        s.push_str("default");
    } else {
        let _ = write!(s, "{}/{}", r.dst, r.len);
    }
    if let Some(g) = r.gateway {
        let _ = write!(s, " via {g}");
    }
    if let Some(d) = r.dev.and_then(|d| w.ns(ns).dev(d)) {
        let _ = write!(s, " dev {}", d.name);
    }
    if r.kernel {
        s.push_str(" proto kernel");
    }
    let _ = write!(s, " metric {} pref medium", r.metric);
    s
}

impl World {
    /// A route lookup of the packet being processed, as a trace event:
    /// the route that matched (`ip route`'s line and its table) or why
    /// none did; `err`: the error the lookup returned to its caller.
    fn trace_route(
        &mut self,
        ns: NsId,
        dst: IpAddr,
        table: Option<u32>,
        text: String,
        rule: Option<String>,
    ) {
        self.trace(|| Trace::RouteLookup {
            ns,
            dst,
            table,
            result: text,
            rule,
        });
    }

    /// The policy rule at `pos` of the namespace's IPv4 list, as the trace names it.
    fn rule4_label(&self, ns: NsId, pos: Option<usize>) -> Option<String> {
        let n = self.ns(ns);
        n.rules4.rule_label(pos?, n)
    }

    /// Route input's (or forwarding's) IPv4 lookup: `rt` is what matched,
    /// `rule` the policy rule that chose its table (None: a default rule).
    pub(crate) fn trace_route_in4(
        &mut self,
        ns: NsId,
        dst: Ipv4Addr,
        rt: Option<&Route>,
        rule: Option<usize>,
        chosen: Option<(Option<Ipv4Addr>, Option<u32>)>,
    ) {
        if self.tracer.is_none() {
            return;
        }
        let (table, text) = match rt {
            Some(r) => {
                let text = self.route_text_traced(ns, r);
                (Some(r.table), self.with_chosen_nh(ns, r, text, chosen))
            }
            None => (None, no_route(self, ns, dst.into())),
        };
        let rule = self.rule4_label(ns, rule);
        self.trace_route(ns, dst.into(), table, text, rule);
    }

    /// A multipath route's text cut to its first line, then `nexthop via
    /// G dev D`: the path this packet takes.
    fn with_chosen_nh(
        &self,
        ns: NsId,
        r: &Route,
        text: String,
        chosen: Option<(Option<Ipv4Addr>, Option<u32>)>,
    ) -> String {
        let (Some((gw, dev)), false) = (chosen, r.nh.is_single()) else {
            return text;
        };
        let mut t = text.split(" \n").next().unwrap_or("").to_string();
        t.push_str(" nexthop");
        if let Some(g) = gw {
            let _ = write!(t, " via {g}");
        }
        if let Some(d) = dev.and_then(|d| self.ns(ns).dev(d)) {
            let _ = write!(t, " dev {}", d.name);
        }
        t
    }

    /// ip_route_output's lookup for a packet the namespace sends: the
    /// route, or why none (with the errno the sender gets).
    pub(crate) fn trace_route_out4(&mut self, ns: NsId, fl: &Flowi4, res: &KResult<OutRoute>) {
        if self.tracer.is_none() {
            return;
        }
        let dst = fl.daddr;
        let (hit, rule) = match self.fib_lookup(ns, fl) {
            Ok(r) => (Some(r.route.clone()), r.rule),
            Err(e) => (None, e.rule),
        };
        let (table, text) = match (res, hit) {
            (Ok(o), Some(r)) => {
                let text = self.route_text_traced(ns, &r);
                let gw = (o.nexthop != dst).then_some(o.nexthop);
                (
                    Some(r.table),
                    self.with_chosen_nh(ns, &r, text, Some((gw, Some(o.dev)))),
                )
            }
            (Ok(o), None) => {
                let dev = self.ns(ns).dev(o.dev).map_or("?", |d| d.name.as_str());
                (
                    None,
                    format!("{dst} dev {dev} (no route: the device given)"),
                )
            }
            (Err(e), Some(r)) => (
                Some(r.table),
                format!(
                    "{}: {:?}",
                    self.route_text(ns, &r, &RouteFmt::PLAIN),
                    e.errno
                ),
            ),
            (Err(e), None) => (
                None,
                format!("{}: {:?}", no_route(self, ns, dst.into()), e.errno),
            ),
        };
        let rule = self.rule4_label(ns, rule);
        self.trace_route(ns, dst.into(), table, text, rule);
    }

    /// The IPv6 lookups, input and output alike (`err`: what the sender got).
    pub(crate) fn trace_route6(
        &mut self,
        ns: NsId,
        dst: Ipv6Addr,
        rt: Option<&Rt6>,
        err: Option<Errno>,
    ) {
        if self.tracer.is_none() {
            return;
        }
        let mut text = match rt {
            Some(r) => rt6_text(self, ns, r),
            None => no_route(self, ns, dst.into()),
        };
        if let Some(e) = err {
            let _ = write!(text, ": {e:?}");
        }
        // IPv6 routes live in main here (no local table kept).
        let table = rt.map(|_| RT_TABLE_MAIN);
        self.trace_route(ns, dst.into(), table, text, None);
    }
}
