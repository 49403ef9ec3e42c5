//! `chmod` of coreutils 9.1: octal and symbolic modes (gnulib's
//! modechange: `755`, `u+x,go-w`, `a=r`, `+X`, `g=u`, `u+s`, `+t`),
//! `--reference`, `-R`, `-v`/`-c`/`-f`, and the `chmod -w` form with its
//! umask warning.
//!
//! The umask is vnet's shell's, which is fixed at 022 (`umask` prints
//! `0022` and changes nothing), so a clause without a who (`+w`) leaves
//! the bits 022 masks alone, as `chmod +w` does under umask 022.

use crate::args::{self, HELP, VERSION};
use crate::files::{join, MAX_DEPTH};
use crate::input::{errtext, quote, quote_c, quotef};
use crate::Ctx;
use vnet_fs::Kind;

/// The umask chmod applies to a clause without a who (vnet's shell's).
const UMASK: u32 = 0o022;

const SUID: u32 = 0o4000;
const SGID: u32 = 0o2000;
const SVTX: u32 = 0o1000;
const RWXU: u32 = 0o700;
const RWXG: u32 = 0o070;
const RWXO: u32 = 0o007;
const ALL_R: u32 = 0o444;
const ALL_W: u32 = 0o222;
const ALL_X: u32 = 0o111;
/// CHMOD_MODE_BITS: everything chmod may change.
const MODE_BITS: u32 = 0o7777;

/// How a clause's value is made (modechange's `flag`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flag {
    /// The value as written.
    Ordinary,
    /// `X`: execute bits only if some are set or the file is a directory.
    XIfAnyX,
    /// `g=u`: the value copied from the file's current bits.
    Copy,
}

/// One operation of a compiled mode (`u+x` is one; `u+x-w` two).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    op: u8,
    flag: Flag,
    affected: u32,
    value: u32,
    mentioned: u32,
}

/// mode_compile(): the changes `s` asks for, or None if it is invalid.
pub fn compile(s: &str) -> Option<Vec<Change>> {
    let b = s.as_bytes();
    let octal = |b: &[u8], mut i: usize| -> Option<(u32, usize)> {
        let mut v: u32 = 0;
        while let Some(d) = b.get(i).filter(|d| d.is_ascii_digit() && **d < b'8') {
            v = v * 8 + u32::from(d - b'0');
            if v > MODE_BITS {
                return None;
            }
            i += 1;
        }
        Some((v, i))
    };
    if b.first().is_some_and(|d| d.is_ascii_digit() && *d < b'8') {
        let (v, end) = octal(b, 0)?;
        if end != b.len() {
            return None;
        }
        // Fewer than five digits leave a directory's set-id bits alone
        // unless they are set.
        let mentioned = if end < 5 {
            (v & (SUID | SGID)) | SVTX | 0o777
        } else {
            MODE_BITS
        };
        return Some(vec![Change {
            op: b'=',
            flag: Flag::Ordinary,
            affected: MODE_BITS,
            value: v,
            mentioned,
        }]);
    }
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let mut affected = 0;
        loop {
            match b.get(i) {
                Some(b'u') => affected |= SUID | RWXU,
                Some(b'g') => affected |= SGID | RWXG,
                Some(b'o') => affected |= SVTX | RWXO,
                Some(b'a') => affected |= MODE_BITS,
                Some(b'=' | b'+' | b'-') => break,
                _ => return None,
            }
            i += 1;
        }
        while let Some(&op) = b.get(i).filter(|c| matches!(c, b'=' | b'+' | b'-')) {
            i += 1;
            let (mut flag, mut mentioned) = (Flag::Copy, 0);
            let value = match b.get(i) {
                Some(d) if d.is_ascii_digit() && *d < b'8' => {
                    let (v, end) = octal(b, i)?;
                    i = end;
                    if affected != 0 || b.get(i).is_some_and(|c| *c != b',') {
                        return None;
                    }
                    affected = MODE_BITS;
                    mentioned = MODE_BITS;
                    flag = Flag::Ordinary;
                    v
                }
                Some(b'u') => {
                    i += 1;
                    RWXU
                }
                Some(b'g') => {
                    i += 1;
                    RWXG
                }
                Some(b'o') => {
                    i += 1;
                    RWXO
                }
                _ => {
                    flag = Flag::Ordinary;
                    let mut v = 0;
                    loop {
                        match b.get(i) {
                            Some(b'r') => v |= ALL_R,
                            Some(b'w') => v |= ALL_W,
                            Some(b'x') => v |= ALL_X,
                            Some(b'X') => flag = Flag::XIfAnyX,
                            Some(b's') => v |= SUID | SGID,
                            Some(b't') => v |= SVTX,
                            _ => break,
                        }
                        i += 1;
                    }
                    v
                }
            };
            let mentioned = match (mentioned, affected) {
                (0, 0) => value,
                (0, a) => a & value,
                (m, _) => m,
            };
            out.push(Change {
                op,
                flag,
                affected,
                value,
                mentioned,
            });
        }
        match b.get(i) {
            None => return Some(out),
            // A comma starts another clause (one must follow).
            Some(b',') => i += 1,
            Some(_) => return None,
        }
    }
}

