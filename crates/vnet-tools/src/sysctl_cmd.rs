//! `sysctl` (procps-ng 4.0.2, Debian 12) over the simulated /proc/sys.
//!
//! Read with procps' `src/sysctl.c`: a key is turned into a path with
//! `slashdot()` (dots and slashes swap unless the first separator is already
//! a slash), the path is stat()ed ("cannot stat"), directories are listed
//! recursively, files are read or written. Reading failures add up in the
//! exit status (`ReturnCode += ...`), writing failures are or-ed.
//!
//! The tree is the namespace's `Sysctls` (`world.ns(ns).sysctl`): the keys
//! the simulated kernel knows, per device where the kernel has them.
//! `--system` applies the files of a default Debian 12 installation.

use crate::Cmd;
use vnet_core::Errno;

const PROC_PATH: &str = "/proc/sys/";
const VERSION: &str = "sysctl from procps-ng 4.0.2\n";
const USAGE: &str = "\nUsage:\n sysctl [options] [variable[=value] ...]\n\nOptions:\n  -a, --all            display all variables\n  -A                   alias of -a\n  -X                   alias of -a\n      --deprecated     include deprecated parameters to listing\n      --dry-run        Print the key and values but do not write\n  -b, --binary         print value without new line\n  -e, --ignore         ignore unknown variables errors\n  -N, --names          print variable names without values\n  -n, --values         print only values of the given variable(s)\n  -p, --load[=<file>]  read values from file\n  -f                   alias of -p\n      --system         read values from all system directories\n  -r, --pattern <expression>\n                       select setting that match expression\n  -q, --quiet          do not echo variable set\n  -w, --write          enable writing a value to variable\n  -o                   does nothing\n  -x                   does nothing\n  -d                   alias of -h\n\n -h, --help     display this help and exit\n -V, --version  output version information and exit\n\nFor more details see sysctl(8).\n";

/// Parameters sysctl -a leaves out unless --deprecated.
const DEPRECATED: &[&str] = &["base_reachable_time", "retrans_time"];

/// The configuration files of a default Debian 12 system, as --system finds them.
const SYSTEM_FILES: &[(&str, &str)] = &[
    (
        "/usr/lib/sysctl.d/50-pid-max.conf",
        "# Allow more PIDs\nkernel.pid_max = 4194304\n",
    ),
    (
        "/usr/lib/sysctl.d/99-protect-links.conf",
        "# Protected links\nfs.protected_fifos = 1\nfs.protected_hardlinks = 1\nfs.protected_regular = 2\nfs.protected_symlinks = 1\n",
    ),
    ("/etc/sysctl.d/99-sysctl.conf", ""),
];
/// Kernel-wide knobs outside the simulated network namespaces that --system
/// sets on a default Debian 12: writing them succeeds and changes nothing here.
const HOST_KNOBS: &[&str] = &[
    "kernel.pid_max",
    "fs.protected_fifos",
    "fs.protected_hardlinks",
    "fs.protected_regular",
    "fs.protected_symlinks",
];

struct Opts {
    name_only: bool,
    print_name: bool,
    print_newline: bool,
    ignore_error: bool,
    quiet: bool,
    ignore_deprecated: bool,
    dry_run: bool,
    pattern: Option<String>,
    /// Writes to the HOST_KNOBS are accepted (--system).
    host_knobs: bool,
}

/// The simulated /proc/sys: every file as its path components.
struct Tree {
    files: Vec<Vec<String>>,
}

impl Tree {
    fn new(c: &Cmd) -> Tree {
        let n = c.m.world.ns(c.ns);
        let devs = n.dev_names();
        let mut files: Vec<Vec<String>> = vnet_core::sysctl::Sysctls::keys(&devs)
            .into_iter()
            .map(|k| {
                // net.ipv4.conf.DEV.KNOB: DEV may contain dots.
                if let Some(rest) = k.strip_prefix("net.ipv4.conf.") {
                    if let Some((dev, knob)) = rest.rsplit_once('.') {
                        return vec![
                            "net".into(),
                            "ipv4".into(),
                            "conf".into(),
                            dev.to_string(),
                            knob.to_string(),
                        ];
                    }
                }
                k.split('.').map(|s| s.to_string()).collect()
            })
            .collect();
        files.sort();
        files.dedup();
        Tree { files }
    }

