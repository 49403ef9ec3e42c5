//! What a command costs in wall time on a real machine, charged in virtual
//! time so that the kernel's timers (IPv6 DAD, MLD and RS, neighbour timers,
//! linkwatch, ping's intervals) run on meanwhile, as they do between the
//! commands of a script on a kernel.
//!
//! Each cost is split where the command's effect happens: `before` runs from
//! the shell's fork to the syscall that makes the change or reads the state
//! (the netlink request `ip` makes near the end of its run, the write to
//! /proc/sys, tcpdump's armed capture, ping's first echo request), `after`
//! from there to the end of the shell's wait for it.
//!
//! Measured by `scripts/measure-costs.sh` (re-run it to re-measure: it
//! prints this table's figures) on the reference machine: AMD EPYC, 2 vCPUs
//! shared with other work, Linux 6.18.44 (HZ=250), Debian 12.11 userland
//! (bash 5.2.15, iproute2 6.1.0, iptables 1.8.9 nf_tables, iputils
//! 20221126, tcpdump 4.99.3), 2026-12-07, inside an `unshare --net --mount
//! --pid` sandbox. A figure is the median of the runs (`$EPOCHREALTIME`
//! around the command), split by the median of 20 `strace --seccomp-bpf -f
//! -ttt` runs (effect syscall to exit). The script ran twice, with 20 and
//! with 200 runs per command (machine load 2.5 both times); the lower
//! median is kept, as other users' load only ever adds. tcpdump's and
//! ping's start-up are from 5 runs of the first pass (see [`TCPDUMP`]).
//! Figures are rounded to 50 µs.
//!
//! Shell builtins and functions cost nothing here (bash runs them without a
//! fork: 17 µs measured for `:`). vnet's own text tools cost what the real
//! grep, sed, awk and cat cost (a fork and exec, about 1 ms); a pipeline's
//! later stages run alongside its first on a kernel, so a stage reading a
//! pipe or a here-document is charged only its `after`.

use vnet_core::Time;

/// A command's cost, split at its effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cost {
    /// From the shell's fork to the effect.
    pub before: Time,
    /// From the effect to the end of the shell's wait.
    pub after: Time,
}

const fn us(before: u64, after: u64) -> Cost {
    Cost {
        before: Time::from_micros(before),
        after: Time::from_micros(after),
    }
}

/// Nothing: a command that forks nothing (`ip netns exec`'s own share is
/// [`NETNS_EXEC`]; not found in $PATH: bash forks nothing).
pub const FREE: Cost = us(0, 0);

/// Any other program: /bin/true's fork, exec, exit and wait (855 + 167 µs).
pub const EXEC: Cost = us(850, 150);

/// `ip link set`, `ip route add`, listings (`ip link show` 1049 + 360,
/// `ip addr show` 1098 + 338, `ip link set up` 1219 + 340, `ip route add`
/// 1039 + 308): iproute2's start, then one netlink request near its end.
pub const IP: Cost = us(1100, 350);
/// `ip link add` (a veth pair): 875 + 972; the kernel's work creating the
/// devices is part of the request, after its start.
pub const IP_LINK_ADD: Cost = us(900, 950);
/// `ip addr add`: 851 + 468.
pub const IP_ADDR_ADD: Cost = us(850, 450);
/// `ip netns add`: 1781 + 326 (the bind mount of /run/netns/NAME).
pub const IP_NETNS_ADD: Cost = us(1800, 300);
/// `ip netns exec NS CMD`'s own share, before CMD's exec (which is charged
/// as CMD): 2286 measured for `ip netns exec n0 true`, less /bin/true's 1022.
pub const NETNS_EXEC: Cost = us(1250, 0);

