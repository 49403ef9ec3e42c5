//! The file tools of coreutils 9.1 over a [`vnet_fs::Fs`]: touch,
//! mkdir, rmdir, rm, cp, mv, mktemp, basename, dirname, realpath,
//! readlink. The tree has no times or links: realpath resolves lexically
//! (no symlinks to follow), touch only creates.

use crate::args::{self, Has, Spec};
use crate::input::{errtext, quote, quote_c, quotef};
use crate::Ctx;
use vnet_fs::{Kind, Meta};

/// Deepest directory tree the recursive tools walk.
pub(crate) const MAX_DEPTH: usize = 64;

pub(crate) fn meta(c: &mut Ctx, p: &str) -> Option<Meta> {
    c.fs.metadata(p).ok()
}

fn is_dir(c: &mut Ctx, p: &str) -> bool {
    meta(c, p).is_some_and(|m| m.kind == Kind::Dir)
}

/// `dir/name`, without doubling a slash.
pub(crate) fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// basename() of coreutils: the last component, trailing slashes ignored.
fn base(s: &str) -> &str {
    let t = s.trim_end_matches('/');
    if t.is_empty() {
        return if s.is_empty() { "" } else { "/" };
    }
    t.rsplit('/').next().unwrap_or(t)
}

fn dir_name(s: &str) -> String {
    let t = s.trim_end_matches('/');
    if t.is_empty() {
        return if s.starts_with('/') { "/" } else { "." }.into();
    }
    match t.rfind('/') {
        None => ".".into(),
        Some(i) => {
            let d = t[..i].trim_end_matches('/');
            if d.is_empty() {
                "/".into()
            } else {
                d.into()
            }
        }
    }
}