    fn is_file(&self, comps: &[String]) -> bool {
        self.files.iter().any(|f| f == comps)
    }

    fn is_dir(&self, comps: &[String]) -> bool {
        self.files
            .iter()
            .any(|f| f.len() > comps.len() && f[..comps.len()] == *comps)
    }

    /// The entries of a directory, in the order readdir gives them.
    fn entries(&self, comps: &[String]) -> Vec<String> {
        let mut v: Vec<String> = self
            .files
            .iter()
            .filter(|f| f.len() > comps.len() && f[..comps.len()] == *comps)
            .map(|f| f[comps.len()].clone())
            .collect();
        v.dedup();
        v
    }
}

/// The components of a path under /proc/sys (empty components vanish, as in
/// path lookup).
fn comps_of(path: &str) -> Vec<String> {
    path.strip_prefix(PROC_PATH)
        .unwrap_or(path)
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.to_string())
        .collect()
}

/// procps' slashdot(): swap `old` and `new` separators, unless the first
/// separator already is `new`.
fn slashdot(c: &mut Cmd, p: &str, old: char, new: char) -> String {
    let Some(first) = p.find(['/', '.']) else {
        return p.to_string();
    };
    if p[first..].starts_with(new) {
        return p.to_string();
    }
    let b: Vec<char> = p.chars().collect();
    let mut warned = false;
    let mut out = String::with_capacity(p.len());
    for (i, ch) in b.iter().enumerate() {
        let sep = *ch == '/' || *ch == '.';
        if sep && i >= first && !warned && matches!(b.get(i + 1), Some('/') | Some('.')) {
            let rest: String = b[i..].iter().collect();
            c.eprint(&format!(
                "sysctl: separators should not be repeated: {rest}\n"
            ));
            warned = true;
        }
        if *ch == old && i >= first {
            out.push(new);
        } else if *ch == new && i >= first {
            out.push(old);
        } else {
            out.push(*ch);
        }
    }
    out
}

fn value_of(c: &Cmd, comps: &[String]) -> Option<String> {
    let n = c.m.world.ns(c.ns);
    let devs = n.dev_names();
    n.sysctl().get(&comps.join("."), &devs)
}

/// ReadSetting(): 0, 1 (an error) or -1 (an empty name).
fn read_setting(c: &mut Cmd, t: &Tree, o: &Opts, name: &str) -> i32 {
    if name.is_empty() {
        c.eprint("sysctl: \"\" is an unknown key\n");
        return -1;
    }
    let outname = slashdot(c, name, '/', '.');
    let tmp = format!("{PROC_PATH}{}", slashdot(c, name, '.', '/'));
    let _ = slashdot(c, name, '/', '.');
    let comps = comps_of(&tmp);
    if comps.is_empty() || t.is_dir(&comps) {
        return display_all(c, t, o, &comps);
    }
    if !t.is_file(&comps) {
        if !o.ignore_error {
            c.eprint(&format!(
                "sysctl: cannot stat {tmp}: No such file or directory\n"
            ));
            return 1;
        }
        return 0;
    }
    if let Some(p) = &o.pattern {
        if !regex_search(p, &outname) {
            return 0;
        }
    }
    if o.name_only {
        c.print(&format!("{outname}\n"));
        return 0;
    }
    let v = value_of(c, &comps).unwrap_or_default();
    if o.print_name {
        c.print(&format!("{outname} = {v}\n"));
    } else if o.print_newline {
        c.print(&format!("{v}\n"));
    } else {
        c.print(&v);
    }
    0
}

/// DisplayAll(): every file under a directory, recursively.
fn display_all(c: &mut Cmd, t: &Tree, o: &Opts, dir: &[String]) -> i32 {
    let mut rc = 0;
    for e in t.entries(dir) {
        if o.ignore_deprecated && DEPRECATED.contains(&e.as_str()) {
            continue;
        }
        let mut p = dir.to_vec();
        p.push(e);
        if t.is_dir(&p) {
            display_all(c, t, o, &p);
        } else {
            rc |= read_setting(c, t, o, &p.join("/"));
        }
    }
    rc
}

