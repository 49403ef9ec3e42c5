//! The file tree commands see: a [`vnet_fs::Tree`] (the lab directory,
//! `/tmp`, nothing else real) whose simulated part ([`Sim`]) is the
//! namespace the command runs in: `/proc` (`/proc/sys` onto its sysctls),
//! `/sys/class/net`, `/dev/null` and friends, the `/etc` files of the
//! network, `/run/netns`.

use crate::procfs;
use std::io;
use std::path::{Path, PathBuf};
use vnet_core::{Errno, NsId, World};
use vnet_fs::{err, Node, Tree};

pub use vnet_fs::strerror;

/// The prefixes the simulated part owns (see [`Sim`]).
pub const SPECIAL: &[&str] = &[
    "/proc",
    "/sys",
    "/dev",
    "/etc/services",
    "/etc/protocols",
    "/etc/hosts",
    "/etc/hostname",
    "/etc/resolv.conf",
    "/run/netns",
    "/var/run/netns",
];

/// The pid `/proc/self` names (the machine has no process table).
const SELF_PID: &str = "1000";
/// What one read of `/dev/zero` or `/dev/urandom` gives (the [`vnet_fs::Fs`]
/// reads whole files; a tool takes what it needs from this).
const DEV_READ: usize = 64 << 10;

/// The tree of a machine that reaches no real file: only the simulated part.
pub fn sim_tree() -> Tree {
    let mut t = Tree::new();
    for s in SPECIAL {
        t.add_special(s);
    }
    t
}

/// The tree of a lab started in `dir` whose state is `state` (see
/// [`Tree::lab`]), plus directories opened on purpose (`--allow-read`,
/// `--allow-write`).
pub fn lab_tree(
    dir: &Path,
    state: &Path,
    allow_read: &[PathBuf],
    allow_write: &[PathBuf],
) -> io::Result<Tree> {
    let mut t = Tree::lab(dir, state, SPECIAL)?;
    for (dirs, write) in [(allow_read, false), (allow_write, true)] {
        for d in dirs {
            t.mount(None, d, write, false).map_err(|e| {
                io::Error::new(e.kind(), format!("{}: {}", d.display(), strerror(&e)))
            })?;
        }
    }
    Ok(t)
}

/// The dotted sysctl key for a /proc/sys path, if it is one.
pub fn proc_sys_key(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/proc/sys/")?;
    Some(rest.trim_end_matches('/').replace('/', "."))
}

/// The simulated part of the tree for a command in namespace `ns`. Writes
/// to `/dev/stdout` and `/dev/stderr` collect in `out` and `err`, for the
/// caller to pass on.
pub struct Sim<'a> {
    pub world: &'a mut World,
    pub ns: NsId,
    /// What `/dev/stdin` reads.
    pub stdin: Option<Vec<u8>>,
    pub out: Vec<u8>,
    pub err: Vec<u8>,
}

impl<'a> Sim<'a> {
    pub fn new(world: &'a mut World, ns: NsId, stdin: Option<Vec<u8>>) -> Self {
        Sim {
            world,
            ns,
            stdin,
            out: Vec::new(),
            err: Vec::new(),
        }
    }
}

fn dir(names: &[&str]) -> io::Result<Node> {
    Ok(Node::Dir(names.iter().map(|s| s.to_string()).collect()))
}

