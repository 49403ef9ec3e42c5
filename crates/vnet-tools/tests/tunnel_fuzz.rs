//! Random `ip tunnel` and `ip link ... type ipip|gre|...` command lines never
//! panic, and whatever they leave behind still lists and still carries
//! packets without panicking.

use vnet_core::World;
use vnet_tools::Machine;

const WORDS: &[&str] = &[
    "add",
    "change",
    "del",
    "show",
    "list",
    "prl",
    "6rd",
    "help",
    "mode",
    "ipip",
    "gre",
    "sit",
    "isatap",
    "vti",
    "ip/ip",
    "gretap",
    "erspan",
    "remote",
    "local",
    "any",
    "10.0.0.1",
    "10.0.0.2",
    "224.1.1.1",
    "0.0.0.0",
    "300.1.1.1",
    "key",
    "ikey",
    "okey",
    "1.2.3.4",
    "42",
    "0x10",
    "-1",
    "seq",
    "iseq",
    "oseq",
    "csum",
    "icsum",
    "ocsum",
    "nokey",
    "ttl",
    "255",
    "0",
    "inherit",
    "tos",
    "inherit/0x10",
    "AF11",
    "zz",
    "pmtudisc",
    "nopmtudisc",
    "ignore-df",
    "dev",
    "v0",
    "lo",
    "nosuch",
    "name",
    "t1",
    "t2",
    "tunl0",
    "gre0",
    "type",
    "set",
    "mtu",
    "1400",
    "60",
    "70000",
    "up",
    "down",
    "",
];

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn exec(m: &mut Machine, argv: &[String]) -> i32 {
    m.exec_in(0, argv, None).0
}

#[test]
fn random_tunnel_commands_never_panic() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut made = 0;
    for round in 0..40 {
        let mut m = Machine::new(World::new(round), Box::new(std::io::sink()));
        for cmd in [
            "ip link add v0 type veth peer name v1",
            "ip addr add 10.0.0.1/24 dev v0",
            "ip link set v0 up",
            "ip link set v1 up",
        ] {
            let argv: Vec<String> = cmd.split(' ').map(String::from).collect();
            assert_eq!(exec(&mut m, &argv), 0);
        }
        for _ in 0..60 {
            let n = (rng.next() % 6) as usize;
            let pick =
                |r: &mut Rng, v: &[&str]| v[(r.next() % v.len() as u64) as usize].to_string();
            let name = pick(&mut rng, &["t1", "t2", "tunl0", "gre0"]);
            let mode = pick(&mut rng, &["ipip", "gre", "sit", "vti", "isatap"]);
            let kind = pick(&mut rng, &["ipip", "gre", "gretap", "sit", "vti"]);
            let remote = pick(&mut rng, &["10.0.0.2", "10.0.0.3", "any", "224.1.1.1"]);
            let words = |v: &str| v.split(' ').map(String::from).collect::<Vec<String>>();
            let mut argv: Vec<String> = match rng.next() % 6 {
                0 | 1 => words(&format!(
                    "ip tunnel add {name} mode {mode} remote {remote} local 10.0.0.1"
                )),
                2 => words(&format!("ip link add {name} type {kind} remote {remote}")),
                3 => words(&format!("ip tunnel change {name} mode {mode}")),
                4 => words(&format!("ip link set {name} type {kind}")),
                _ => words(&format!(
                    "ip tunnel {}",
                    pick(&mut rng, &["del", "show", "add"])
                )),
            };
            for _ in 0..n {
                argv.push(WORDS[(rng.next() % WORDS.len() as u64) as usize].to_string());
            }
            exec(&mut m, &argv);
        }
        made += m
            .world
            .ns(0)
            .devs()
            .values()
            .filter(|d| d.tunnel().is_some())
            .count();
        // Whatever exists still shows, and traffic through it is handled.
        for cmd in [
            "ip -d link show",
            "ip tunnel show",
            "ip -s tunnel show",
            "ip -j link show",
            "ifconfig -a",
            "ip link set t1 up",
            "ip addr add 172.16.0.1/24 dev t1",
            "ping -c 2 -W 1 172.16.0.9",
        ] {
            let argv: Vec<String> = cmd.split(' ').map(String::from).collect();
            exec(&mut m, &argv);
        }
    }
    assert!(
        made > 40,
        "the random lines created tunnels ({made} devices)"
    );
}