/// One setting from the command line or a file. (A leading `-`, "ignore
/// failure", only matters for files that cannot be opened: none here.)
struct Setting {
    path: String,
    value: Option<String>,
    glob_exclude: bool,
}

fn setting_new(c: &mut Cmd, key: &str, value: Option<&str>, exclude: bool) -> Setting {
    let k = key.strip_prefix('-').unwrap_or(key);
    let path = format!("{PROC_PATH}{}", slashdot(c, k, '.', '/'));
    Setting {
        path,
        value: value.map(|v| v.to_string()),
        glob_exclude: exclude,
    }
}

/// parse_setting_line().
fn parse_line(c: &mut Cmd, o: &Opts, file: &str, n: usize, line: &str) -> Option<Setting> {
    let key = line.trim_start();
    if key.len() < 2 || key.starts_with('#') || key.starts_with(';') {
        return None;
    }
    if let Some(p) = &o.pattern {
        if !regex_search(p, key) {
            return None;
        }
    }
    match key.split_once('=') {
        None => {
            if let Some(k) = key.strip_prefix('-') {
                Some(setting_new(c, k.trim_end(), None, true))
            } else {
                c.eprint(&format!(
                    "sysctl: {file}({n}): invalid syntax, continuing...\n"
                ));
                None
            }
        }
        Some((k, v)) => {
            let k = k.strip_prefix('-').unwrap_or(k);
            Some(setting_new(c, k.trim_end(), Some(v.trim()), false))
        }
    }
}

/// WriteSetting().
fn write_setting(c: &mut Cmd, t: &Tree, o: &Opts, s: &Setting, path: &str) -> i32 {
    let value = s.value.clone().unwrap_or_else(|| "(null)".into());
    let comps = comps_of(path);
    let dotted = comps.join("/");
    let dotted = slashdot(c, &dotted, '/', '.');
    // is_proc_path(): the realpath of /proc/sys/ itself, "/proc/sys", is
    // not under "/proc/sys/".
    if comps.is_empty() {
        c.eprint(&format!("sysctl: Path is not under {PROC_PATH}: {path}\n"));
        return 1;
    }
    let host_knob = o.host_knobs && HOST_KNOBS.contains(&comps.join(".").as_str());
    let is_dir = t.is_dir(&comps);
    if !t.is_file(&comps) && !is_dir && !host_knob {
        if !o.ignore_error {
            c.eprint(&format!(
                "sysctl: cannot stat {path}: No such file or directory\n"
            ));
            return 1;
        }
        return 0;
    }
    if is_dir {
        c.eprint(&format!(
            "sysctl: setting key \"{dotted}\": Invalid argument\n"
        ));
        return 0;
    }
    if !o.dry_run && !host_knob {
        let ns = c.ns;
        // An empty write is no number: proc_dointvec refuses it.
        let r = if value.trim().is_empty() {
            Err(Errno::EINVAL)
        } else {
            c.m.world.sysctl_write(ns, &comps.join("."), &value)
        };
        if let Err(e) = r {
            c.eprint(&format!(
                "sysctl: setting key \"{dotted}\": {}\n",
                e.strerror()
            ));
            return 1;
        }
    }
    if !o.quiet || o.dry_run {
        if o.name_only {
            c.print(&format!("{value}\n"));
        } else if o.print_name {
            c.print(&format!("{dotted} = {value}\n"));
        } else if o.print_newline {
            c.print(&format!("{value}\n"));
        } else {
            c.print(&value);
        }
    }
    0
}