/// The `=` of a whole mode, as `--reference` gives.
fn equals(mode: u32) -> Vec<Change> {
    vec![Change {
        op: b'=',
        flag: Flag::Ordinary,
        affected: MODE_BITS,
        value: mode & MODE_BITS,
        mentioned: MODE_BITS,
    }]
}

/// mode_adjust(): `old` after `changes`, for a directory if `dir`.
pub fn adjust(old: u32, dir: bool, umask: u32, changes: &[Change]) -> u32 {
    let mut new = old & MODE_BITS;
    for ch in changes {
        let omit = if dir { SUID | SGID } else { 0 } & !ch.mentioned;
        let mut value = ch.value;
        match ch.flag {
            Flag::Ordinary => {}
            Flag::Copy => {
                value &= new;
                // Spread the copied bits to all three classes.
                for class in [ALL_R, ALL_W, ALL_X] {
                    if value & class != 0 {
                        value |= class;
                    }
                }
            }
            Flag::XIfAnyX => {
                if new & ALL_X != 0 || dir {
                    value |= ALL_X;
                }
            }
        }
        // A who limits the change to its bits; without one the umask does.
        let limit = if ch.affected != 0 {
            ch.affected
        } else {
            !umask
        };
        value &= limit & !omit;
        match ch.op {
            b'=' => {
                let kept = if ch.affected != 0 { !ch.affected } else { 0 } | omit;
                new = (new & kept) | value;
            }
            b'+' => new |= value,
            _ => new &= !value,
        }
    }
    new
}

/// strmode()'s nine permission characters (`rwsr-xr-T`).
pub(crate) fn perms(mode: u32) -> String {
    let mut s = String::with_capacity(9);
    for (shift, special, set, unset) in [
        (6, SUID, 's', 'S'),
        (3, SGID, 's', 'S'),
        (0, SVTX, 't', 'T'),
    ] {
        let b = (mode >> shift) & 7;
        s.push(if b & 4 != 0 { 'r' } else { '-' });
        s.push(if b & 2 != 0 { 'w' } else { '-' });
        s.push(match (b & 1 != 0, mode & special != 0) {
            (true, true) => set,
            (false, true) => unset,
            (true, false) => 'x',
            (false, false) => '-',
        });
    }
    s
}

/// What `-v` and `-c` say.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Off,
    Changes,
    High,
}

struct Run {
    changes: Vec<Change>,
    recurse: bool,
    silent: bool,
    verbosity: Verbosity,
    /// The mode came as an option (`chmod -w`): warn when the umask
    /// made the result differ from what was written.
    surprises: bool,
}

/// The characters that start a mode given as an option (`-w`, `-rwx`,
/// `-0`...); chmod's other short options are `-R`, `-c`, `-f`, `-v`.
const MODE_CHARS: &str = "rwxXstugoa,+=01234567";

