//! vnet-tools: the commands people type (`ip`, `ifconfig`, `route`, `brctl`,
//! `ping`, `tcpdump`, ...), each parsing its own syntax and printing exactly
//! what the real tool prints, plus the machine that runs them: simulated
//! processes in virtual time, the file tree commands see (`fs.rs`: the
//! simulated `/proc`, `/sys`, `/dev` over a [`vnet_fs::Tree`]), and the
//! shell's [`vnet_shell::System`].
//!
//! One module per tool. Tools reach the kernel only through `vnet_core`'s API.

pub mod args;
pub mod arp;
pub mod brctl;
pub mod bridge_cmd;
pub mod bridge_monitor;
pub mod capture_ng;
pub mod conntrack;
pub mod coreutils;
pub mod cost;
pub mod date;
pub mod envcmd;
pub mod explain;
pub mod fnmatch;
pub mod fs;
pub mod getopt;
pub mod hosts;
pub mod ifconfig;
pub mod ip;
pub mod iptables;
pub mod json;
pub mod launch;
mod ll_map;
pub mod machine;
pub mod modules;
pub mod nc;
pub mod ping;
pub mod proc;
pub mod procfs;
pub mod route_cmd;
pub mod stdio;
pub mod story;
pub mod sysctl_cmd;
pub mod sysinfo;
pub mod tcpdump;
pub mod timeout;
pub mod topo;
pub mod tunctl;
pub mod unsimulated;
pub mod xargs;
pub mod xtables_monitor;

pub use machine::Machine;

use vnet_core::NsId;

/// What a tool gets: the machine, the namespace it runs in, its stdin, and
/// buffers for stdout and stderr.
pub struct Cmd<'a> {
    pub m: &'a mut Machine,
    pub ns: NsId,
    pub stdin: Option<Vec<u8>>,
    pub out: Vec<u8>,
    pub err: Vec<u8>,
}

impl Cmd<'_> {
    pub fn world(&mut self) -> &mut vnet_core::World {
        &mut self.m.world
    }
    /// Appends to stdout.
    pub fn print(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }
    /// Appends to stderr.
    pub fn eprint(&mut self, s: &str) {
        self.err.extend_from_slice(s.as_bytes());
    }
    /// One operation on the file tree as this command sees it (its
    /// namespace's `/proc`, its stdin as `/dev/stdin`); what it writes to
    /// `/dev/stdout` and `/dev/stderr` lands in this command's output.
    pub fn with_fs<R>(&mut self, f: impl FnOnce(&mut dyn vnet_fs::Fs) -> R) -> R {
        let mut sim = fs::Sim::new(&mut self.m.world, self.ns, self.stdin.clone());
        let r = f(&mut self.m.fs.bind(&mut sim));
        self.out.append(&mut sim.out);
        self.err.append(&mut sim.err);
        r
    }
    /// Reads a whole file through the tree.
    pub fn read_file(&mut self, path: &str) -> std::io::Result<Vec<u8>> {
        self.with_fs(|fs| fs.read(path))
    }
}

/// How a tool gives up: [`Display`](std::fmt::Display) is exactly what it
/// prints on stderr, [`Failure::status`] its exit status.
pub trait Failure: std::fmt::Display {
    fn status(&self) -> i32;
}

impl Cmd<'_> {
    /// The exit status of a tool that came to `r`: its own, or that of its
    /// failure, printed on stderr after whatever the tool printed before.
    pub fn exit(&mut self, r: Result<i32, impl Failure>) -> i32 {
        r.unwrap_or_else(|e| {
            self.eprint(&e.to_string());
            e.status()
        })
    }
}

/// A tool's entry point: arguments without the program name; returns the exit status.
pub type Tool = fn(&mut Cmd, &[String]) -> i32;

