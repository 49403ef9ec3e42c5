//! Rough forwarding rate of the simulated router: packets routed a → r → b
//! per second of wall time, one core. A measurement to print, not a test.
//! `cargo run --release -p vnet-core --example forward_rate`

use std::net::Ipv4Addr;
use std::time::Instant;
use vnet_core::addr::Ifaddr4;
use vnet_core::dev::rtnetlink::LinkChange;
use vnet_core::dev::rtnetlink::NewLink;
use vnet_core::ipv4::fib::Route;
use vnet_core::{NsId, Prefix4, Time, World};

fn addr(w: &mut World, ns: NsId, dev: &str, a: [u8; 4]) {
    w.sysctl_write(ns, "net.ipv6.conf.all.disable_ipv6", "1")
        .unwrap();
    let ifindex = w.ns(ns).ifindex_of(dev).unwrap();
    let ip = Ipv4Addr::from(a);
    let f = Ifaddr4::new(ifindex, ip, 24);
    w.addr_add(ns, f).unwrap();
    w.link_set(ns, ifindex, LinkChange::Up(true)).unwrap();
}

fn main() {
    let mut w = World::new(1);
    let a = w.netns_add("a").unwrap();
    let r = w.netns_add("r").unwrap();
    let b = w.netns_add("b").unwrap();
    w.link_add(
        a,
        "va",
        NewLink::Veth {
            peer: "ra".into(),
            peer_ns: Some(r),
            peer_mac: None,
        },
        None,
    )
    .unwrap();
    w.link_add(
        b,
        "vb",
        NewLink::Veth {
            peer: "rb".into(),
            peer_ns: Some(r),
            peer_mac: None,
        },
        None,
    )
    .unwrap();
    addr(&mut w, a, "va", [10, 0, 1, 1]);
    addr(&mut w, r, "ra", [10, 0, 1, 254]);
    addr(&mut w, r, "rb", [10, 0, 2, 254]);
    addr(&mut w, b, "vb", [10, 0, 2, 1]);
    let via = Route::via(Prefix4::DEFAULT, Ipv4Addr::new(10, 0, 1, 254));
    w.route_add(a, via, vnet_core::ipv4::fib_frontend::RouteAdd::Excl)
        .unwrap();
    w.sysctl_write(r, "net.ipv4.ip_forward", "1").unwrap();
    let mut reply = vnet_core::wire::icmp::icmp_echo(1, 1, &[0u8; 18]);
    reply[0] = 0;
    let n = 2_000_000u64;
    let run = |w: &mut World, n: u64| {
        for _ in 0..n {
            w.ip_send(
                a,
                None,
                Ipv4Addr::new(10, 0, 2, 1),
                None,
                1,
                None,
                false,
                0,
                &reply,
            )
            .unwrap();
            let t = w.now() + Time::from_micros(50);
            w.advance(t);
        }
    };
    run(&mut w, 10_000);
    let t0 = Instant::now();
    run(&mut w, n);
    let dt = t0.elapsed().as_secs_f64();
    println!(
        "{n} packets sent, routed and delivered in {dt:.2} s: {:.2} Mpps, {:.0} ns/packet",
        n as f64 / dt / 1e6,
        dt * 1e9 / n as f64
    );
}