/// Deterministic bytes from the lab's seeded generator (one draw, expanded
/// with splitmix64).
fn urandom(w: &mut World) -> Vec<u8> {
    let mut x = w.prandom_u64();
    let mut v = Vec::with_capacity(DEV_READ);
    while v.len() < DEV_READ {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        v.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    v
}

impl Sim<'_> {
    /// What this module answers itself, before procfs: /dev, the process
    /// directories (/proc/self), /proc's listing.
    fn own(&mut self, path: &str) -> Option<io::Result<Node>> {
        let pid_dir = format!("/proc/{SELF_PID}");
        Some(match path {
            "/proc" => dir(&["net", "self", "sys", SELF_PID]),
            "/proc/self" => Ok(Node::Symlink(SELF_PID.into())),
            p if p == pid_dir => dir(&["net"]),
            p if p.strip_prefix(pid_dir.as_str()) == Some("/net") => {
                Ok(Node::Symlink("../net".into()))
            }
            "/dev" => dir(&[
                "null", "random", "stderr", "stdin", "stdout", "urandom", "zero",
            ]),
            "/dev/null" | "/dev/stdout" | "/dev/stderr" => Ok(Node::Dev(Vec::new())),
            "/dev/stdin" => Ok(Node::Dev(self.stdin.clone().unwrap_or_default())),
            "/dev/zero" => Ok(Node::Dev(vec![0; DEV_READ])),
            // The bytes are drawn by `read`, not by a stat.
            "/dev/urandom" | "/dev/random" => Ok(Node::Dev(Vec::new())),
            p if p.starts_with("/dev/") => Err(err(ENOENT)),
            _ => return None,
        })
    }

    /// What procfs does not answer: /proc/sys and /proc/net listings of
    /// this module's own files, conntrack's files, the /sys roots,
    /// /run/netns.
    fn fallback(&mut self, path: &str) -> io::Result<Node> {
        match path {
            "/proc/net" => return dir(&["nf_conntrack"]),
            "/proc/net/nf_conntrack" => {
                let text = crate::conntrack::proc_file(self.world, self.ns);
                return Ok(Node::File(text.into_bytes()));
            }
            "/sys" => return dir(&["class", "devices"]),
            "/sys/class" => return dir(&["net"]),
            "/sys/devices" => return dir(&["virtual"]),
            "/sys/devices/virtual" => return dir(&["net"]),
            "/run/netns" | "/var/run/netns" => {
                let names = self.world.names().iter().map(|(n, _)| n.clone()).collect();
                return Ok(Node::Dir(names));
            }
            _ => {}
        }
        if path == "/proc/sys" || path.starts_with("/proc/sys/") {
            return self.proc_sys(path);
        }
        for ns_dir in ["/run/netns/", "/var/run/netns/"] {
            if let Some(name) = path.strip_prefix(ns_dir) {
                // An nsfs bind mount: there, empty.
                if self.world.names().iter().any(|(n, _)| n == name) {
                    return Ok(Node::File(Vec::new()));
                }
            }
        }
        Err(err(ENOENT))
    }

    /// `/proc/sys/...`: a file per sysctl key, a directory per key prefix.
    fn proc_sys(&self, path: &str) -> io::Result<Node> {
        if path == "/proc/sys/net/netfilter/nf_conntrack_count" {
            let n = crate::conntrack::live_count(self.world, self.ns);
            return Ok(Node::File(format!("{n}\n").into_bytes()));
        }
        let key = proc_sys_key(path).unwrap_or_default();
        if !key.is_empty() {
            if let Some(v) = self.world.sysctl_read(self.ns, &key) {
                return Ok(Node::File(format!("{v}\n").into_bytes()));
            }
        }
        let n = self.world.ns(self.ns);
        let prefix = if key.is_empty() {
            String::new()
        } else {
            format!("{key}.")
        };
        let mut names: Vec<String> = vnet_core::sysctl::Sysctls::keys(&n.dev_names())
            .iter()
            .filter_map(|k| k.strip_prefix(prefix.as_str()))
            .map(|r| r.split('.').next().unwrap_or(r).to_string())
            .collect();
        names.dedup();
        if names.is_empty() {
            return Err(err(ENOENT));
        }
        Ok(Node::Dir(names))
    }
}

const ENOENT: i32 = 2;
const EACCES: i32 = 13;
const EISDIR: i32 = 21;
const EINVAL: i32 = 22;