pub fn touch(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "touch",
        short: "acd:fhmr:t:",
        long: &[
            ("no-create", Has::No, 'c'),
            ("date", Has::Req, 'd'),
            ("no-dereference", Has::No, 'h'),
            ("reference", Has::Req, 'r'),
            ("time", Has::Req, 'T'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    if p.operands.is_empty() {
        c.eprint("touch: missing file operand\n");
        return args::try_help(c, "touch", 1);
    }
    let mut rc = 0;
    for f in &p.operands {
        if meta(c, f).is_some() || p.has('c') {
            continue;
        }
        if let Err(e) = c.fs.write(f, b"", true) {
            c.eprint(&format!(
                "touch: cannot touch {}: {}\n",
                quote(f),
                errtext(&e)
            ));
            rc = 1;
        }
    }
    rc
}

fn valid_mode(m: &str) -> bool {
    if !m.is_empty() && m.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return m.len() <= 4 || m.trim_start_matches('0').len() <= 4;
    }
    // Symbolic: [ugoa]*[+-=][rwxXst]* clauses, comma separated.
    !m.is_empty()
        && m.split(',').all(|cl| {
            let cl = cl.trim_start_matches(['u', 'g', 'o', 'a']);
            !cl.is_empty()
                && cl.starts_with(['+', '-', '='])
                && cl
                    .split(['+', '-', '='])
                    .skip(1)
                    .all(|perm| perm.chars().all(|ch| "rwxXstugo".contains(ch)))
        })
}

pub fn mkdir(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "mkdir",
        short: "m:pvZ",
        long: &[
            ("mode", Has::Req, 'm'),
            ("parents", Has::No, 'p'),
            ("verbose", Has::No, 'v'),
            ("context", Has::Opt, 'Z'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    if p.operands.is_empty() {
        return args::missing_operand(c, "mkdir", 1);
    }
    if let Some(m) = p.last('m') {
        if !valid_mode(m) {
            c.eprint(&format!("mkdir: invalid mode {}\n", quote_c(m)));
            return 1;
        }
    }
    let (parents, verbose) = (p.has('p'), p.has('v'));
    let mut rc = 0;
    for d in &p.operands {
        let mut targets = vec![d.clone()];
        if parents {
            // Every prefix, shortest first, as mkdir -p creates them.
            targets.clear();
            let mut acc = String::new();
            for (i, comp) in d.split('/').enumerate() {
                if i > 0 {
                    acc.push('/');
                }
                acc.push_str(comp);
                if !comp.is_empty() && comp != "." && comp != ".." {
                    targets.push(acc.clone());
                }
            }
        }
        for (i, t) in targets.iter().enumerate() {
            let last = i + 1 == targets.len();
            if parents && is_dir(c, t) {
                continue;
            }
            match c.fs.create_dir(t) {
                Ok(()) => {
                    if verbose {
                        c.print(&format!("mkdir: created directory {}\n", quote(t)));
                    }
                }
                Err(e) => {
                    let e = if parents && !last && e.raw_os_error() == Some(17) {
                        vnet_fs::err(20)
                    } else {
                        e
                    };
                    let shown = if parents { t } else { d };
                    c.eprint(&format!(
                        "mkdir: cannot create directory {}: {}\n",
                        quote(shown),
                        errtext(&e)
                    ));
                    rc = 1;
                    break;
                }
            }
        }
    }
    rc
}

pub fn rmdir(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "rmdir",
        short: "pv",
        long: &[
            ("ignore-fail-on-non-empty", Has::No, 'I'),
            ("parents", Has::No, 'p'),
            ("verbose", Has::No, 'v'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    if p.operands.is_empty() {
        return args::missing_operand(c, "rmdir", 1);
    }
    let mut rc = 0;
    for d in &p.operands {
        let mut cur = d.clone();
        loop {
            if p.has('v') {
                c.print(&format!("rmdir: removing directory, {}\n", quote(&cur)));
            }
            // rmdir(2) refuses `.` (EINVAL) whatever the directory holds.
            let r = if base(&cur) == "." {
                Err(vnet_fs::err(22))
            } else {
                c.fs.remove_dir(&cur)
            };
            if let Err(e) = r {
                let nonempty = e.raw_os_error() == Some(39)
                    || e.kind() == std::io::ErrorKind::DirectoryNotEmpty;
                if !(nonempty && p.has('I')) {
                    c.eprint(&format!(
                        "rmdir: failed to remove {}: {}\n",
                        quote(&cur),
                        errtext(&e)
                    ));
                    rc = 1;
                }
                break;
            }
            if !p.has('p') {
                break;
            }
            let t = cur.trim_end_matches('/');
            match t.rfind('/') {
                Some(i) if i > 0 => cur = t[..i].trim_end_matches('/').to_string(),
                _ => break,
            }
        }
    }
    rc
}

/// Removes `path` and what is under it (depth-first, bounded).
fn remove_tree(c: &mut Ctx, path: &str, verbose: bool, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        c.eprint(&format!(
            "rm: cannot remove {}: File name too long\n",
            quote(path)
        ));
        return false;
    }
    let mut ok = true;
    if is_dir(c, path) {
        let names = c.fs.read_dir(path).unwrap_or_default();
        for n in names {
            ok &= remove_tree(c, &join(path, &n), verbose, depth + 1);
        }
        match c.fs.remove_dir(path) {
            Ok(()) if verbose => c.print(&format!("removed directory {}\n", quote(path))),
            Ok(()) => {}
            Err(e) => {
                c.eprint(&format!(
                    "rm: cannot remove {}: {}\n",
                    quote(path),
                    errtext(&e)
                ));
                ok = false;
            }
        }
    } else {
        match c.fs.remove_file(path) {
            Ok(()) if verbose => c.print(&format!("removed {}\n", quote(path))),
            Ok(()) => {}
            Err(e) => {
                c.eprint(&format!(
                    "rm: cannot remove {}: {}\n",
                    quote(path),
                    errtext(&e)
                ));
                ok = false;
            }
        }
    }
    ok
}

pub fn rm(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "rm",
        short: "dfiIrRv",
        long: &[
            ("dir", Has::No, 'd'),
            ("force", Has::No, 'f'),
            ("interactive", Has::Opt, 'i'),
            ("one-file-system", Has::No, 'o'),
            ("no-preserve-root", Has::No, 'N'),
            ("preserve-root", Has::Opt, 'P'),
            ("recursive", Has::No, 'r'),
            ("verbose", Has::No, 'v'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let force = p
        .opts
        .iter()
        .rev()
        .find(|o| o.0 == 'f' || o.0 == 'i')
        .is_some_and(|o| o.0 == 'f');
    let recursive = p.has('r') || p.has('R');
    let verbose = p.has('v');
    if p.operands.is_empty() {
        if force {
            return 0;
        }
        return args::missing_operand(c, "rm", 1);
    }
    let mut rc = 0;
    for f in &p.operands {
        let b = base(f);
        if recursive && (b == "." || b == "..") {
            c.eprint(&format!(
                "rm: refusing to remove '.' or '..' directory: skipping {}\n",
                quote(f)
            ));
            rc = 1;
            continue;
        }
        if recursive && vnet_fs::normalize(&c.fs.cwd(), f) == "/" {
            c.eprint("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
            rc = 1;
            continue;
        }
        let Some(m) = meta(c, f) else {
            if !force {
                c.eprint(&format!(
                    "rm: cannot remove {}: No such file or directory\n",
                    quote(f)
                ));
                rc = 1;
            }
            continue;
        };
        if m.kind == Kind::Dir {
            if recursive {
                if !remove_tree(c, f, verbose, 0) {
                    rc = 1;
                }
            } else if p.has('d') {
                match c.fs.remove_dir(f) {
                    Ok(()) if verbose => c.print(&format!("removed directory {}\n", quote(f))),
                    Ok(()) => {}
                    Err(e) => {
                        c.eprint(&format!(
                            "rm: cannot remove {}: {}\n",
                            quote(f),
                            errtext(&e)
                        ));
                        rc = 1;
                    }
                }
            } else {
                c.eprint(&format!("rm: cannot remove {}: Is a directory\n", quote(f)));
                rc = 1;
            }
            continue;
        }
        match c.fs.remove_file(f) {
            Ok(()) if verbose => c.print(&format!("removed {}\n", quote(f))),
            Ok(()) => {}
            Err(e) => {
                c.eprint(&format!(
                    "rm: cannot remove {}: {}\n",
                    quote(f),
                    errtext(&e)
                ));
                rc = 1;
            }
        }
    }
    rc
}

/// cp and mv share operand handling: SOURCE... DEST or -t DIR.
struct Transfer {
    prog: &'static str,
    recursive: bool,
    no_clobber: bool,
    verbose: bool,
}

impl Transfer {
    /// The sources and where each goes; Err(status) after a message.
    fn plan(&self, c: &mut Ctx, p: &args::Parsed) -> Result<Vec<(String, String)>, i32> {
        let prog = self.prog;
        let mut ops = p.operands.clone();
        let target_dir = p.last('t').map(String::from);
        let no_target = p.has('T');
        let targets: Vec<&str> = p
            .opts
            .iter()
            .filter(|o| o.0 == 't')
            .filter_map(|o| o.1.as_deref())
            .collect();
        if targets.len() > 1 {
            c.eprint(&format!("{prog}: multiple target directories specified\n"));
            return Err(1);
        }
        if ops.is_empty() {
            c.eprint(&format!("{prog}: missing file operand\n"));
            return Err(args::try_help(c, prog, 1));
        }
        if no_target && target_dir.is_some() {
            c.eprint(&format!(
                "{prog}: cannot combine --target-directory (-t) and --no-target-directory (-T)\n"
            ));
            return Err(1);
        }
        let dir = match target_dir {
            Some(d) => {
                if !is_dir(c, &d) {
                    let why = if meta(c, &d).is_some() {
                        "Not a directory"
                    } else {
                        "No such file or directory"
                    };
                    c.eprint(&format!("{prog}: target directory {}: {why}\n", quote(&d)));
                    return Err(1);
                }
                Some(d)
            }
            None => {
                if ops.len() == 1 {
                    c.eprint(&format!(
                        "{prog}: missing destination file operand after {}\n",
                        quote(&ops[0])
                    ));
                    return Err(args::try_help(c, prog, 1));
                }
                if no_target && ops.len() > 2 {
                    c.eprint(&format!("{prog}: extra operand {}\n", quote(&ops[2])));
                    return Err(args::try_help(c, prog, 1));
                }
                let last = ops.pop().unwrap_or_default();
                if no_target {
                    return Ok(vec![(ops[0].clone(), last)]);
                }
                if is_dir(c, &last) {
                    Some(last)
                } else if ops.len() > 1 {
                    let why = if meta(c, &last).is_some() {
                        "Not a directory"
                    } else {
                        "No such file or directory"
                    };
                    c.eprint(&format!("{prog}: target {}: {why}\n", quote(&last)));
                    return Err(1);
                } else {
                    return Ok(vec![(ops[0].clone(), last)]);
                }
            }
        };
        let dir = dir.unwrap_or_default();
        Ok(ops
            .iter()
            .map(|s| (s.clone(), join(&dir, base(s))))
            .collect())
    }

    /// Checks common to cp and mv; Some(message) when the pair must be skipped.
    fn check(&self, c: &mut Ctx, src: &str, dst: &str) -> Option<String> {
        let prog = self.prog;
        let sm = match c.fs.metadata(src) {
            Ok(m) => m,
            Err(e) => {
                return Some(format!(
                    "{prog}: cannot stat {}: {}\n",
                    quote(src),
                    errtext(&e)
                ))
            }
        };
        let cwd = c.fs.cwd();
        let (ns, nd) = (vnet_fs::normalize(&cwd, src), vnet_fs::normalize(&cwd, dst));
        if ns == nd {
            return Some(format!(
                "{prog}: {} and {} are the same file\n",
                quote(src),
                quote(dst)
            ));
        }
        if sm.kind == Kind::Dir {
            if prog == "cp" && !self.recursive {
                return Some(format!(
                    "cp: -r not specified; omitting directory {}\n",
                    quote(src)
                ));
            }
            if nd.starts_with(&format!("{ns}/")) {
                if prog == "cp" && meta(c, dst).is_none() && c.fs.create_dir(dst).is_ok() {
                    // cp makes the copy and fills it before it meets the copy
                    // itself among the source's entries.
                    let inner = nd[ns.len() + 1..]
                        .split('/')
                        .next()
                        .unwrap_or("")
                        .to_string();
                    for n in c.fs.read_dir(src).unwrap_or_default() {
                        if n != inner {
                            self.copy(c, &join(src, &n), &join(dst, &n), 1);
                        }
                    }
                }
                return Some(if prog == "cp" {
                    format!(
                        "cp: cannot copy a directory, {}, into itself, {}\n",
                        quote(src),
                        quote(dst)
                    )
                } else {
                    format!(
                        "mv: cannot move {} to a subdirectory of itself, {}\n",
                        quote(src),
                        quote(dst)
                    )
                });
            }
            if meta(c, dst).is_some_and(|m| m.kind != Kind::Dir) {
                return Some(format!(
                    "{prog}: cannot overwrite non-directory {} with directory {}\n",
                    quote(dst),
                    quote(src)
                ));
            }
        } else if is_dir(c, dst) {
            return Some(format!(
                "{prog}: cannot overwrite directory {} with non-directory\n",
                quote(dst)
            ));
        }
        None
    }

    fn copy(&self, c: &mut Ctx, src: &str, dst: &str, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            c.eprint(&format!(
                "cp: cannot copy {}: File name too long\n",
                quote(src)
            ));
            return false;
        }
        if is_dir(c, src) {
            if !is_dir(c, dst) {
                if let Err(e) = c.fs.create_dir(dst) {
                    c.eprint(&format!(
                        "cp: cannot create directory {}: {}\n",
                        quote(dst),
                        errtext(&e)
                    ));
                    return false;
                }
            }
            if self.verbose {
                c.print(&format!("{} -> {}\n", quote(src), quote(dst)));
            }
            let names = c.fs.read_dir(src).unwrap_or_default();
            let mut ok = true;
            for n in names {
                ok &= self.copy(c, &join(src, &n), &join(dst, &n), depth + 1);
            }
            return ok;
        }
        if self.no_clobber && meta(c, dst).is_some() {
            return true;
        }
        let data = match c.fs.read(src) {
            Ok(d) => d,
            Err(e) => {
                c.eprint(&format!(
                    "cp: cannot open {} for reading: {}\n",
                    quote(src),
                    errtext(&e)
                ));
                return false;
            }
        };
        if let Err(e) = c.fs.write(dst, &data, false) {
            c.eprint(&format!(
                "cp: cannot create regular file {}: {}\n",
                quote(dst),
                errtext(&e)
            ));
            return false;
        }
        if self.verbose {
            c.print(&format!("{} -> {}\n", quote(src), quote(dst)));
        }
        true
    }
}

const CP_MV_LONG: &[(&str, Has, char)] = &[
    ("archive", Has::No, 'a'),
    ("backup", Has::Opt, 'B'),
    ("force", Has::No, 'f'),
    ("interactive", Has::No, 'i'),
    ("no-clobber", Has::No, 'n'),
    ("preserve", Has::Opt, 'P'),
    ("no-preserve", Has::Req, 'N'),
    ("recursive", Has::No, 'r'),
    ("parents", Has::No, 'Q'),
    ("suffix", Has::Req, 'S'),
    ("target-directory", Has::Req, 't'),
    ("no-target-directory", Has::No, 'T'),
    ("update", Has::Opt, 'u'),
    ("verbose", Has::No, 'v'),
    ("strip-trailing-slashes", Has::No, 'X'),
    ("dereference", Has::No, 'L'),
    ("no-dereference", Has::No, 'D'),
    ("one-file-system", Has::No, 'x'),
];

pub fn cp(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "cp",
        short: "abdfHilLnprst:uvxPRS:TZ",
        long: CP_MV_LONG,
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let t = Transfer {
        prog: "cp",
        recursive: p.has('r') || p.has('R') || p.has('a'),
        no_clobber: p.has('n'),
        verbose: p.has('v'),
    };
    let plan = match t.plan(c, &p) {
        Ok(v) => v,
        Err(rc) => return rc,
    };
    let mut rc = 0;
    for (src, dst) in plan {
        if let Some(m) = t.check(c, &src, &dst) {
            c.eprint(&m);
            rc = 1;
            continue;
        }
        if !t.copy(c, &src, &dst, 0) {
            rc = 1;
        }
    }
    rc
}

pub fn mv(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "mv",
        short: "bfinSt:TuvZ",
        long: CP_MV_LONG,
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let t = Transfer {
        prog: "mv",
        recursive: true,
        no_clobber: p.has('n'),
        verbose: p.has('v'),
    };
    let plan = match t.plan(c, &p) {
        Ok(v) => v,
        Err(rc) => return rc,
    };
    let mut rc = 0;
    for (src, dst) in plan {
        // -n: an existing destination is left alone, whatever it is.
        if t.no_clobber && meta(c, &src).is_some() && meta(c, &dst).is_some() {
            continue;
        }
        if let Some(m) = t.check(c, &src, &dst) {
            c.eprint(&m);
            rc = 1;
            continue;
        }
        match c.fs.rename(&src, &dst) {
            Ok(()) if t.verbose => {
                c.print(&format!("renamed {} -> {}\n", quote(&src), quote(&dst)))
            }
            Ok(()) => {}
            Err(e) => {
                c.eprint(&format!(
                    "mv: cannot move {} to {}: {}\n",
                    quote(&src),
                    quote(&dst),
                    errtext(&e)
                ));
                rc = 1;
            }
        }
    }
    rc
}

/// mktemp with names drawn from a fixed sequence, the first one free
/// taken: the same script makes the same names on every run.
pub fn mktemp(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "mktemp",
        short: "dp:qtuV",
        long: &[
            ("directory", Has::No, 'd'),
            ("dry-run", Has::No, 'u'),
            ("quiet", Has::No, 'q'),
            ("suffix", Has::Req, 's'),
            ("tmpdir", Has::Opt, 'p'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    if p.operands.len() > 1 {
        c.eprint("mktemp: too many templates\n");
        return args::try_help(c, "mktemp", 1);
    }
    let quiet = p.has('q');
    let given = p.operands.first().cloned();
    let template = given.clone().unwrap_or_else(|| "tmp.XXXXXXXXXX".into());
    let suffix = p.last('s').unwrap_or("");
    let tmpdir_opt = p
        .opts
        .iter()
        .rev()
        .find(|o| o.0 == 'p')
        .map(|o| o.1.clone());
    let dir: Option<String> = if given.is_none() || p.has('t') || tmpdir_opt.is_some() {
        match tmpdir_opt.flatten().filter(|s| !s.is_empty()) {
            Some(d) => Some(d),
            None => Some("/tmp".into()),
        }
    } else {
        None
    };
    if p.has('t') && template.contains('/') {
        c.eprint(&format!(
            "mktemp: invalid template, {}, contains directory separator\n",
            quote_c(&template)
        ));
        return 1;
    }
    let full = format!("{template}{suffix}");
    let xs = template.len() - template.trim_end_matches('X').len();
    if xs < 3 {
        if !quiet {
            c.eprint(&format!(
                "mktemp: too few X's in template {}\n",
                quote_c(&full)
            ));
        }
        return 1;
    }
    let stem = &template[..template.len() - xs];
    const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for k in 0u64..1000 {
        let mut h = 0x9e37_79b9_7f4a_7c15u64 ^ k.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let mut name = String::from(stem);
        for _ in 0..xs {
            h ^= h >> 31;
            h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
            name.push(ALNUM[(h % 62) as usize] as char);
        }
        name.push_str(suffix);
        let path = match &dir {
            Some(d) => join(d, &name),
            None => name,
        };
        if meta(c, &path).is_some() {
            continue;
        }
        let made = if p.has('u') {
            Ok(())
        } else if p.has('d') {
            c.fs.create_dir(&path)
        } else {
            c.fs.write(&path, b"", false)
        };
        if let Err(e) = made {
            if !quiet {
                let what = if p.has('d') { "directory" } else { "file" };
                let shown = match &dir {
                    Some(d) => join(d, &full),
                    None => full.clone(),
                };
                c.eprint(&format!(
                    "mktemp: failed to create {what} via template {}: {}\n",
                    quote(&shown),
                    errtext(&e)
                ));
            }
            return 1;
        }
        c.print(&format!("{path}\n"));
        return 0;
    }
    1
}

pub fn basename(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "basename",
        short: "+as:z",
        long: &[
            ("multiple", Has::No, 'a'),
            ("suffix", Has::Req, 's'),
            ("zero", Has::No, 'z'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    let ops = &p.operands;
    if ops.is_empty() {
        return args::missing_operand(c, "basename", 1);
    }
    let eol = if p.has('z') { "\0" } else { "\n" };
    let multiple = p.has('a') || p.has('s');
    let (names, suffix): (Vec<&String>, Option<String>) = if multiple {
        (ops.iter().collect(), p.last('s').map(String::from))
    } else {
        if ops.len() > 2 {
            c.eprint(&format!("basename: extra operand {}\n", quote_c(&ops[2])));
            return args::try_help(c, "basename", 1);
        }
        (vec![&ops[0]], ops.get(1).cloned())
    };
    for n in names {
        let mut b = base(n).to_string();
        if let Some(s) = &suffix {
            if !s.is_empty() && b.len() > s.len() && b.ends_with(s.as_str()) {
                b.truncate(b.len() - s.len());
            }
        }
        c.print(&format!("{b}{eol}"));
    }
    0
}

pub fn dirname(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "dirname",
        short: "z",
        long: &[("zero", Has::No, 'z')],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    if p.operands.is_empty() {
        return args::missing_operand(c, "dirname", 1);
    }
    let eol = if p.has('z') { "\0" } else { "\n" };
    for n in &p.operands {
        c.print(&format!("{}{eol}", dir_name(n)));
    }
    0
}

/// Lexical canonicalisation; `need` 0: nothing must exist (-m), 1: all but
/// the last component (default), 2: everything (-e). Err: the errno text.
fn canonical(c: &mut Ctx, path: &str, need: u8) -> Result<String, &'static str> {
    let abs = vnet_fs::normalize(&c.fs.cwd(), path);
    if need == 0 {
        return Ok(abs);
    }
    if need == 3 {
        // -s: nothing need exist, but an existing file cannot be a directory.
        let comps: Vec<&str> = path.split('/').collect();
        let mut cur = String::new();
        for (i, comp) in comps.iter().enumerate() {
            cur = if i == 0 {
                comp.to_string()
            } else {
                format!("{cur}/{comp}")
            };
            let more = i + 1 < comps.len();
            if more && !cur.is_empty() && meta(c, &cur).is_some_and(|m| m.kind != Kind::Dir) {
                return Err("Not a directory");
            }
        }
        return Ok(abs);
    }
    // Each existing prefix must be a directory to go on.
    let comps: Vec<&str> = abs.split('/').filter(|s| !s.is_empty()).collect();
    let mut cur = String::from("/");
    for (i, comp) in comps.iter().enumerate() {
        let last = i + 1 == comps.len();
        cur = join(&cur, comp);
        match c.fs.metadata(&cur) {
            Ok(m) if m.kind == Kind::Dir || last => {}
            Ok(_) => return Err("Not a directory"),
            Err(_) if last && need == 1 => {}
            Err(e) => return Err(errtext(&e)),
        }
    }
    // A trailing slash on a non-directory is an error too.
    if path.ends_with('/') && !is_dir(c, &abs) && meta(c, &abs).is_some() {
        return Err("Not a directory");
    }
    Ok(abs)
}

pub fn realpath(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "realpath",
        short: "emLPqsz",
        long: &[
            ("canonicalize-existing", Has::No, 'e'),
            ("canonicalize-missing", Has::No, 'm'),
            ("logical", Has::No, 'L'),
            ("physical", Has::No, 'P'),
            ("quiet", Has::No, 'q'),
            ("relative-to", Has::Req, 'R'),
            ("relative-base", Has::Req, 'B'),
            ("strip", Has::No, 's'),
            ("no-symlinks", Has::No, 's'),
            ("zero", Has::No, 'z'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    if p.operands.is_empty() {
        return args::missing_operand(c, "realpath", 1);
    }
    let need = p.opts.iter().rev().find_map(|o| match o.0 {
        'e' => Some(2),
        'm' => Some(0),
        _ => None,
    });
    // -s resolves no links, so nothing but -e needs to exist.
    let need = need.unwrap_or(if p.has('s') { 3 } else { 1 });
    let eol = if p.has('z') { "\0" } else { "\n" };
    let rel = match p.last('R') {
        Some(r) => match canonical(c, r, need) {
            Ok(a) => Some(a),
            Err(m) => {
                c.eprint(&format!("realpath: {}: {m}\n", quotef(r)));
                return 1;
            }
        },
        None => None,
    };
    let mut rc = 0;
    for f in &p.operands {
        match canonical(c, f, need) {
            Ok(a) => {
                let shown = match &rel {
                    Some(r) => relative(&a, r),
                    None => a,
                };
                c.print(&format!("{shown}{eol}"));
            }
            Err(m) => {
                if !p.has('q') {
                    c.eprint(&format!("realpath: {}: {m}\n", quotef(f)));
                }
                rc = 1;
            }
        }
    }
    rc
}

/// `path` relative to directory `base` (both absolute, normalised).
fn relative(path: &str, base: &str) -> String {
    let a: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let b: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<&str> = vec![".."; b.len() - common];
    parts.extend(&a[common..]);
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

pub fn readlink(c: &mut Ctx, argv: &[String]) -> i32 {
    let spec = Spec {
        prog: "readlink",
        short: "efmnqsvz",
        long: &[
            ("canonicalize", Has::No, 'f'),
            ("canonicalize-existing", Has::No, 'e'),
            ("canonicalize-missing", Has::No, 'm'),
            ("no-newline", Has::No, 'n'),
            ("quiet", Has::No, 'q'),
            ("silent", Has::No, 's'),
            ("verbose", Has::No, 'v'),
            ("zero", Has::No, 'z'),
        ],
        fail: 1,
    };
    let p = match args::parse(c, &spec, argv) {
        Ok(p) => p,
        Err(rc) => return rc,
    };
    if p.operands.is_empty() {
        return args::missing_operand(c, "readlink", 1);
    }
    let need = p.opts.iter().rev().find_map(|o| match o.0 {
        'f' => Some(1),
        'e' => Some(2),
        'm' => Some(0),
        _ => None,
    });
    let verbose = p
        .opts
        .iter()
        .rev()
        .find(|o| "qsv".contains(o.0))
        .is_some_and(|o| o.0 == 'v');
    if p.has('n') && p.operands.len() > 1 {
        c.eprint("readlink: ignoring --no-newline with multiple arguments\n");
    }
    let eol = if p.has('z') {
        "\0"
    } else if p.has('n') && p.operands.len() == 1 {
        ""
    } else {
        "\n"
    };
    let mut rc = 0;
    for f in &p.operands {
        let r = match need {
            Some(n) => canonical(c, f, n),
            // No symlinks in the tree: nothing is a link to read.
            None => Err(if meta(c, f).is_some() {
                "Invalid argument"
            } else {
                "No such file or directory"
            }),
        };
        match r {
            Ok(a) => c.print(&format!("{a}{eol}")),
            Err(m) => {
                if verbose {
                    c.eprint(&format!("readlink: {}: {m}\n", quotef(f)));
                }
                rc = 1;
            }
        }
    }
    rc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(base("/a/b.txt"), "b.txt");
        assert_eq!(base("z/"), "z");
        assert_eq!(base("//"), "/");
        assert_eq!(dir_name("a/b"), "a");
        assert_eq!(dir_name("/x"), "/");
        assert_eq!(dir_name("//y"), "/");
        assert_eq!(dir_name("a"), ".");
        assert_eq!(relative("/a/b/c", "/a/x"), "../b/c");
        assert!(valid_mode("755") && valid_mode("u+x,go-w") && !valid_mode("999"));
    }
}

#[cfg(test)]
mod tool_tests {
    use super::*;
    use vnet_fs::{Fs, MemFs};

    fn run(fs: &mut MemFs, f: crate::Util, a: &[&str]) -> (String, String, i32) {
        let mut c = Ctx::new(fs, None);
        let v: Vec<String> = a.iter().map(|s| s.to_string()).collect();
        let rc = f(&mut c, &v);
        let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (s(&c.out), s(&c.err), rc)
    }

    #[test]
    fn mktemp_is_deterministic_and_skips_taken_names() {
        let mut a = MemFs::new().with_file("/tmp/.keep", b"");
        let mut b = a.clone();
        let first = run(&mut a, mktemp, &[]).0;
        assert_eq!(first, run(&mut b, mktemp, &[]).0);
        assert!(first.starts_with("/tmp/tmp.") && first.len() == "/tmp/tmp.".len() + 11);
        let second = run(&mut a, mktemp, &[]).0;
        assert_ne!(first, second);
        assert!(a.metadata(first.trim_end()).is_ok());
        let d = run(&mut a, mktemp, &["-d", "-p", "/tmp", "xXXX"]).0;
        assert_eq!(a.metadata(d.trim_end()).unwrap().kind, Kind::Dir);
        assert_eq!(run(&mut a, mktemp, &["-u"]).2, 0);
    }

    #[test]
    fn rm_refuses_the_root() {
        let mut fs = MemFs::new().with_file("/w/f", b"1");
        let (_, err, rc) = run(&mut fs, rm, &["-rf", "/"]);
        assert_eq!(rc, 1);
        assert!(err.contains("dangerous"));
        assert!(fs.read("/w/f").is_ok());
    }
}