/// write_setting_list(): globs expand over the tree; paths named elsewhere
/// in the list (overrides, exclusions) are skipped.
fn write_list(c: &mut Cmd, t: &Tree, o: &Opts, list: &[Setting]) -> i32 {
    let mut rc = 0;
    for s in list {
        if s.glob_exclude {
            continue;
        }
        if s.path.contains(['*', '?', '[']) {
            let pat = comps_of(&s.path);
            let mut hits: Vec<String> = t
                .files
                .iter()
                .filter(|f| {
                    f.len() == pat.len() && f.iter().zip(&pat).all(|(a, p)| glob_match(p, a))
                })
                .map(|f| format!("{PROC_PATH}{}", f.join("/")))
                .collect();
            hits.sort();
            for h in hits {
                if list.iter().any(|x| x.path == h) {
                    continue;
                }
                rc |= write_setting(c, t, o, s, &h);
            }
        } else {
            rc |= write_setting(c, t, o, s, &s.path.clone());
        }
    }
    rc
}

/// Preload(): one file's settings onto the list.
fn preload(c: &mut Cmd, o: &Opts, file: &str, list: &mut Vec<Setting>) -> i32 {
    let data = if file == "-" {
        c.stdin.clone().unwrap_or_default()
    } else if let Some((_, text)) = SYSTEM_FILES.iter().find(|(p, _)| *p == file) {
        text.as_bytes().to_vec()
    } else {
        match c.read_file(file) {
            Ok(d) => d,
            // Debian ships /etc/sysctl.conf with comments only.
            Err(_) if file == "/etc/sysctl.conf" => Vec::new(),
            Err(e) => {
                c.eprint(&format!(
                    "sysctl: cannot open \"{file}\": {}\n",
                    crate::fs::strerror(&e)
                ));
                return 1;
            }
        }
    };
    let text = String::from_utf8_lossy(&data).into_owned();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if line.len() < 2 {
            continue;
        }
        if let Some(s) = parse_line(c, o, file, i + 1, line) {
            list.push(s);
        }
    }
    0
}

/// One getopt_long result; a bad one carries the message getopt prints.
enum Opt {
    Short(char, Option<String>),
    Bad(String),
}

/// GNU getopt_long for "bneNwfp::qoxaAXr:Vdh" and sysctl's long options,
/// permuting operands to the end. Errors are printed as getopt prints them.
fn getopt(args: &[String]) -> (Vec<Opt>, Vec<String>) {
    const LONG: &[(&str, char, u8)] = &[
        // (name, letter, 0 none / 1 required / 2 optional)
        ("all", 'a', 0),
        ("deprecated", '1', 0),
        ("dry-run", '3', 0),
        ("binary", 'b', 0),
        ("ignore", 'e', 0),
        ("names", 'N', 0),
        ("values", 'n', 0),
        ("load", 'p', 2),
        ("quiet", 'q', 0),
        ("write", 'w', 0),
        ("system", '2', 0),
        ("pattern", 'r', 1),
        ("help", 'h', 0),
        ("version", 'V', 0),
    ];
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, val) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let exact = LONG.iter().find(|l| l.0 == name);
            let cands: Vec<&(&str, char, u8)> =
                LONG.iter().filter(|l| l.0.starts_with(name)).collect();
            let l = match (exact, cands.len()) {
                (Some(l), _) => l,
                (None, 1) => cands[0],
                (None, 0) => {
                    opts.push(Opt::Bad(format!("sysctl: unrecognized option '{a}'\n")));
                    continue;
                }
                (None, _) => {
                    let names: Vec<String> = cands.iter().map(|l| format!("'--{}'", l.0)).collect();
                    opts.push(Opt::Bad(format!(
                        "sysctl: option '--{name}' is ambiguous; possibilities: {}\n",
                        names.join(" ")
                    )));
                    continue;
                }
            };
            match (l.2, val) {
                (0, Some(_)) => {
                    opts.push(Opt::Bad(format!(
                        "sysctl: option '--{}' doesn't allow an argument\n",
                        l.0
                    )));
                }
                (0, None) | (2, None) => opts.push(Opt::Short(l.1, None)),
                (_, Some(v)) => opts.push(Opt::Short(l.1, Some(v))),
                (_, None) => {
                    if i < args.len() {
                        opts.push(Opt::Short(l.1, Some(args[i].clone())));
                        i += 1;
                    } else {
                        opts.push(Opt::Bad(format!(
                            "sysctl: option '--{}' requires an argument\n",
                            l.0
                        )));
                    }
                }
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let ch = chars[j];
                j += 1;
                match ch {
                    'r' => {
                        if j < chars.len() {
                            opts.push(Opt::Short('r', Some(chars[j..].iter().collect())));
                            j = chars.len();
                        } else if i < args.len() {
                            opts.push(Opt::Short('r', Some(args[i].clone())));
                            i += 1;
                        } else {
                            opts.push(Opt::Bad(
                                "sysctl: option requires an argument -- 'r'\n".into(),
                            ));
                        }
                    }
                    'p' => {
                        let v = (j < chars.len()).then(|| chars[j..].iter().collect());
                        j = chars.len();
                        opts.push(Opt::Short('p', v));
                    }
                    'b' | 'n' | 'e' | 'N' | 'w' | 'f' | 'q' | 'o' | 'x' | 'a' | 'A' | 'X' | 'V'
                    | 'd' | 'h' => opts.push(Opt::Short(ch, None)),
                    _ => {
                        opts.push(Opt::Bad(format!("sysctl: invalid option -- '{ch}'\n")));
                    }
                }
            }
            continue;
        }
        operands.push(a.clone());
    }
    (opts, operands)
}