impl vnet_fs::Special for Sim<'_> {
    fn lookup(&mut self, path: &str) -> io::Result<Node> {
        if let Some(n) = self.own(path) {
            return n;
        }
        match procfs::lookup(self.world, self.ns, path) {
            Some(procfs::Node::File(d)) => return Ok(Node::File(d)),
            Some(procfs::Node::Dir(n)) => return Ok(Node::Dir(n)),
            Some(procfs::Node::Symlink(t)) => return Ok(Node::Symlink(t)),
            // Listed, but a read fails (see `read`).
            Some(procfs::Node::Err(_)) => return Ok(Node::File(Vec::new())),
            None => {}
        }
        self.fallback(path)
    }

    fn read(&mut self, path: &str) -> io::Result<Vec<u8>> {
        if matches!(path, "/dev/urandom" | "/dev/random") {
            return Ok(urandom(self.world));
        }
        let node = match self.own(path) {
            Some(n) => n?,
            None => match procfs::lookup(self.world, self.ns, path) {
                Some(procfs::Node::File(d)) => return Ok(d),
                Some(procfs::Node::Err(e)) => return Err(err(e)),
                Some(procfs::Node::Dir(_)) => return Err(err(EISDIR)),
                Some(procfs::Node::Symlink(_)) => return Err(err(ENOENT)),
                None => self.fallback(path)?,
            },
        };
        match node {
            Node::File(d) | Node::Dev(d) => Ok(d),
            Node::Dir(_) => Err(err(EISDIR)),
            Node::Symlink(_) => Err(err(ENOENT)),
        }
    }

    fn mode(&self, path: &str, kind: vnet_fs::Kind) -> u32 {
        use vnet_fs::Kind;
        let netns = path.starts_with("/run/netns") || path.starts_with("/var/run/netns");
        match kind {
            Kind::Dir if netns => 0o755,
            Kind::Dir => 0o555,
            Kind::CharDev => 0o666,
            _ if netns || path.starts_with("/proc/net") => 0o444,
            _ => 0o644,
        }
    }

    fn write(&mut self, path: &str, data: &[u8], _append: bool) -> io::Result<()> {
        match path {
            "/dev/null" | "/dev/zero" | "/dev/urandom" | "/dev/random" => return Ok(()),
            "/dev/stdout" | "/dev/stdin" => {
                self.out.extend_from_slice(data);
                return Ok(());
            }
            "/dev/stderr" => {
                self.err.extend_from_slice(data);
                return Ok(());
            }
            _ => {}
        }
        {
            let s = String::from_utf8_lossy(data);
            if let Some(r) = procfs::write(self.world, self.ns, path, &s) {
                return r.map_err(|e| {
                    err(match e {
                        Errno::ERANGE => 34,
                        Errno::EBUSY => 16,
                        Errno::ENETDOWN => 100,
                        Errno::ENOENT => ENOENT,
                        Errno::EOPNOTSUPP => 95,
                        Errno::EPROTONOSUPPORT => 93,
                        Errno::EPERM => 1,
                        Errno::ENODEV => 19,
                        Errno::EACCES => 13,
                        Errno::ENOTEMPTY => 39,
                        _ => EINVAL,
                    })
                });
            }
        }
        let Some(key) = proc_sys_key(path) else {
            // What exists is read-only here; what does not, cannot be created.
            return match self.lookup(path) {
                Ok(Node::Dir(_)) => Err(err(EISDIR)),
                Ok(_) => Err(err(EACCES)),
                Err(e) => Err(e),
            };
        };
        if self.world.sysctl_read(self.ns, &key).is_none() {
            return match self.proc_sys(path) {
                Ok(Node::Dir(_)) => Err(err(EISDIR)),
                Ok(_) => Err(err(EACCES)),
                Err(e) => Err(e),
            };
        }
        if data.is_empty() {
            return Ok(()); // an open for writing
        }
        let s = String::from_utf8_lossy(data);
        self.world
            .sysctl_write(self.ns, &key, &s)
            .map_err(|e| match e {
                Errno::EINVAL => err(EINVAL),
                _ => err(ENOENT),
            })
    }
}

