//! A lab file that is valid JSON of the right shape but inconsistent
//! (namespace ids, ifindexes or socket ids that point nowhere) must be
//! reported by `World::validate`, never panic. Mutates the JSON of a lab
//! built by real commands: numbers changed, array entries and object
//! fields removed; then loads it, validates it, and (when it passes) runs
//! commands on it.

use proptest::prelude::*;
use serde_json::Value;
use vnet_core::World;
use vnet_tools::Machine;

fn run(m: &mut Machine, cmd: &str) -> i32 {
    let argv: Vec<String> = cmd.split(' ').map(String::from).collect();
    m.exec_in(0, &argv, None).0
}

/// A lab with a bit of everything that refers to something else.
fn lab_json() -> Value {
    let mut m = Machine::new(World::new(3), Box::new(std::io::sink()));
    for cmd in [
        "ip netns add a",
        "ip link add v0 type veth peer name v1 netns a",
        "ip link add br0 type bridge",
        "ip link add v2 type veth peer name v3",
        "ip link set v2 master br0",
        "ip addr add 10.0.0.1/24 dev v0",
        "ip link set v0 up",
        "ip link set br0 up",
        "ip link set v2 up",
        "ip -n a addr add 10.0.0.2/24 dev v1",
        "ip -n a link set v1 up",
        "ip -n a link set lo up",
        "ip route add 10.9.0.0/16 via 10.0.0.2",
        "iptables -A FORWARD -j ACCEPT",
        "ping -c 1 10.0.0.2",
    ] {
        assert_eq!(run(&mut m, cmd), 0, "{cmd}");
    }
    serde_json::to_value(&m.world).unwrap()
}

/// The paths to every node of a JSON tree, parents before children.
fn paths(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(Step::Index(i));
                paths(x, here, out);
                here.pop();
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                here.push(Step::Key(k.clone()));
                paths(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Step {
    Index(usize),
    Key(String),
}

fn node<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, s| match s {
        Step::Index(i) => v.get_mut(*i),
        Step::Key(k) => v.get_mut(k.as_str()),
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    /// Replace a number with another.
    Number(usize, u64),
    /// Remove a node (an array entry or an object field).
    Remove(usize),
}

fn mutate(v: &mut Value, m: &Mutation) {
    let mut all = Vec::new();
    paths(v, &mut Vec::new(), &mut all);
    match m {
        Mutation::Number(i, n) => {
            let mut probe = v.clone();
            let nums: Vec<&Vec<Step>> = all
                .iter()
                .filter(|p| node(&mut probe, p).is_some_and(|x| x.is_number()))
                .collect();
            if nums.is_empty() {
                return;
            }
            let p = nums[i % nums.len()].clone();
            if let Some(x) = node(v, &p) {
                *x = Value::from(*n);
            }
        }
        Mutation::Remove(i) => {
            if all.len() < 2 {
                return;
            }
            let p = &all[1 + i % (all.len() - 1)];
            let Some((last, parent)) = p.split_last() else {
                return;
            };
            match (node(v, parent), last) {
                (Some(Value::Array(a)), Step::Index(j)) if *j < a.len() => {
                    a.remove(*j);
                }
                (Some(Value::Object(o)), Step::Key(k)) => {
                    o.remove(k);
                }
                _ => {}
            }
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Numbers a field could hold, up to u32::MAX: counters and clocks near
    // 2^64 would overflow in a debug build after 2^64 events, which no lab
    // reaches (the clock's own bound is the time budget's business).
    let num = prop_oneof![
        Just(0u64),
        Just(1),
        Just(2),
        Just(3),
        Just(4),
        Just(7),
        Just(33),
        Just(64),
        Just(100),
        Just(65535),
        Just(65536),
        Just(u32::MAX as u64),
        any::<u32>().prop_map(u64::from),
    ];
    prop_oneof![
        (any::<usize>(), num).prop_map(|(i, n)| Mutation::Number(i, n)),
        any::<usize>().prop_map(Mutation::Remove),
    ]
}

fn cases() -> u32 {
    std::env::var("VNET_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

#[test]
fn the_unmutated_lab_is_valid() {
    let w: World = serde_json::from_value(lab_json()).unwrap();
    assert_eq!(w.validate(), Ok(()));
}

#[test]
fn a_dangling_namespace_is_reported() {
    let mut v = lab_json();
    // The netns name "a" pointing at namespace 99.
    let names = v["names"].as_array_mut().unwrap();
    names[0][1] = Value::from(99);
    let w: World = serde_json::from_value(v).unwrap();
    let e = w.validate().unwrap_err();
    assert!(e.contains("namespace 99 does not exist"), "{e}");
}

#[test]
fn a_dangling_veth_peer_is_reported() {
    let mut v = lab_json();
    let all = {
        let mut out = Vec::new();
        paths(&v, &mut Vec::new(), &mut out);
        out
    };
    // Every veth peer's ifindex set to one that does not exist.
    let mut hit = 0;
    for p in &all {
        if matches!(p.last(), Some(Step::Key(k)) if k == "peer") {
            if let Some(peer) = node(&mut v, p) {
                peer["ifindex"] = Value::from(4000);
                hit += 1;
            }
        }
    }
    assert!(hit > 0);
    let w: World = serde_json::from_value(v).unwrap();
    let e = w.validate().unwrap_err();
    assert!(e.contains("no device 4000"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Loading and validating a mutated lab never panics; a lab that
    /// passes validation takes listing commands and time without panicking.
    #[test]
    fn mutated_labs_never_panic(muts in prop::collection::vec(mutation(), 1..4)) {
        let mut v = lab_json();
        for m in &muts {
            mutate(&mut v, m);
        }
        let Ok(w) = serde_json::from_value::<World>(v) else { return Ok(()) };
        if w.validate().is_err() {
            return Ok(());
        }
        let mut m = Machine::new(w, Box::new(std::io::sink()));
        for cmd in [
            "ip link",
            "ip addr",
            "ip route",
            "ip neigh",
            "ip netns",
            "ip -n a link",
            "bridge fdb",
            "iptables -S",
            "sysctl net.ipv4.ip_forward",
            "ping -c 1 -W 1 10.0.0.2",
        ] {
            run(&mut m, cmd);
        }
    }
}
