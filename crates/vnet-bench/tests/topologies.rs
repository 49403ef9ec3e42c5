//! The benchmark topologies carry every packet they are given: a check of
//! the path (and of the benchmark), never of its speed.

use vnet_bench::PacketBench;

fn carries_all(case: &str, n: u64) {
    let mut b = PacketBench::new(case).unwrap();
    for _ in 0..n {
        b.send();
    }
    assert_eq!(b.finish(), n, "{case}: every datagram reached its socket");
}

#[test]
fn forwarded_headers_keep_a_valid_checksum_for_every_value() {
    // ip_decrease_ttl() must give 0x0000, not 0xffff, when the sum wraps:
    // random IP ids make every checksum value appear over 400k packets, and
    // the next hop drops a header whose checksum is not the computed one.
    carries_all("route", 400_000);
}

#[test]
fn every_packet_case_delivers_what_it_sends() {
    for case in ["veth", "bridge4", "nat-1", "nat-1k", "rules-0", "rules-100"] {
        carries_all(case, 5_000);
    }
}

#[test]
fn nat_flows_each_get_a_conntrack_entry() {
    let mut b = PacketBench::new("nat-1k").unwrap();
    for _ in 0..3_000 {
        b.send();
    }
    b.finish();
    assert_eq!(b.conntrack_count(), 1_000);
}
