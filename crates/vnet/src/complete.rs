//! Tab completion for `vnet shell`: commands, each tool's subcommands and
//! options, and the lab's own names (devices, namespaces, chains) where a
//! word takes one; files of the working directory otherwise.
//!
//! The completer sees a [`Names`] snapshot taken after each line, so it
//! never borrows the lab while the line editor runs.

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};
use vnet_core::{NsId, World};
use vnet_tools::Machine;

/// Shell builtins and keywords offered in command position.
const BUILTINS: &[&str] = &[
    "cd", "echo", "exit", "export", "for", "if", "jobs", "kill", "printf", "pwd", "read", "set",
    "source", "test", "trap", "unset", "wait", "while", "fg", "bg",
];

/// The words that may follow `ip OBJECT` (iproute2 6.1's commands).
const IP_OBJECTS: &[&str] = &[
    "address",
    "addr",
    "link",
    "neighbour",
    "neigh",
    "netns",
    "route",
    "rule",
    "tunnel",
    "maddress",
    "monitor",
    "nexthop",
];
const IP_VERBS: &[&str] = &[
    "add", "del", "delete", "show", "list", "set", "flush", "get", "change", "replace", "exec",
    "identify", "pids", "attach",
];

/// Options per tool, offered for a word starting with `-`.
const OPTIONS: &[(&str, &[&str])] = &[
    (
        "ip",
        &[
            "-4", "-6", "-br", "-c", "-d", "-j", "-n", "-o", "-p", "-s", "-batch", "-details",
        ],
    ),
    (
        "iptables",
        &[
            "-A",
            "-C",
            "-D",
            "-E",
            "-F",
            "-I",
            "-L",
            "-N",
            "-P",
            "-R",
            "-S",
            "-X",
            "-Z",
            "-d",
            "-i",
            "-j",
            "-m",
            "-n",
            "-o",
            "-p",
            "-s",
            "-t",
            "-v",
            "-x",
            "--dport",
            "--sport",
            "--line-numbers",
            "--to-destination",
            "--to-source",
        ],
    ),
    (
        "ping",
        &[
            "-4", "-6", "-I", "-M", "-W", "-c", "-f", "-i", "-n", "-q", "-s", "-t", "-w",
        ],
    ),
    (
        "tcpdump",
        &[
            "-A", "-X", "-c", "-e", "-i", "-l", "-n", "-nn", "-q", "-r", "-s", "-v", "-w",
        ],
    ),
    (
        "conntrack",
        &[
            "-D", "-E", "-F", "-L", "-S", "-C", "-p", "-s", "-d", "-n", "-g",
        ],
    ),
    ("sysctl", &["-a", "-n", "-p", "-q", "-w"]),
];

/// What completion can offer from the lab, refreshed after each line.
#[derive(Default)]
pub struct Names {
    pub commands: Vec<String>,
    pub devices: Vec<String>,
    pub netns: Vec<String>,
    pub chains: Vec<String>,
    pub files: Vec<String>,
}

impl Names {
    /// The names the shell's namespace `ns` has now, plus the files of the
    /// working directory (`files`, as the machine's file view lists them).
    pub fn snapshot(m: &Machine, ns: NsId, files: Vec<String>) -> Names {
        let w: &World = &m.world;
        let mut commands: Vec<String> = vnet_tools::COMMANDS
            .iter()
            .chain(BUILTINS)
            .map(|s| s.to_string())
            .collect();
        commands.sort();
        commands.dedup();
        let n = w.ns(ns);
        let mut devices: Vec<String> = n.dev_names().into_iter().map(String::from).collect();
        devices.sort();
        let netns = w.names().iter().map(|(name, _)| name.clone()).collect();
        let mut chains: Vec<String> = vnet_core::netfilter::TableId::ALL
            .iter()
            .filter_map(|t| n.nf().table(*t))
            .flat_map(|t| t.chains.iter().map(|c| c.name.clone()))
            .collect();
        chains.sort();
        chains.dedup();
        Names {
            commands,
            devices,
            netns,
            chains,
            files,
        }
    }