pub fn main(c: &mut Cmd, args: &[String]) -> i32 {
    let mut o = Opts {
        name_only: false,
        print_name: true,
        print_newline: true,
        ignore_error: false,
        quiet: false,
        ignore_deprecated: true,
        dry_run: false,
        pattern: None,
        host_knobs: false,
    };
    if args.is_empty() {
        c.eprint(USAGE);
        return 1;
    }
    let (opts, operands) = getopt(args);
    let (mut write_mode, mut display_all_opt, mut preload_opt) = (false, false, false);
    let mut preload_file: Option<String> = None;
    for opt in opts {
        match opt {
            Opt::Bad(msg) => {
                c.eprint(&msg);
                c.print(USAGE);
                return 0;
            }
            Opt::Short(ch, arg) => match ch {
                'b' => {
                    o.print_newline = false;
                    o.print_name = false;
                }
                'n' => o.print_name = false,
                'e' => o.ignore_error = true,
                'N' => o.name_only = true,
                'w' => write_mode = true,
                'f' | 'p' => {
                    preload_opt = true;
                    if arg.is_some() {
                        preload_file = arg;
                    }
                }
                'q' => o.quiet = true,
                'o' | 'x' => {}
                'a' | 'A' | 'X' => display_all_opt = true,
                '1' => o.ignore_deprecated = false,
                '3' => o.dry_run = true,
                'r' => o.pattern = arg,
                'V' => {
                    c.print(VERSION);
                    return 0;
                }
                'd' | 'h' => {
                    c.print(USAGE);
                    return 0;
                }
                '2' => {
                    // --system: right away, with errors ignored.
                    o.ignore_error = true;
                    o.host_knobs = true;
                    let mut list = Vec::new();
                    let mut rc = 0;
                    for (f, _) in SYSTEM_FILES {
                        if !o.quiet {
                            c.print(&format!("* Applying {f} ...\n"));
                        }
                        rc |= preload(c, &o, f, &mut list);
                    }
                    if !o.quiet {
                        c.print("* Applying /etc/sysctl.conf ...\n");
                    }
                    rc |= preload(c, &o, "/etc/sysctl.conf", &mut list);
                    let t = Tree::new(c);
                    rc |= write_list(c, &t, &o, &list);
                    return rc;
                }
                _ => {}
            },
        }
    }
    let t = Tree::new(c);
    if display_all_opt {
        return display_all(c, &t, &o, &[]);
    }
    if preload_opt {
        let mut list = Vec::new();
        let mut rc = 0;
        match &preload_file {
            None if operands.is_empty() => rc |= preload(c, &o, "/etc/sysctl.conf", &mut list),
            None => {}
            Some(f) => rc |= preload(c, &o, f, &mut list),
        }
        for f in &operands {
            rc |= preload(c, &o, f, &mut list);
        }
        rc |= write_list(c, &t, &o, &list);
        return rc;
    }
    if operands.is_empty() {
        c.eprint("sysctl: no variables specified\nTry `sysctl --help' for more information.\n");
        return 1;
    }
    if o.name_only && o.quiet {
        c.eprint(
            "sysctl: options -N and -q cannot coexist\nTry `sysctl --help' for more information.\n",
        );
        return 1;
    }
    let mut rc: i32 = 0;
    for a in &operands {
        if write_mode || a.contains('=') {
            match parse_line(c, &o, "command line", 0, a) {
                Some(s) => {
                    let p = s.path.clone();
                    rc |= write_setting(c, &t, &o, &s, &p);
                }
                None => rc |= 1,
            }
        } else {
            rc = rc.wrapping_add(read_setting(c, &t, &o, a));
        }
    }
    rc & 0xff
}