pub fn chmod(c: &mut Ctx, argv: &[String]) -> i32 {
    let longs: &[(&str, char)] = &[
        ("changes", 'c'),
        ("recursive", 'R'),
        ("no-preserve-root", 'N'),
        ("preserve-root", 'P'),
        ("quiet", 'f'),
        ("silent", 'f'),
        ("reference", 'r'),
        ("verbose", 'v'),
        ("help", HELP),
        ("version", VERSION),
    ];
    let (mut recurse, mut silent, mut verbosity) = (false, false, Verbosity::Off);
    let mut reference: Option<String> = None;
    let mut mode: Option<String> = None;
    let mut operands: Vec<String> = Vec::new();
    let usage = |c: &mut Ctx, msg: &str| {
        c.eprint(&format!("chmod: {msg}\n"));
        args::try_help(c, "chmod", 1)
    };
    let mut i = 0;
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        if a == "--" {
            operands.extend(argv[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, val) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let cands: Vec<&(&str, char)> = match longs.iter().find(|l| l.0 == name) {
                Some(l) => vec![l],
                None => longs.iter().filter(|l| l.0.starts_with(name)).collect(),
            };
            let (lname, key) = match cands.as_slice() {
                [] => return usage(c, &format!("unrecognized option '{a}'")),
                [one] => **one,
                [first, rest @ ..] if rest.iter().all(|l| l.1 == first.1) => **first,
                many => {
                    let list: String = many.iter().map(|l| format!(" '--{}'", l.0)).collect();
                    return usage(
                        c,
                        &format!("option '--{name}' is ambiguous; possibilities:{list}"),
                    );
                }
            };
            match (key, val) {
                ('r', Some(v)) => reference = Some(v),
                ('r', None) => match argv.get(i) {
                    Some(v) => {
                        reference = Some(v.clone());
                        i += 1;
                    }
                    None => return usage(c, "option '--reference' requires an argument"),
                },
                (_, Some(_)) => {
                    return usage(c, &format!("option '--{lname}' doesn't allow an argument"))
                }
                ('c', None) => verbosity = Verbosity::Changes,
                ('v', None) => verbosity = Verbosity::High,
                ('R', None) => recurse = true,
                ('f', None) => silent = true,
                // Root is refused anyway: `/` is not the script's to change.
                ('N' | 'P', None) => {}
                (k, None) => {
                    // --help, --version: answered as every tool answers them.
                    let spec = args::Spec {
                        prog: "chmod",
                        short: "",
                        long: &[],
                        fail: 1,
                    };
                    let word = if k == HELP { "--help" } else { "--version" };
                    return args::parse(c, &spec, &[word.to_string()])
                        .err()
                        .unwrap_or(0);
                }
            }
            continue;
        }
        if a.len() < 2 || !a.starts_with('-') {
            operands.push(a.clone());
            continue;
        }
        for ch in a[1..].chars() {
            match ch {
                'R' => recurse = true,
                'c' => verbosity = Verbosity::Changes,
                'f' => silent = true,
                'v' => verbosity = Verbosity::High,
                // A mode character takes the rest of the word as its
                // argument; the whole word is the mode (`-rwx`).
                ch if MODE_CHARS.contains(ch) => {
                    mode = Some(match mode.take() {
                        Some(m) => format!("{m},{a}"),
                        None => a.clone(),
                    });
                    break;
                }
                ch => return usage(c, &format!("invalid option -- '{ch}'")),
            }
        }
    }
    let surprises = mode.is_some();
    let mut ops = operands.into_iter();
    let changes = match reference {
        Some(r) => {
            if mode.is_some() {
                return usage(c, "cannot combine mode and --reference options");
            }
            if ops.len() == 0 {
                return usage(c, "missing operand");
            }
            match c.fs.metadata(&r) {
                Ok(m) => equals(m.mode),
                Err(e) => {
                    c.eprint(&format!(
                        "chmod: failed to get attributes of {}: {}\n",
                        quote(&r),
                        errtext(&e)
                    ));
                    return 1;
                }
            }
        }
        None => {
            let from_operand = mode.is_none();
            let Some(m) = mode.or_else(|| ops.next()) else {
                return usage(c, "missing operand");
            };
            if ops.len() == 0 {
                let msg = match from_operand {
                    true => format!("missing operand after {}", quote_c(&m)),
                    false => "missing operand".into(),
                };
                return usage(c, &msg);
            }
            match compile(&m) {
                Some(ch) => ch,
                None => return usage(c, &format!("invalid mode: {}", quote_c(&m))),
            }
        }
    };
    let run = Run {
        changes,
        recurse,
        silent,
        verbosity,
        surprises,
    };
    let mut ok = true;
    for f in ops {
        ok &= process(c, &run, &f, 0);
    }
    i32::from(!ok)
}