    /// Candidates for the word `word`, given the words before it on the
    /// command (`before`, from the command's start).
    pub fn candidates(&self, before: &[&str], word: &str) -> Vec<String> {
        let pick = |list: &[String]| -> Vec<String> {
            list.iter()
                .filter(|c| c.starts_with(word))
                .cloned()
                .collect()
        };
        let pick_str = |list: &[&str]| -> Vec<String> {
            list.iter()
                .filter(|c| c.starts_with(word))
                .map(|s| s.to_string())
                .collect()
        };
        // `ip netns exec NS cmd...` and `ip -n NS ...`: complete the inner command.
        if before.len() >= 4 && before[..3] == ["ip", "netns", "exec"] {
            return self.candidates(&before[4..], word);
        }
        let Some(&cmd) = before.first() else {
            return pick(&self.commands);
        };
        let prev = before.last().copied().unwrap_or("");
        match prev {
            "-A" | "-I" | "-D" | "-N" | "-X" | "-F" | "-L" | "-P" | "-Z" | "-E" | "-S" | "-j"
                if cmd.starts_with("ip") && cmd.contains("tables") =>
            {
                return pick(&self.chains)
            }
            "dev" | "-i" | "-o" | "master" | "link" | "peer" | "-I" | "--in-interface"
            | "--out-interface" => return pick(&self.devices),
            "-n" | "-netns" | "netns" if cmd == "ip" => {
                if prev == "netns" && before.len() == 2 {
                    return pick_str(IP_VERBS);
                }
                return pick(&self.netns);
            }
            "exec" | "del" | "delete" | "identify" | "pids"
                if before.len() == 3 && before[1] == "netns" =>
            {
                return pick(&self.netns)
            }
            _ => {}
        }
        if word.starts_with('-') {
            if let Some((_, opts)) = OPTIONS.iter().find(|(t, _)| *t == cmd) {
                return pick_str(opts);
            }
        }
        if cmd == "ip" {
            let plain: Vec<&&str> = before[1..].iter().filter(|w| !w.starts_with('-')).collect();
            match plain.len() {
                0 => return pick_str(IP_OBJECTS),
                1 => return pick_str(IP_VERBS),
                _ => {}
            }
        }
        let mut v = pick(&self.files);
        let devices: Vec<String> = pick(&self.devices)
            .into_iter()
            .filter(|d| !v.contains(d))
            .collect();
        v.extend(devices);
        v
    }
}

/// The rustyline helper around a [`Names`] snapshot.
#[derive(Default)]
pub struct ShellHelper {
    pub names: Names,
}

/// Where the command the cursor is in starts: after the last `;`, `|`,
/// `&` or `(` before the cursor.
fn command_start(line: &str) -> usize {
    line.rfind([';', '|', '&', '(', '`']).map_or(0, |i| i + 1)
}

impl Completer for ShellHelper {
    type Candidate = Pair;
    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let head = &line[..pos];
        let start = head.rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let cmd_start = command_start(&head[..start]);
        let start = start.max(cmd_start);
        let word = &head[start..];
        let before: Vec<&str> = head[cmd_start..start].split_whitespace().collect();
        let pairs = self
            .names
            .candidates(&before, word)
            .into_iter()
            .map(|c| Pair {
                display: c.clone(),
                replacement: c,
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}
impl Highlighter for ShellHelper {}
impl Validator for ShellHelper {}
impl Helper for ShellHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            commands: vec!["ip".into(), "iptables".into(), "ping".into()],
            devices: vec!["lo".into(), "veth0".into(), "veth1".into()],
            netns: vec!["red".into(), "blue".into()],
            chains: vec!["FORWARD".into(), "INPUT".into(), "MYCHAIN".into()],
            files: vec!["lab.sh".into()],
        }
    }

    #[test]
    fn commands_objects_verbs() {
        let n = names();
        assert_eq!(n.candidates(&[], "ip"), vec!["ip", "iptables"]);
        assert_eq!(n.candidates(&["ip"], "ad"), vec!["address", "addr"]);
        assert_eq!(n.candidates(&["ip", "-4", "route"], "fl"), vec!["flush"]);
    }

    #[test]
    fn lab_names_where_a_word_takes_them() {
        let n = names();
        assert_eq!(
            n.candidates(&["ip", "link", "set", "dev"], "ve"),
            vec!["veth0", "veth1"]
        );
        assert_eq!(n.candidates(&["ip", "netns", "exec"], "r"), vec!["red"]);
        assert_eq!(n.candidates(&["ip", "-n"], "b"), vec!["blue"]);
        assert_eq!(n.candidates(&["iptables", "-A"], "M"), vec!["MYCHAIN"]);
        assert_eq!(
            n.candidates(&["ip", "netns", "exec", "red"], "pi"),
            vec!["ping"]
        );
        assert_eq!(n.candidates(&["ping"], "-c"), vec!["-c"]);
        assert_eq!(n.candidates(&["cat"], "la"), vec!["lab.sh"]);
    }

    #[test]
    fn the_word_and_its_command_are_found_in_the_line() {
        let h = ShellHelper { names: names() };
        let hist = rustyline::history::DefaultHistory::new();
        let ctx = Context::new(&hist);
        let line = "ip link show; ip netns exec r";
        let (start, pairs) = h.complete(line, line.len(), &ctx).unwrap();
        assert_eq!(start, line.len() - 1);
        assert_eq!(pairs[0].replacement, "red");
    }
}
