//! `-m statistic --mode random`: the kernel draws get_random_u32() per
//! packet, so a recording cannot pin its counts; vnet draws from each
//! rule's own seeded stream. Checked here: the share of packets matched
//! is the probability's (within a few standard deviations), and the
//! counts are the same on every run.

mod common;

use common::*;

const LAB: &str = "\
ip netns add c
ip link add eth0 type veth peer name eth0 netns c
ip addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
ip -n c addr add 10.0.0.1/24 dev eth0
ip -n c link set eth0 up
iptables -A INPUT -p icmp -m statistic --mode random --probability 0.25
iptables -A INPUT -p icmp -m statistic --mode random ! --probability 0.25
iptables -A INPUT -p icmp -m statistic --mode random --probability 0.9
ip netns exec c ping -c 2000 -i 0.01 -q 10.0.0.2
iptables -L INPUT -v -x -n
";

/// The packet counts of the INPUT rules, in order.
fn counts(t: &str) -> Vec<u64> {
    outputs_of(t, "iptables -L INPUT -v -x -n")[0]
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn random_mode_matches_its_share_and_is_deterministic() {
    let t = run("xt_statistic", LAB);
    let c = counts(&t);
    assert_eq!(c.len(), 3, "{t}");
    // 2000 Bernoulli trials: sd = sqrt(2000 p (1-p)) ≈ 19.4 at p = 0.25,
    // 13.4 at p = 0.9; 5 sd either way.
    assert!((500 - 97..=500 + 97).contains(&c[0]), "{c:?}");
    assert!((1500 - 97..=1500 + 97).contains(&c[1]), "{c:?}");
    assert!((1800 - 67..=1800 + 67).contains(&c[2]), "{c:?}");
    // The inverted rule's stream is its own, not the complement of the first.
    assert_eq!(counts(&run("xt_statistic_again", LAB)), c);
}