// ---- patterns -------------------------------------------------------------

/// fnmatch() for one path component: `*`, `?`, `[...]`.
fn glob_match(pat: &str, s: &str) -> bool {
    fn go(p: &[char], s: &[char]) -> bool {
        match p.first() {
            None => s.is_empty(),
            Some('*') => (0..=s.len()).any(|k| go(&p[1..], &s[k..])),
            Some('?') => !s.is_empty() && go(&p[1..], &s[1..]),
            Some('[') => {
                let Some(end) = p.iter().skip(2).position(|c| *c == ']').map(|e| e + 2) else {
                    return !s.is_empty() && s[0] == '[' && go(&p[1..], &s[1..]);
                };
                if s.is_empty() {
                    return false;
                }
                let (neg, set) = match p[1] {
                    '!' | '^' => (true, &p[2..end]),
                    _ => (false, &p[1..end]),
                };
                let hit = class_has(set, s[0]);
                hit != neg && go(&p[end + 1..], &s[1..])
            }
            Some(ch) => !s.is_empty() && s[0] == *ch && go(&p[1..], &s[1..]),
        }
    }
    let p: Vec<char> = pat.chars().collect();
    let s: Vec<char> = s.chars().collect();
    go(&p, &s)
}

/// Whether a bracket expression's body (ranges, POSIX classes) holds `ch`.
fn class_has(set: &[char], ch: char) -> bool {
    let mut i = 0;
    while i < set.len() {
        if set[i] == '[' && set.get(i + 1) == Some(&':') {
            if let Some(e) =
                (i + 2..set.len().saturating_sub(1)).find(|&k| set[k] == ':' && set[k + 1] == ']')
            {
                let name: String = set[i + 2..e].iter().collect();
                let ok = match name.as_str() {
                    "alpha" => ch.is_ascii_alphabetic(),
                    "digit" => ch.is_ascii_digit(),
                    "alnum" => ch.is_ascii_alphanumeric(),
                    "upper" => ch.is_ascii_uppercase(),
                    "lower" => ch.is_ascii_lowercase(),
                    "space" => ch.is_ascii_whitespace(),
                    "punct" => ch.is_ascii_punctuation(),
                    "xdigit" => ch.is_ascii_hexdigit(),
                    _ => false,
                };
                if ok {
                    return true;
                }
                i = e + 2;
                continue;
            }
        }
        if i + 2 < set.len() && set[i + 1] == '-' {
            if set[i] <= ch && ch <= set[i + 2] {
                return true;
            }
            i += 3;
            continue;
        }
        if set[i] == ch {
            return true;
        }
        i += 1;
    }
    false
}

/// One instruction of the compiled regular expression.
#[derive(Clone, Debug)]
enum Ins {
    Char(char),
    Any,
    /// A bracket expression: negated, body.
    Class(bool, Vec<char>),
    Bol,
    Eol,
    /// Try the first target, then the second.
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// A POSIX extended regular expression, compiled for a backtracking VM.
struct Regex {
    prog: Vec<Ins>,
}

/// The parsed form: alternatives of sequences of repeated atoms.
enum Node {
    Alt(Vec<Vec<(Node, u32, Option<u32>)>>),
    Char(char),
    Any,
    Class(bool, Vec<char>),
    Bol,
    Eol,
}

struct Parser<'a> {
    s: &'a [char],
    i: usize,
}