/// The names [`lookup`] and [`vnet_userland::lookup`] know, for completion.
pub const COMMANDS: &[&str] = &[
    "ip",
    "arp",
    "ifconfig",
    "route",
    "brctl",
    "bridge",
    "tunctl",
    "iptables",
    "iptables-save",
    "iptables-restore",
    "ip6tables",
    "ip6tables-save",
    "ip6tables-restore",
    "sysctl",
    "ping",
    "ping6",
    "tcpdump",
    "conntrack",
    "xtables-monitor",
    "nc",
    "modprobe",
    "lsmod",
    "modinfo",
    "cat",
    "grep",
    "sleep",
    "true",
    "false",
    "dmesg",
    "ls",
    "hostname",
    "yes",
    "xargs",
    "timeout",
    "env",
    "printenv",
    "date",
    "uname",
    "id",
    "whoami",
    "which",
    "nproc",
    // vnet-userland's text tools and coreutils
    "sed",
    "awk",
    "mawk",
    "head",
    "tail",
    "wc",
    "sort",
    "uniq",
    "cut",
    "tr",
    "seq",
    "tee",
    "paste",
    "rev",
    "tac",
    "nl",
    "comm",
    "expr",
    "less",
    "more",
    "touch",
    "chmod",
    "mkdir",
    "rmdir",
    "rm",
    "cp",
    "mv",
    "mktemp",
    "basename",
    "dirname",
    "realpath",
    "readlink",
    "md5sum",
    "sha1sum",
    "sha256sum",
    "od",
];

/// The commands Debian 12 installs in /usr/sbin (`command -v ip`); the
/// rest live in /usr/bin.
pub const SBIN: &[&str] = &[
    "ip",
    "iptables",
    "iptables-save",
    "iptables-restore",
    "iptables-nft",
    "iptables-nft-save",
    "iptables-nft-restore",
    "ip6tables",
    "ip6tables-save",
    "ip6tables-restore",
    "ip6tables-nft",
    "ip6tables-nft-save",
    "ip6tables-nft-restore",
    "conntrack",
    "brctl",
    "bridge",
    "sysctl",
    "modprobe",
    "lsmod",
    "modinfo",
    "arp",
    "ifconfig",
    "route",
    "xtables-monitor",
    "xtables-nft-monitor",
    "nft",
    "ipset",
    "ebtables",
    "arptables",
    "tc",
    "ethtool",
    "arping",
];

/// The tools vnet knows, by the name they are invoked as.
pub fn lookup(name: &str) -> Option<Tool> {
    Some(match name {
        "ip" => ip::main,
        "arp" => arp::main,
        "ifconfig" => ifconfig::main,
        "route" => route_cmd::main,
        "brctl" => brctl::main,
        "bridge" => bridge_cmd::main,
        "tunctl" => tunctl::main,
        "iptables" | "iptables-nft" => iptables::main,
        "iptables-save" | "iptables-nft-save" => iptables::restore::save_main,
        "iptables-restore" | "iptables-nft-restore" => iptables::restore::restore_main,
        "ip6tables" | "ip6tables-nft" => iptables::exec::main6,
        "ip6tables-save" | "ip6tables-nft-save" => iptables::restore::save6_main,
        "ip6tables-restore" | "ip6tables-nft-restore" => iptables::restore::restore6_main,
        "sysctl" => sysctl_cmd::main,
        "ping" | "ping4" => ping::main,
        "ping6" => ping::main6,
        "tcpdump" => tcpdump::main,
        "conntrack" => conntrack::main,
        "xtables-monitor" | "xtables-nft-monitor" => xtables_monitor::main,
        "nc" | "netcat" => nc::main,
        "modprobe" => modules::modprobe,
        "lsmod" => modules::lsmod,
        "modinfo" => modules::modinfo,
        "sleep" => coreutils::sleep,
        "true" => coreutils::true_,
        "false" => coreutils::false_,
        "dmesg" => coreutils::dmesg,
        "vnet-host" => hosts::vnet_host,
        "on" => hosts::on,
        "ssh" => hosts::ssh,
        "hostname" => hosts::hostname,
        "yes" => coreutils::yes,
        "xargs" => xargs::xargs,
        "timeout" => timeout::timeout,
        "env" => envcmd::env,
        "printenv" => envcmd::printenv,
        "date" => date::date,
        "uname" => sysinfo::uname,
        "id" => sysinfo::id,
        "whoami" => sysinfo::whoami,
        "which" => sysinfo::which,
        "nproc" => sysinfo::nproc,
        // Known programs vnet does not simulate: `vnet: X is not simulated yet`.
        _ => return unsimulated::lookup(name),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_listed_command_runs() {
        for c in super::COMMANDS {
            assert!(
                super::lookup(c).is_some() || vnet_userland::lookup(c).is_some(),
                "{c} is listed but not found"
            );
        }
    }
}
