//! `conntrack -o xml`: libnetfilter_conntrack's XML printer
//! (`__snprintf_conntrack_xml`), one `<flow>` per line between the
//! document's header and footer, which come only when a flow does.

use super::proto_name;
use vnet_core::netfilter::ct::{status, Conn, CtAddr, Tuple};
use vnet_core::World;

pub const HEADER: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<conntrack>\n";
pub const FOOTER: &str = "</conntrack>\n";

/// One direction's `<meta>`: addresses, then the ports of the protocols
/// that have them (ICMP's layer 4 stays empty).
fn meta<A: CtAddr>(dir: &str, t: &Tuple<A>) -> String {
    let (l3num, l3name) = if t.src.v4().is_some() {
        (2, "ipv4")
    } else {
        (10, "ipv6")
    };
    let l4 = match t.proto {
        6 | 17 | 132 | 136 | 33 => format!("<sport>{}</sport><dport>{}</dport>", t.sport, t.dport),
        _ => String::new(),
    };
    format!(
        "<meta direction=\"{dir}\"><layer3 protonum=\"{l3num}\" protoname=\"{l3name}\">\
         <src>{}</src><dst>{}</dst></layer3><layer4 protonum=\"{}\" protoname=\"{}\">{l4}\
         </layer4></meta>",
        t.src,
        t.dst,
        t.proto,
        proto_name(t.proto)
    )
}

/// A connection as one `<flow>` line.
pub fn flow<A: CtAddr>(w: &World, c: &Conn<A>) -> String {
    let mut s = String::from("<flow>");
    s.push_str(&meta("original", &c.tuple[0]));
    s.push_str(&meta("reply", &c.tuple[1]));
    s.push_str("<meta direction=\"independent\">");
    if let Some(st) = c.tcp_state() {
        s.push_str(&format!("<state>{}</state>", st.name()));
    }
    s.push_str(&format!(
        "<timeout>{}</timeout><mark>{}</mark>",
        w.ct_seconds_left(c),
        c.mark
    ));
    // The kernel dumps CTA_ZONE only for a zone other than the default.
    if c.zone != 0 {
        s.push_str(&format!("<zone>{}</zone>", c.zone));
    }
    s.push_str(&format!("<use>1</use><id>{}</id>", c.id));
    if c.has(status::ASSURED) {
        s.push_str("<assured/>");
    }
    if !c.has(status::SEEN_REPLY) {
        s.push_str("<unreplied/>");
    }
    s.push_str("</meta></flow>");
    s
}