impl Parser<'_> {
    fn alt(&mut self) -> Option<Node> {
        let mut alts = vec![self.seq()?];
        while self.s.get(self.i) == Some(&'|') {
            self.i += 1;
            alts.push(self.seq()?);
        }
        Some(Node::Alt(alts))
    }

    fn seq(&mut self) -> Option<Vec<(Node, u32, Option<u32>)>> {
        let mut v = Vec::new();
        while let Some(&ch) = self.s.get(self.i) {
            if ch == '|' || ch == ')' {
                break;
            }
            self.i += 1;
            let atom = match ch {
                '(' => {
                    let n = self.alt()?;
                    if self.s.get(self.i) != Some(&')') {
                        return None;
                    }
                    self.i += 1;
                    n
                }
                '.' => Node::Any,
                '^' => Node::Bol,
                '$' => Node::Eol,
                '\\' => {
                    let e = *self.s.get(self.i)?;
                    self.i += 1;
                    Node::Char(e)
                }
                '[' => {
                    let neg = self.s.get(self.i) == Some(&'^');
                    if neg {
                        self.i += 1;
                    }
                    let start = self.i;
                    if self.s.get(self.i) == Some(&']') {
                        self.i += 1;
                    }
                    loop {
                        match self.s.get(self.i) {
                            None => return None,
                            Some(']') => break,
                            Some('[') if matches!(self.s.get(self.i + 1), Some(':')) => {
                                let e = (self.i + 2..self.s.len().saturating_sub(1))
                                    .find(|&k| self.s[k] == ':' && self.s[k + 1] == ']')?;
                                self.i = e + 2;
                            }
                            _ => self.i += 1,
                        }
                    }
                    let body = self.s[start..self.i].to_vec();
                    self.i += 1;
                    Node::Class(neg, body)
                }
                '*' | '+' | '?' | '{' if v.is_empty() => return None,
                c => Node::Char(c),
            };
            let (mut lo, mut hi) = (1u32, Some(1u32));
            match self.s.get(self.i) {
                Some('*') => {
                    self.i += 1;
                    (lo, hi) = (0, None);
                }
                Some('+') => {
                    self.i += 1;
                    (lo, hi) = (1, None);
                }
                Some('?') => {
                    self.i += 1;
                    (lo, hi) = (0, Some(1));
                }
                Some('{') => {
                    let close = self.s[self.i..].iter().position(|c| *c == '}')? + self.i;
                    let body: String = self.s[self.i + 1..close].iter().collect();
                    let (a, b) = match body.split_once(',') {
                        Some((a, "")) => (a.parse().ok()?, None),
                        Some((a, b)) => (a.parse().ok()?, Some(b.parse().ok()?)),
                        None => {
                            let n = body.parse().ok()?;
                            (n, Some(n))
                        }
                    };
                    if b.is_some_and(|b| b < a) || a > 255 {
                        return None;
                    }
                    (lo, hi) = (a, b);
                    self.i = close + 1;
                }
                _ => {}
            }
            v.push((atom, lo, hi));
        }
        Some(v)
    }
}

impl Regex {
    fn new(pat: &str) -> Option<Regex> {
        let chars: Vec<char> = pat.chars().collect();
        let mut p = Parser { s: &chars, i: 0 };
        let n = p.alt()?;
        if p.i != chars.len() {
            return None;
        }
        let mut prog = Vec::new();
        emit(&n, &mut prog);
        prog.push(Ins::Match);
        Some(Regex { prog })
    }

    fn search(&self, s: &str) -> bool {
        let text: Vec<char> = s.chars().collect();
        let mut failed = std::collections::HashSet::new();
        (0..=text.len()).any(|start| self.run(0, start, &text, &mut failed))
    }