#[cfg(test)]
mod tests {
    use crate::Machine;
    use vnet_core::World;

    fn machine(seed: u64) -> Machine {
        let mut m = Machine::new(World::new(seed), Box::new(std::io::sink()));
        let argv: Vec<String> = "ip netns add blue".split(' ').map(String::from).collect();
        assert_eq!(m.exec_in(0, &argv, None).0, 0);
        m
    }

    #[test]
    fn proc_sys_in_every_spelling_is_the_namespace_sysctl() {
        let mut m = machine(1);
        for (i, p) in [
            "/proc/sys/net/ipv4/ip_default_ttl",
            "//proc/sys/net/ipv4/ip_default_ttl",
            "/./proc//sys/net/ipv4/ip_default_ttl",
            "/dev/../proc/sys/net/ipv4/ip_default_ttl",
            "../../../../proc/sys/net/ipv4/ip_default_ttl",
            "/proc/self/../sys/net/ipv4/ip_default_ttl",
        ]
        .iter()
        .enumerate()
        {
            let v = format!("{}\n", 100 + i);
            m.with_fs(0, |fs| fs.write(p, v.as_bytes(), false)).unwrap();
            assert_eq!(
                m.world.sysctl_read(0, "net.ipv4.ip_default_ttl"),
                Some(format!("{}", 100 + i)),
                "{p}"
            );
        }
        let ls = m
            .with_fs(0, |fs| fs.read_dir("/proc/sys/net/ipv4"))
            .unwrap();
        assert!(
            ls.contains(&"ip_forward".to_string()) && ls.contains(&"conf".to_string()),
            "{ls:?}"
        );
        let e = m.with_fs(0, |fs| fs.write("/proc/sys/net/ipv4/nope", b"1", false));
        assert_eq!(e.unwrap_err().raw_os_error(), Some(2));
        let e = m.with_fs(0, |fs| fs.write("/proc/net/nf_conntrack", b"1", false));
        assert_eq!(e.unwrap_err().raw_os_error(), Some(13));
    }

    #[test]
    fn dev_and_netns_files() {
        let mut a = machine(7);
        let mut b = machine(7);
        let r1 = a.with_fs(0, |fs| fs.read("/dev/urandom")).unwrap();
        let r2 = a.with_fs(0, |fs| fs.read("/dev/urandom")).unwrap();
        assert_ne!(r1, r2);
        assert_eq!(r1, b.with_fs(0, |fs| fs.read("/dev/urandom")).unwrap());
        assert!(a
            .with_fs(0, |fs| fs.read("/dev/zero"))
            .unwrap()
            .iter()
            .all(|b| *b == 0));
        assert_eq!(a.with_fs(0, |fs| fs.read("/dev/null")).unwrap(), b"");
        a.with_fs(0, |fs| fs.write("/dev/null", b"gone", false))
            .unwrap();
        assert_eq!(
            a.with_fs(0, |fs| fs.read_dir("/run/netns")).unwrap(),
            vec!["blue"]
        );
        assert_eq!(
            a.with_fs(0, |fs| fs.read_dir("/var/run/netns/")).unwrap(),
            vec!["blue"]
        );
        assert!(a.with_fs(0, |fs| fs.metadata("/run/netns/blue")).is_ok());
        assert!(a.with_fs(0, |fs| fs.metadata("/run/netns/red")).is_err());
        let m = a.with_fs(0, |fs| fs.metadata("/dev/null")).unwrap();
        assert_eq!(m.kind, vnet_fs::Kind::CharDev);
        // Nothing real: the default tree reaches no file of the host.
        let e = a.with_fs(0, |fs| fs.read("/etc/passwd")).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(13));
    }
}