/// chmod's process_file() for `path`, then (with -R) what a directory holds.
fn process(c: &mut Ctx, run: &Run, path: &str, depth: usize) -> bool {
    let meta = match c.fs.metadata(path) {
        Ok(m) => m,
        Err(e) => {
            if !run.silent {
                c.eprint(&format!(
                    "chmod: cannot access {}: {}\n",
                    quote(path),
                    errtext(&e)
                ));
            }
            if run.verbosity == Verbosity::High {
                c.print(&format!("{} could not be accessed\n", quote(path)));
            }
            return false;
        }
    };
    let dir = meta.kind == Kind::Dir;
    let old = meta.mode & MODE_BITS;
    let new = adjust(old, dir, UMASK, &run.changes);
    let mut ok = true;
    let applied = match c.fs.set_mode(path, new) {
        Ok(()) => true,
        Err(e) => {
            if !run.silent {
                c.eprint(&format!(
                    "chmod: changing permissions of {}: {}\n",
                    quote(path),
                    errtext(&e)
                ));
            }
            ok = false;
            false
        }
    };
    if run.verbosity != Verbosity::Off {
        // Set-id bits may not stick: what the file has now decides.
        let changed = applied
            && c.fs
                .metadata(path)
                .map_or(true, |m| (m.mode ^ old) & MODE_BITS != 0);
        if changed || run.verbosity == Verbosity::High {
            let q = quote(path);
            let line = if !ok {
                format!(
                    "failed to change mode of {q} from {old:04o} ({}) to {new:04o} ({})\n",
                    perms(old),
                    perms(new)
                )
            } else if changed {
                format!(
                    "mode of {q} changed from {old:04o} ({}) to {new:04o} ({})\n",
                    perms(old),
                    perms(new)
                )
            } else {
                format!("mode of {q} retained as {new:04o} ({})\n", perms(new))
            };
            c.print(&line);
        }
    }
    if applied && run.surprises {
        let naive = adjust(old, dir, 0, &run.changes);
        if new & !naive != 0 {
            c.eprint(&format!(
                "chmod: {}: new permissions are {}, not {}\n",
                quotef(path),
                perms(new),
                perms(naive)
            ));
            ok = false;
        }
    }
    if run.recurse && dir {
        if depth >= MAX_DEPTH {
            c.eprint(&format!(
                "chmod: {}: directory nesting too deep\n",
                quotef(path)
            ));
            return false;
        }
        match c.fs.read_dir(path) {
            Ok(names) => {
                for n in names {
                    ok &= process(c, run, &join(path, &n), depth + 1);
                }
            }
            Err(e) => {
                if !run.silent {
                    c.eprint(&format!(
                        "chmod: cannot read directory {}: {}\n",
                        quote(path),
                        errtext(&e)
                    ));
                }
                ok = false;
            }
        }
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(s: &str, old: u32, dir: bool, umask: u32) -> Option<u32> {
        Some(adjust(old, dir, umask, &compile(s)?))
    }

    #[test]
    fn octal_modes() {
        assert_eq!(mode("755", 0o644, false, 0o22), Some(0o755));
        assert_eq!(mode("0644", 0o777, false, 0o22), Some(0o644));
        assert_eq!(mode("4755", 0o644, false, 0o22), Some(0o4755));
        assert_eq!(mode("00000644", 0o4755, false, 0o22), Some(0o644));
        // Four digits keep a directory's set-gid bit; five clear it.
        assert_eq!(mode("755", 0o2755, true, 0o22), Some(0o2755));
        assert_eq!(mode("00755", 0o2755, true, 0o22), Some(0o755));
        assert_eq!(mode("10000", 0, false, 0), None);
        assert_eq!(mode("758", 0, false, 0), None);
        assert_eq!(mode("", 0, false, 0), None);
    }

    #[test]
    fn symbolic_modes() {
        assert_eq!(mode("u+x", 0o644, false, 0o22), Some(0o744));
        assert_eq!(mode("go-w", 0o666, false, 0o22), Some(0o644));
        assert_eq!(mode("a=r", 0o755, false, 0o22), Some(0o444));
        assert_eq!(mode("u=rwx,g=rx,o=", 0o644, false, 0o22), Some(0o750));
        assert_eq!(mode("u+x-w", 0o644, false, 0o22), Some(0o544));
        assert_eq!(mode("g=u", 0o640, false, 0o22), Some(0o660));
        assert_eq!(mode("o=g", 0o654, false, 0o22), Some(0o655));
        assert_eq!(mode("u+s,+t", 0o755, false, 0o22), Some(0o5755));
        assert_eq!(mode("=644", 0o777, false, 0o22), Some(0o644));
        for bad in ["abc", "u+x,", ",u+x", "u", "u+q", "u+644", "=8", "+x y"] {
            assert_eq!(compile(bad), None, "{bad}");
        }
    }

    #[test]
    fn umask_applies_without_who() {
        assert_eq!(mode("+w", 0o444, false, 0o22), Some(0o644));
        assert_eq!(mode("+w", 0o444, false, 0), Some(0o666));
        assert_eq!(mode("-w", 0o666, false, 0o22), Some(0o466));
        assert_eq!(mode("+x", 0o644, false, 0o22), Some(0o755));
        assert_eq!(mode("=r", 0o777, false, 0o22), Some(0o444));
    }

    #[test]
    fn capital_x_only_for_dirs_or_executables() {
        assert_eq!(mode("a+X", 0o644, false, 0o22), Some(0o644));
        assert_eq!(mode("a+X", 0o744, false, 0o22), Some(0o755));
        assert_eq!(mode("a+X", 0o644, true, 0o22), Some(0o755));
    }

    #[test]
    fn perms_show_special_bits() {
        assert_eq!(perms(0o644), "rw-r--r--");
        assert_eq!(perms(0o4755), "rwsr-xr-x");
        assert_eq!(perms(0o2644), "rw-r-Sr--");
        assert_eq!(perms(0o1777), "rwxrwxrwt");
        assert_eq!(perms(0o1776), "rwxrwxrwT");
    }
}