    fn run(
        &self,
        pc: usize,
        pos: usize,
        t: &[char],
        failed: &mut std::collections::HashSet<(usize, usize)>,
    ) -> bool {
        if failed.contains(&(pc, pos)) {
            return false;
        }
        let ok = match &self.prog[pc] {
            Ins::Match => true,
            Ins::Char(ch) => pos < t.len() && t[pos] == *ch && self.run(pc + 1, pos + 1, t, failed),
            Ins::Any => pos < t.len() && t[pos] != '\n' && self.run(pc + 1, pos + 1, t, failed),
            Ins::Class(neg, set) => {
                pos < t.len()
                    && class_has(set, t[pos]) != *neg
                    && self.run(pc + 1, pos + 1, t, failed)
            }
            Ins::Bol => pos == 0 && self.run(pc + 1, pos, t, failed),
            Ins::Eol => pos == t.len() && self.run(pc + 1, pos, t, failed),
            Ins::Jmp(x) => self.run(*x, pos, t, failed),
            Ins::Split(a, b) => self.run(*a, pos, t, failed) || self.run(*b, pos, t, failed),
        };
        if !ok {
            failed.insert((pc, pos));
        }
        ok
    }
}

fn emit(n: &Node, prog: &mut Vec<Ins>) {
    match n {
        Node::Char(ch) => prog.push(Ins::Char(*ch)),
        Node::Any => prog.push(Ins::Any),
        Node::Class(neg, b) => prog.push(Ins::Class(*neg, b.clone())),
        Node::Bol => prog.push(Ins::Bol),
        Node::Eol => prog.push(Ins::Eol),
        Node::Alt(alts) => {
            let mut jumps = Vec::new();
            for (k, seq) in alts.iter().enumerate() {
                let split = (k + 1 < alts.len()).then(|| {
                    prog.push(Ins::Split(0, 0));
                    prog.len() - 1
                });
                for (atom, lo, hi) in seq {
                    emit_rep(atom, *lo, *hi, prog);
                }
                if let Some(sp) = split {
                    prog.push(Ins::Jmp(0));
                    jumps.push(prog.len() - 1);
                    let next = prog.len();
                    prog[sp] = Ins::Split(sp + 1, next);
                }
            }
            let end = prog.len();
            for j in jumps {
                prog[j] = Ins::Jmp(end);
            }
        }
    }
}

fn emit_rep(atom: &Node, lo: u32, hi: Option<u32>, prog: &mut Vec<Ins>) {
    for _ in 0..lo {
        emit(atom, prog);
    }
    match hi {
        None => {
            let split = prog.len();
            prog.push(Ins::Split(0, 0));
            emit(atom, prog);
            prog.push(Ins::Jmp(split));
            let end = prog.len();
            prog[split] = Ins::Split(split + 1, end);
        }
        Some(hi) => {
            let mut splits = Vec::new();
            for _ in lo..hi {
                splits.push(prog.len());
                prog.push(Ins::Split(0, 0));
                emit(atom, prog);
            }
            let end = prog.len();
            for sp in splits {
                prog[sp] = Ins::Split(sp + 1, end);
            }
        }
    }
}

/// regexec() with REG_EXTENDED|REG_NOSUB: does `pat` match anywhere in `s`?
/// A pattern that does not compile matches nothing.
fn regex_search(pat: &str, s: &str) -> bool {
    Regex::new(pat).is_some_and(|r| r.search(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_regular_expressions_search_anywhere() {
        assert!(regex_search("ip_forward$", "net.ipv4.ip_forward"));
        assert!(!regex_search("^ip_forward", "net.ipv4.ip_forward"));
        assert!(regex_search(
            "forwa(rd|x)ing$",
            "net.ipv4.conf.all.forwarding"
        ));
        assert!(regex_search(
            "conf\\.[a-z]+\\.rp",
            "net.ipv4.conf.all.rp_filter"
        ));
        assert!(regex_search("a{2,}", "xaay"));
        assert!(!regex_search("a{3}", "xaay"));
        assert!(!regex_search("(", "anything"));
    }

    #[test]
    fn globs_match_one_component() {
        assert!(glob_match("*", "eth0"));
        assert!(glob_match("e?h[0-9]", "eth0"));
        assert!(!glob_match("[!e]*", "eth0"));
    }
}