/// `iptables -A`: 847 + 514 (the nf_tables batch is sent once the
/// ruleset cache is read).
pub const IPTABLES: Cost = us(850, 500);
/// `iptables -L -n`: 846 + 432.
pub const IPTABLES_LIST: Cost = us(850, 450);
/// `iptables-save`: 1296 + 301; `-restore` taken as the same.
pub const IPTABLES_SAVE: Cost = us(1300, 300);
/// `sysctl -w`: 1008 + 164 (the write to /proc/sys).
pub const SYSCTL: Cost = us(1000, 150);
/// `conntrack -L`: the kernel answers its dump request after 10 ms here
/// (538 µs to the request, 9.8 ms in it, then 741 µs to the exit).
pub const CONNTRACK: Cost = us(10350, 750);
/// `nc -z`: 903 + 324 to the connect.
pub const NC: Cost = us(900, 300);
/// `ifconfig lo`: 1349 + 366.
pub const IFCONFIG: Cost = us(1350, 350);
/// `brctl show`: 1232 total; its reads of /sys are spread over the run.
pub const BRCTL: Cost = us(1000, 250);
/// `sleep 0`: 1328 to clock_nanosleep, 315 after it.
pub const SLEEP: Cost = us(1300, 300);
/// `tcpdump`: fork to its capture armed (pcap_activate, then "listening
/// on" on stderr): 13.05 ms, measured to the same step's error
/// (`tcpdump -i dm0` without such a device, median of 5 at load 2.5). At
/// load 12, 30 runs each gave 26.5 ms to "listening on" (`-i lo`) and
/// 25.3 ms to the error, /bin/true 4.0 ms: the two steps agree.
pub const TCPDUMP: Cost = us(13050, 300);
/// `ping`: fork to its first echo request, seen by an armed capture:
/// 2.45 ms (`ping -c 1` to a namespace's veth peer).
pub const PING: Cost = us(2450, 300);
/// grep 1271 + 200, sed 1061 + 247, awk (mawk) 831 + 206, cat 1109 + 185.
pub const GREP: Cost = us(1250, 200);
pub const SED: Cost = us(1050, 250);
pub const AWK: Cost = us(850, 200);
pub const CAT: Cost = us(1100, 200);

/// iputils ping -i 0's (and -f's) gap between echo requests that get no
/// reply (`ping -c 1000 -i 0 -w 2` to a peer that drops them: median
/// 16.0 ms, gaps of 15, 16, 19 and 20 ms; `ping -f` the same): MININTERVAL
/// (10 ms) waited out in whole jiffies (HZ=250), twice when the first wait
/// ends short of it.
pub const PING_UNANSWERED_GAP: Time = Time::from_millis(16);

/// What running `prog` with `args` costs. `piped`: its stdin is a pipe or
/// a here-document, so on a kernel it was forked with the pipeline's first
/// command and only its end is charged.
pub fn of(prog: &str, args: &[String], piped: bool) -> Cost {
    let c = table(prog, args);
    if piped {
        Cost {
            before: Time::ZERO,
            after: c.after,
        }
    } else {
        c
    }
}

/// How long a command started with `&` takes to reach its effect (the
/// shell goes on meanwhile): its `before`; for `ip netns exec NS CMD` and
/// `on HOST CMD` that share and then CMD's. Nothing for a command bash
/// does not find.
pub fn start_delay(argv: &[String]) -> Time {
    let mut total = Time::ZERO;
    let mut argv = argv;
    // Each level is a shorter argv; the bound is only a guard.
    for _ in 0..16 {
        let Some(name) = argv.first() else { break };
        let prog = name.rsplit('/').next().unwrap_or(name);
        if crate::lookup(prog).is_none() && vnet_userland::lookup(prog).is_none() {
            break;
        }
        let args = &argv[1..];
        let c = table(prog, args);
        total = total + c.before;
        if c != NETNS_EXEC {
            break;
        }
        argv = match prog {
            "ip" => netns_exec_command(args),
            "on" => args.get(1..).unwrap_or(&[]),
            _ => &[],
        };
    }
    total
}

/// The command `ip [OPTIONS] netns exec NS CMD...` runs.
fn netns_exec_command(args: &[String]) -> &[String] {
    let mut i = 0;
    let mut words = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if words == 0 && matches!(a, "-n" | "-netns" | "--netns" | "-b" | "-batch") {
            i += 2;
            continue;
        }
        if words > 0 || !a.starts_with('-') {
            words += 1;
        }
        i += 1;
        // netns, exec, NS: the command follows.
        if words == 3 {
            return &args[i..];
        }
    }
    &[]
}

fn table(prog: &str, args: &[String]) -> Cost {
    match prog {
        "ip" => ip(args),
        "iptables" | "iptables-nft" | "ip6tables" | "ip6tables-nft" => {
            if args
                .iter()
                .any(|a| matches!(a.as_str(), "-L" | "-S" | "--list" | "--list-rules"))
            {
                IPTABLES_LIST
            } else {
                IPTABLES
            }
        }
        "iptables-save"
        | "iptables-nft-save"
        | "ip6tables-save"
        | "ip6tables-nft-save"
        | "iptables-restore"
        | "iptables-nft-restore"
        | "ip6tables-restore"
        | "ip6tables-nft-restore" => IPTABLES_SAVE,
        "sysctl" => SYSCTL,
        "conntrack" => CONNTRACK,
        "nc" | "netcat" => NC,
        "ifconfig" | "route" | "arp" => IFCONFIG,
        "brctl" | "bridge" | "tunctl" => BRCTL,
        "sleep" => SLEEP,
        "tcpdump" => TCPDUMP,
        "ping" | "ping4" | "ping6" => PING,
        "grep" | "egrep" | "fgrep" => GREP,
        "sed" => SED,
        "awk" | "mawk" => AWK,
        "cat" => CAT,
        // vnet's own ways into another host: their command is charged as itself.
        "on" | "ssh" | "vnet-host" => NETNS_EXEC,
        _ => EXEC,
    }
}

/// `ip`'s cost by object and action, abbreviated as iproute2 takes them
/// (`ip -n NS ...` and `ip -s ...` as their command; `ip netns exec` as its
/// own share only).
fn ip(args: &[String]) -> Cost {
    let mut words = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if matches!(a.as_str(), "-n" | "-netns" | "--netns" | "-b" | "-batch") {
            // Its operand (a namespace's name) is not the object.
            it.next();
        } else if !a.starts_with('-') {
            words.push(a.as_str());
        }
        if words.len() == 2 {
            break;
        }
    }
    // iproute2's matches(): the word is a prefix of the keyword.
    let is = |w: Option<&&str>, kw: &str| w.is_some_and(|w| !w.is_empty() && kw.starts_with(*w));
    let (obj, act) = (words.first(), words.get(1));
    // `ip n` and `ip ne` are neighbour: the first keyword in ip's table wins.
    let netns = is(obj, "netns") && obj.is_some_and(|w| w.len() >= 3);
    if netns && is(act, "exec") {
        NETNS_EXEC
    } else if netns && is(act, "add") {
        IP_NETNS_ADD
    } else if is(obj, "link") && is(act, "add") {
        IP_LINK_ADD
    } else if is(obj, "address") && is(act, "add") {
        IP_ADDR_ADD
    } else {
        IP
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn ip_costs_by_object_and_action() {
        assert_eq!(of("ip", &argv("link add v0 type veth"), false), IP_LINK_ADD);
        assert_eq!(
            of("ip", &argv("-n a l a v0 type dummy"), false),
            IP_LINK_ADD
        );
        assert_eq!(
            of("ip", &argv("a add 10.0.0.1/24 dev v0"), false),
            IP_ADDR_ADD
        );
        assert_eq!(of("ip", &argv("netns exec a ip link"), false), NETNS_EXEC);
        assert_eq!(of("ip", &argv("netns add a"), false), IP_NETNS_ADD);
        assert_eq!(of("ip", &argv("-s link show v0"), false), IP);
        // `-n add`: a namespace named add is not the action.
        assert_eq!(of("ip", &argv("-n add link set v0 up"), false), IP);
        // `ip n a` is neighbour add.
        assert_eq!(
            of(
                "ip",
                &argv("n a 10.0.0.2 lladdr 02:00:00:00:00:01 dev v0"),
                false
            ),
            IP
        );
    }

    #[test]
    fn a_background_command_reaches_its_effect_after_its_start_up() {
        assert_eq!(start_delay(&argv("tcpdump -i v0")), TCPDUMP.before);
        assert_eq!(
            start_delay(&argv("ip netns exec a tcpdump -i v0")),
            NETNS_EXEC.before + TCPDUMP.before
        );
        assert_eq!(
            start_delay(&argv("ip netns exec a ip netns exec b ping 10.0.0.1")),
            NETNS_EXEC.before + NETNS_EXEC.before + PING.before
        );
        assert_eq!(start_delay(&argv("no-such-program")), Time::ZERO);
        assert_eq!(start_delay(&argv("ip netns exec a")), NETNS_EXEC.before);
    }

    #[test]
    fn a_piped_stage_is_charged_only_its_end() {
        let c = of("grep", &argv("x"), true);
        assert_eq!(c.before, Time::ZERO);
        assert_eq!(c.after, GREP.after);
    }

    #[test]
    fn listings_and_changes_of_iptables_differ() {
        assert_eq!(of("iptables", &argv("-L -n"), false), IPTABLES_LIST);
        assert_eq!(of("iptables", &argv("-A INPUT -j DROP"), false), IPTABLES);
        assert_eq!(of("unknown-tool", &[], false), EXEC);
    }
}
