//! The file tree of a lab: a table of what each path names, and nothing
//! else reachable.
//!
//! A path is normalised ([`normalize`]), then walked component by
//! component. Each prefix is looked up in the table, the longest entry
//! winning:
//! - a **special** prefix (`/proc`, `/dev`, `/etc/hosts`...) belongs to the
//!   simulated part ([`Special`], given by the caller for each operation);
//! - a **mount** maps a virtual directory onto a real one, read-only or
//!   read-write (the lab directory, `/tmp` onto the lab's private
//!   directory, `--allow-read`/`--allow-write` directories);
//! - an ancestor of an entry is a **skeleton** directory that lists its
//!   entries (so `ls /` and `cd ..` from the lab work) and holds nothing
//!   else;
//! - anything else is refused: `Permission denied`, before any system call
//!   names it.
//!
//! Symlinks are never followed by the host kernel. Each real component is
//! `lstat`ed; a symlink's target is read and walked again *in this tree*
//! (an absolute target from `/`, a relative one from the link's
//! directory), so a link planted in the lab that points at `/etc/shadow`
//! is refused as `/etc/shadow` is, and one pointing at `/proc/sys/...`
//! reaches the simulated sysctl. Files are finally opened with
//! `O_NOFOLLOW | O_NONBLOCK`, and only regular files are read or written:
//! a FIFO or device node found in the lab is refused, never waited on.
//! Real paths under `/proc`, `/sys` and `/dev` are never touched whatever
//! the mounts say, nor the hidden directories (the lab's state, `.vnet`)
//! except through a mount inside them (`/tmp`).

use crate::{err, normalize, Fs, Kind, Meta};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

const ENOENT: i32 = libc::ENOENT;
const EACCES: i32 = libc::EACCES;
const EPERM: i32 = libc::EPERM;
const ENOTDIR: i32 = libc::ENOTDIR;
const EISDIR: i32 = libc::EISDIR;
const EEXIST: i32 = libc::EEXIST;
const EBUSY: i32 = libc::EBUSY;
const ELOOP: i32 = libc::ELOOP;
const EFBIG: i32 = libc::EFBIG;
const ENAMETOOLONG: i32 = libc::ENAMETOOLONG;

/// Symlinks followed in one walk, as the kernel's MAXSYMLINKS.
const MAX_LINKS: usize = 40;
/// PATH_MAX.
const MAX_PATH: usize = 4096;
/// The largest real file read whole (a script's files are small; this
/// keeps a planted multi-gigabyte file from exhausting memory).
const MAX_READ: u64 = 256 << 20;

/// Real directories never reached through a mount, whatever it covers.
const FORBIDDEN: [&str; 3] = ["/proc", "/sys", "/dev"];

/// A node of the simulated part of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    File(Vec<u8>),
    /// A directory and its names (any order; the tree sorts them).
    Dir(Vec<String>),
    /// A symlink and its target, walked in the tree as a real one is.
    Symlink(String),
    /// A character device and what one read of it gives (`/dev/null`: nothing).
    Dev(Vec<u8>),
}

/// The simulated part of the tree (`/proc`, `/sys`, `/dev`, `/etc` files),
/// for the paths under the tree's special prefixes. Paths are absolute,
/// normalised, and their directories free of symlinks.
pub trait Special {
    /// What `path` is; `Err(ENOENT)` when it does not exist. A device's
    /// data may be left empty here and given by [`read`](Self::read).
    fn lookup(&mut self, path: &str) -> io::Result<Node>;
    /// One read of a file or device (`/dev/urandom`: fresh bytes each
    /// time). The default is what [`lookup`](Self::lookup) holds.
    fn read(&mut self, path: &str) -> io::Result<Vec<u8>> {
        match self.lookup(path)? {
            Node::File(d) | Node::Dev(d) => Ok(d),
            Node::Dir(_) => Err(err(EISDIR)),
            Node::Symlink(_) => Err(err(ELOOP)),
        }
    }
    /// A write to a simulated file (an empty write is an open).
    fn write(&mut self, path: &str, data: &[u8], append: bool) -> io::Result<()>;
    /// The permission bits `stat` shows for a node of this kind.
    fn mode(&self, path: &str, kind: Kind) -> u32 {
        let _ = path;
        match kind {
            Kind::Dir => 0o555,
            Kind::CharDev => 0o666,
            _ => 0o644,
        }
    }
}

/// The simulated part when there is none: every special path is missing.
pub struct NoSpecial;

impl Special for NoSpecial {
    fn lookup(&mut self, _path: &str) -> io::Result<Node> {
        Err(err(ENOENT))
    }
    fn write(&mut self, _path: &str, _data: &[u8], _append: bool) -> io::Result<()> {
        Err(err(EACCES))
    }
}

#[derive(Debug, Clone)]
struct Mount {
    /// The virtual directory (absolute, normalised).
    at: String,
    /// The real directory it shows (canonical).
    real: PathBuf,
    write: bool,
    /// Created on first use (the lab's `/tmp`).
    lazy: bool,
}

/// The lab's file tree: its table and working directory. Cloning it is
/// cheap (a capture writing a file keeps its own copy).
#[derive(Debug, Clone)]
pub struct Tree {
    cwd: String,
    mounts: Vec<Mount>,
    special: Vec<String>,
    /// Real directories never reached except through a mount inside them.
    hidden: Vec<PathBuf>,
}

impl Default for Tree {
    fn default() -> Self {
        Tree::new()
    }
}

/// Where a walked path ended.
#[derive(Debug, Clone)]
enum Place {
    Special,
    Real { m: usize, real: PathBuf },
    Skeleton,
}

/// `Some(rest)` when `path` is `prefix` or below it.
fn under<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    if prefix == "/" {
        return Some(path.trim_start_matches('/'));
    }
    let rest = path.strip_prefix(prefix)?;
    if rest.is_empty() {
        Some("")
    } else {
        rest.strip_prefix('/')
    }
}

fn join(parts: &[String]) -> String {
    format!("/{}", parts.join("/"))
}

/// The error for a path outside the table: Permission denied, unless it
/// does not exist and is not being created (`No such file or directory`,
/// as under Landlock). Only its metadata is looked at (`lstat`), never
/// its content, and nothing under the real /proc, /sys or /dev.
fn refusal(v: &str, creating: bool) -> io::Error {
    if FORBIDDEN.iter().any(|f| Path::new(v).starts_with(f)) {
        return err(EACCES);
    }
    let parent_is_dir = || {
        Path::new(v)
            .parent()
            .and_then(|p| std::fs::symlink_metadata(p).ok())
            .is_some_and(|m| m.is_dir())
    };
    match std::fs::symlink_metadata(v) {
        Ok(_) => err(EACCES),
        Err(_) if creating && parent_is_dir() => err(EACCES),
        Err(e) => e,
    }
}

fn meta_of(m: &std::fs::Metadata) -> Meta {
    let ft = m.file_type();
    let kind = if ft.is_dir() {
        Kind::Dir
    } else if ft.is_symlink() {
        Kind::Symlink
    } else if ft.is_file() {
        Kind::File
    } else {
        Kind::CharDev
    };
    Meta {
        kind,
        len: m.len(),
        mode: m.mode() & 0o7777,
    }
}

/// Opens a real file of the tree: never through a symlink, never blocking
/// on a FIFO, only a regular file.
fn open_real(real: &Path, opts: &mut OpenOptions) -> io::Result<File> {
    // A device node is not even opened (an open can act: a tape rewinds).
    if let Ok(m) = std::fs::symlink_metadata(real) {
        if !m.is_file() && !m.is_dir() {
            return Err(err(EACCES));
        }
    }
    let f = opts
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(real)?;
    let m = f.metadata()?;
    if m.is_dir() {
        return Err(err(EISDIR));
    }
    if !m.is_file() {
        return Err(err(EACCES));
    }
    Ok(f)
}

impl Tree {
    /// A tree with nothing in it: every path is refused, `/` is empty.
    pub fn new() -> Tree {
        Tree {
            cwd: "/".into(),
            mounts: Vec::new(),
            special: Vec::new(),
            hidden: Vec::new(),
        }
    }

    /// The working directory (absolute, normalised).
    pub fn cwd(&self) -> &str {
        &self.cwd
    }

    /// Hands the paths at and under `prefix` (absolute) to the simulated part.
    pub fn add_special(&mut self, prefix: &str) {
        self.special.push(normalize("/", prefix));
    }

    /// Shows the real directory `real` at `at` (its canonical path when
    /// `at` is None), read-only or read-write. A directory under `/proc`,
    /// `/sys` or `/dev` is refused, as is one that does not exist unless
    /// `lazy` (then it is created on first use). Returns the virtual path.
    pub fn mount(
        &mut self,
        at: Option<&str>,
        real: &Path,
        write: bool,
        lazy: bool,
    ) -> io::Result<String> {
        let real = if lazy {
            real_path(real)?
        } else {
            std::fs::canonicalize(real)?
        };
        if FORBIDDEN.iter().any(|f| real.starts_with(f)) {
            return Err(err(EACCES));
        }
        let at = match at {
            Some(a) => normalize("/", a),
            None => real.to_str().ok_or_else(|| err(libc::EINVAL))?.to_string(),
        };
        self.mounts.retain(|m| m.at != at);
        self.mounts.push(Mount {
            at: at.clone(),
            real,
            write,
            lazy,
        });
        Ok(at)
    }

    /// Makes a real directory unreachable (the lab's state: `lab.json`,
    /// its lock), except through a mount inside it.
    pub fn hide(&mut self, real: &Path) -> io::Result<()> {
        self.hidden.push(real_path(real)?);
        Ok(())
    }

    /// The standard lab: `dir` read-write at its real path and the working
    /// directory (unless it is `/`); `state` (lab.json, the lock) hidden; `/tmp` onto
    /// `state/tmp`, created on first use; `special` prefixes simulated.
    pub fn lab(dir: &Path, state: &Path, special: &[&str]) -> io::Result<Tree> {
        let mut t = Tree::new();
        for s in special {
            t.add_special(s);
        }
        // Started in `/`, a lab would be the whole machine: then it has
        // no directory of its own (only /tmp and the simulated files).
        if std::fs::canonicalize(dir)? != Path::new("/") {
            t.cwd = t.mount(None, dir, true, false)?;
        }
        t.hide(state)?;
        t.mount(Some("/tmp"), &real_path(state)?.join("tmp"), true, true)?;
        Ok(t)
    }

    /// The tree with the simulated part `sp`, as an [`Fs`].
    pub fn bind<'a>(&'a mut self, sp: &'a mut dyn Special) -> Bound<'a> {
        Bound { tree: self, sp }
    }

    /// What the table says about an absolute, normalised path (no walk).
    fn place(&self, v: &str) -> io::Result<Place> {
        let mut best: Option<(usize, Place)> = None;
        for s in &self.special {
            if under(v, s).is_some() && best.as_ref().is_none_or(|b| s.len() > b.0) {
                best = Some((s.len(), Place::Special));
            }
        }
        for (i, m) in self.mounts.iter().enumerate() {
            if let Some(rest) = under(v, &m.at) {
                if best.as_ref().is_none_or(|b| m.at.len() > b.0) {
                    let real = if rest.is_empty() {
                        m.real.clone()
                    } else {
                        m.real.join(rest)
                    };
                    best = Some((m.at.len(), Place::Real { m: i, real }));
                }
            }
        }
        match best {
            Some((_, Place::Real { m, real })) => {
                let root = &self.mounts[m].real;
                let refused = FORBIDDEN.iter().any(|f| real.starts_with(f))
                    || self
                        .hidden
                        .iter()
                        .any(|h| real.starts_with(h) && !root.starts_with(h));
                if refused {
                    return Err(err(EACCES));
                }
                Ok(Place::Real { m, real })
            }
            Some((_, p)) => Ok(p),
            None if self.is_skeleton(v) => Ok(Place::Skeleton),
            None => Err(err(EACCES)),
        }
    }

    fn entries(&self) -> impl Iterator<Item = &str> {
        self.special
            .iter()
            .map(String::as_str)
            .chain(self.mounts.iter().map(|m| m.at.as_str()))
    }

    fn is_skeleton(&self, v: &str) -> bool {
        v == "/"
            || self
                .entries()
                .any(|e| under(e, v).is_some_and(|r| !r.is_empty()))
    }

    /// The names of the entries directly under the virtual directory `v`.
    fn entry_names(&self, v: &str) -> Vec<String> {
        self.entries()
            .filter_map(|e| under(e, v))
            .filter_map(|rest| rest.split('/').next())
            .filter(|n| !n.is_empty())
            .map(String::from)
            .collect()
    }

    /// Walks `path` to what it names, following symlinks in the tree
    /// (the last component's only if `follow`).
    fn walk(
        &self,
        sp: &mut dyn Special,
        path: &str,
        follow: bool,
        create: bool,
    ) -> io::Result<(String, Place)> {
        let p = normalize(&self.cwd, path);
        if p.len() > MAX_PATH {
            return Err(err(ENAMETOOLONG));
        }
        let mut todo: Vec<String> = p
            .split('/')
            .filter(|c| !c.is_empty())
            .rev()
            .map(String::from)
            .collect();
        let mut done: Vec<String> = Vec::new();
        let mut links = 0;
        // A real path a skeleton step walked over without following: a
        // symlink (or a file) there, which nothing may be reached through.
        let mut covered: Vec<PathBuf> = Vec::new();
        while let Some(c) = todo.pop() {
            match c.as_str() {
                "" | "." => continue,
                ".." => {
                    done.pop();
                    continue;
                }
                _ => done.push(c),
            }
            let v = join(&done);
            let last = todo.is_empty();
            if !last && self.is_skeleton(&v) {
                // On the way to a deeper entry (the lab under /tmp): the
                // entry wins over what the outer mount has there, but a
                // link or file there must not lead anywhere else.
                if let Ok(Place::Real { real, .. }) = self.place(&v) {
                    match std::fs::symlink_metadata(&real) {
                        Ok(md) if md.is_dir() => {}
                        _ => covered.push(real),
                    }
                }
                continue;
            }
            let place = self.place(&v).map_err(|_| refusal(&v, create && last))?;
            if let Place::Real { real, .. } = &place {
                if covered.iter().any(|c| real.starts_with(c)) {
                    return Err(err(EACCES));
                }
            }
            let target = match place {
                Place::Skeleton => None,
                _ if last && !follow => None,
                Place::Special => match sp.lookup(&v) {
                    Ok(Node::Symlink(t)) => Some(t),
                    Ok(Node::Dir(_)) => None,
                    Ok(_) if !last => return Err(err(ENOTDIR)),
                    Ok(_) => None,
                    Err(e) if !last => return Err(e),
                    Err(_) => None,
                },
                Place::Real { m, real } => {
                    self.ensure(m)?;
                    match std::fs::symlink_metadata(&real) {
                        Ok(md) if md.file_type().is_symlink() => {
                            let t = std::fs::read_link(&real)?;
                            Some(t.to_str().ok_or_else(|| err(ENOENT))?.to_string())
                        }
                        Ok(md) if !last && !md.is_dir() => return Err(err(ENOTDIR)),
                        Ok(_) => None,
                        Err(e) if !last => return Err(e),
                        Err(_) => None,
                    }
                }
            };
            if let Some(t) = target {
                links += 1;
                if links > MAX_LINKS {
                    return Err(err(ELOOP));
                }
                if t.is_empty() {
                    return Err(err(ENOENT));
                }
                done.pop();
                if t.starts_with('/') {
                    done.clear();
                }
                todo.extend(
                    t.split('/')
                        .filter(|c| !c.is_empty())
                        .rev()
                        .map(String::from),
                );
                if todo.len() + done.len() > MAX_PATH {
                    return Err(err(ENAMETOOLONG));
                }
            }
        }
        let v = join(&done);
        if let Ok(Place::Real { real, .. }) = self.place(&v) {
            if covered.iter().any(|c| real.starts_with(c)) {
                return Err(err(EACCES));
            }
        }
        let place = match self.place(&v).map_err(|_| refusal(&v, create))? {
            Place::Real { real, .. }
                if self.is_skeleton(&v) && std::fs::symlink_metadata(&real).is_err() =>
            {
                Place::Skeleton
            }
            p => p,
        };
        Ok((v, place))
    }

    /// Creates a lazy mount's directory.
    fn ensure(&self, m: usize) -> io::Result<()> {
        let mt = &self.mounts[m];
        if mt.lazy && !mt.real.is_dir() {
            std::fs::create_dir_all(&mt.real)?;
        }
        Ok(())
    }

    /// A real path the script may change: in a writable mount, not a
    /// mount's root, not an ancestor of a hidden directory.
    fn writable(&self, place: &Place) -> io::Result<PathBuf> {
        match place {
            Place::Real { m, real } => {
                let mt = &self.mounts[*m];
                if !mt.write {
                    return Err(err(EACCES));
                }
                if *real == mt.real
                    || self.hidden.iter().any(|h| h.starts_with(real))
                    || self.mounts.iter().any(|o| o.real.starts_with(real))
                {
                    return Err(err(EBUSY));
                }
                self.ensure(*m)?;
                Ok(real.clone())
            }
            Place::Skeleton => Err(err(EBUSY)),
            Place::Special => Err(err(EACCES)),
        }
    }
}

/// An absolute path without touching the file system.
fn absolute(p: &Path) -> io::Result<PathBuf> {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    };
    let s = p.to_str().ok_or_else(|| err(libc::EINVAL))?;
    Ok(PathBuf::from(normalize("/", s)))
}

/// Where `p` is or will be once created: its deepest existing ancestor
/// resolved (symlinks and all), the rest appended.
fn real_path(p: &Path) -> io::Result<PathBuf> {
    let abs = absolute(p)?;
    let mut base = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(base) {
            let mut r = c;
            for part in rest.iter().rev() {
                r.push(part);
            }
            return Ok(r);
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            _ => return Ok(abs),
        }
    }
}

/// A [`Tree`] with its simulated part: the [`Fs`] commands use.
pub struct Bound<'a> {
    tree: &'a mut Tree,
    sp: &'a mut dyn Special,
}

impl Bound<'_> {
    fn walk(&mut self, path: &str, follow: bool) -> io::Result<(String, Place)> {
        self.tree.walk(self.sp, path, follow, false)
    }

    /// [`walk`](Self::walk) for an operation that creates the last component.
    fn walk_create(&mut self, path: &str, follow: bool) -> io::Result<(String, Place)> {
        self.tree.walk(self.sp, path, follow, true)
    }
}

impl Fs for Bound<'_> {
    fn cwd(&self) -> String {
        self.tree.cwd.clone()
    }

    fn set_cwd(&mut self, path: &str) -> io::Result<()> {
        if self.metadata(path)?.kind != Kind::Dir {
            return Err(err(ENOTDIR));
        }
        self.tree.cwd = normalize(&self.tree.cwd, path);
        Ok(())
    }

    fn read(&mut self, path: &str) -> io::Result<Vec<u8>> {
        let (v, place) = self.walk(path, true)?;
        match place {
            Place::Special => self.sp.read(&v),
            Place::Skeleton => Err(err(EISDIR)),
            Place::Real { real, .. } => {
                let f = open_real(&real, OpenOptions::new().read(true))?;
                let mut v = Vec::new();
                f.take(MAX_READ + 1).read_to_end(&mut v)?;
                if v.len() as u64 > MAX_READ {
                    return Err(err(EFBIG));
                }
                Ok(v)
            }
        }
    }

    fn write(&mut self, path: &str, data: &[u8], append: bool) -> io::Result<()> {
        let (v, place) = self.walk_create(path, true)?;
        match place {
            Place::Special => self.sp.write(&v, data, append),
            Place::Skeleton => Err(err(EISDIR)),
            Place::Real { m, ref real } => {
                if !self.tree.mounts[m].write {
                    return Err(err(EACCES));
                }
                self.tree.ensure(m)?;
                let mut f = open_real(
                    real,
                    OpenOptions::new()
                        .write(true)
                        .create(true)
                        .append(append)
                        .truncate(!append),
                )?;
                f.write_all(data)
            }
        }
    }

    fn metadata(&mut self, path: &str) -> io::Result<Meta> {
        let (v, place) = self.walk(path, true)?;
        match place {
            Place::Special => {
                let sim = v.starts_with("/proc") || v.starts_with("/sys");
                let (kind, len) = match self.sp.lookup(&v)? {
                    Node::File(d) => (Kind::File, if sim { 0 } else { d.len() as u64 }),
                    Node::Dir(_) => (Kind::Dir, 0),
                    Node::Symlink(_) => return Err(err(ELOOP)),
                    Node::Dev(_) => (Kind::CharDev, 0),
                };
                let mode = self.sp.mode(&v, kind);
                Ok(Meta { kind, len, mode })
            }
            Place::Skeleton => Ok(Meta {
                kind: Kind::Dir,
                len: 4096,
                mode: 0o755,
            }),
            Place::Real { real, .. } => Ok(meta_of(&std::fs::symlink_metadata(&real)?)),
        }
    }

    fn read_dir(&mut self, path: &str) -> io::Result<Vec<String>> {
        let (v, place) = self.walk(path, true)?;
        let mut names = match place {
            Place::Special => match self.sp.lookup(&v)? {
                Node::Dir(n) => n,
                _ => return Err(err(ENOTDIR)),
            },
            Place::Skeleton => Vec::new(),
            Place::Real { ref real, .. } => {
                if !std::fs::symlink_metadata(real)?.is_dir() {
                    return Err(err(ENOTDIR));
                }
                let mut n = Vec::new();
                for e in std::fs::read_dir(real)? {
                    let e = e?;
                    let full = real.join(e.file_name());
                    if self.tree.hidden.contains(&full) {
                        continue;
                    }
                    n.push(e.file_name().to_string_lossy().into_owned());
                }
                n
            }
        };
        if !matches!(place, Place::Special) {
            names.extend(self.tree.entry_names(&v));
        }
        names.sort();
        names.dedup();
        Ok(names)
    }

    fn create_dir(&mut self, path: &str) -> io::Result<()> {
        let (_, place) = self.walk_create(path, false)?;
        match place {
            Place::Skeleton => Err(err(EEXIST)),
            p => std::fs::create_dir(self.tree.writable(&p)?),
        }
    }

    fn remove_file(&mut self, path: &str) -> io::Result<()> {
        let (_, place) = self.walk(path, false)?;
        let real = self.tree.writable(&place)?;
        if std::fs::symlink_metadata(&real)?.is_dir() {
            return Err(err(EISDIR));
        }
        std::fs::remove_file(real)
    }

    fn remove_dir(&mut self, path: &str) -> io::Result<()> {
        let (_, place) = self.walk(path, false)?;
        std::fs::remove_dir(self.tree.writable(&place)?)
    }

    fn rename(&mut self, from: &str, to: &str) -> io::Result<()> {
        let (_, a) = self.walk(from, false)?;
        let (_, b) = self.walk_create(to, false)?;
        let a = self.tree.writable(&a)?;
        let b = self.tree.writable(&b)?;
        std::fs::symlink_metadata(&a)?;
        std::fs::rename(a, b)
    }

    fn set_mode(&mut self, path: &str, mode: u32) -> io::Result<()> {
        let (_, place) = self.walk(path, true)?;
        match place {
            // /proc/sys refuses a chmod even from root; the rest of the
            // simulated part (and the skeleton) keeps no modes.
            Place::Special | Place::Skeleton => Err(err(EPERM)),
            Place::Real { m, real } => {
                if !self.tree.mounts[m].write {
                    return Err(err(EPERM));
                }
                // fchmod on what the walk resolved, opened without
                // following a link: a path-based chmod would follow one
                // planted since, out of the tree.
                if let Ok(md) = std::fs::symlink_metadata(&real) {
                    if !md.is_file() && !md.is_dir() {
                        return Err(err(EACCES));
                    }
                }
                let f = OpenOptions::new()
                    .read(true)
                    .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
                    .open(&real)?;
                let md = f.metadata()?;
                if !md.is_file() && !md.is_dir() {
                    return Err(err(EACCES));
                }
                f.set_permissions(std::fs::Permissions::from_mode(mode & 0o7777))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        // Not under /tmp, which the tree maps elsewhere.
        let here = std::fs::canonicalize(env!("CARGO_MANIFEST_DIR")).unwrap();
        let base = if here.starts_with("/tmp") {
            PathBuf::from("/var/tmp")
        } else {
            here.join("../../target")
        };
        let d = base.join(format!("vnet-fs-tests-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("lab")).unwrap();
        std::fs::create_dir_all(d.join("out")).unwrap();
        std::fs::write(d.join("out/secret"), b"CANARY").unwrap();
        std::fs::create_dir_all(d.join("lab/.vnet")).unwrap();
        std::fs::write(d.join("lab/.vnet/lab.json"), b"{}").unwrap();
        std::fs::canonicalize(d).unwrap()
    }

    fn code(r: io::Result<impl Sized>) -> Option<i32> {
        r.err().and_then(|e| e.raw_os_error())
    }

    #[test]
    fn lab_files_read_write_and_nothing_outside() {
        let d = scratch("basic");
        let lab = d.join("lab");
        let mut t = Tree::lab(&lab, &lab.join(".vnet"), &[]).unwrap();
        let mut sp = NoSpecial;
        let mut fs = t.bind(&mut sp);
        assert_eq!(fs.cwd(), lab.to_str().unwrap());
        fs.write("a.txt", b"hi", false).unwrap();
        fs.write("a.txt", b"!", true).unwrap();
        assert_eq!(std::fs::read(lab.join("a.txt")).unwrap(), b"hi!");
        let out = d.join("out/secret");
        let out = out.to_str().unwrap();
        for p in [
            out.to_string(),
            "../out/secret".into(),
            format!("/{out}"),
            format!("{}/../out/secret", lab.display()),
            "/etc/passwd".into(),
        ] {
            assert_eq!(code(fs.read(&p)), Some(EACCES), "{p}");
            assert_eq!(code(fs.write(&p, b"x", false)), Some(EACCES), "{p}");
        }
        assert_eq!(std::fs::read(d.join("out/secret")).unwrap(), b"CANARY");
        // The lab's state is out of reach; its /tmp is not.
        assert_eq!(code(fs.write(".vnet/lab.json", b"x", false)), Some(EACCES));
        fs.write("/tmp/t", b"tmp", false).unwrap();
        assert_eq!(std::fs::read(lab.join(".vnet/tmp/t")).unwrap(), b"tmp");
        assert!(!fs.read_dir(".").unwrap().contains(&".vnet".to_string()));
        assert_eq!(code(fs.remove_dir("/tmp")), Some(EBUSY));
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn symlinks_are_walked_in_the_tree() {
        let d = scratch("links");
        let lab = d.join("lab");
        std::fs::create_dir_all(lab.join("sub")).unwrap();
        std::os::unix::fs::symlink(d.join("out"), lab.join("abs")).unwrap();
        std::os::unix::fs::symlink("../../out/secret", lab.join("sub/rel")).unwrap();
        std::os::unix::fs::symlink("sub", lab.join("inside")).unwrap();
        std::os::unix::fs::symlink("loop", lab.join("loop")).unwrap();
        std::os::unix::fs::symlink(".vnet/lab.json", lab.join("state")).unwrap();
        let mut t = Tree::lab(&lab, &lab.join(".vnet"), &[]).unwrap();
        let mut sp = NoSpecial;
        let mut fs = t.bind(&mut sp);
        assert_eq!(code(fs.read("abs/secret")), Some(EACCES));
        assert_eq!(code(fs.write("abs/new", b"x", false)), Some(EACCES));
        assert_eq!(code(fs.read("sub/rel")), Some(EACCES));
        assert_eq!(code(fs.write("sub/rel", b"x", false)), Some(EACCES));
        assert_eq!(code(fs.write("state", b"x", false)), Some(EACCES));
        assert_eq!(code(fs.read("loop")), Some(ELOOP));
        fs.write("inside/f", b"ok", false).unwrap();
        assert_eq!(fs.read("sub/f").unwrap(), b"ok");
        // Removing a link removes the link, not its target.
        fs.remove_file("abs").unwrap();
        assert_eq!(std::fs::read(d.join("out/secret")).unwrap(), b"CANARY");
        assert!(!d.join("out/new").exists());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn set_mode_never_leaves_the_tree() {
        use std::os::unix::fs::PermissionsExt;
        let d = scratch("chmod");
        let lab = d.join("lab");
        let secret = d.join("out/secret");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::create_dir_all(lab.join("sub")).unwrap();
        std::fs::write(lab.join("f"), b"x").unwrap();
        std::os::unix::fs::symlink(&secret, lab.join("abs")).unwrap();
        std::os::unix::fs::symlink("../../out/secret", lab.join("sub/rel")).unwrap();
        std::os::unix::fs::symlink("../out", lab.join("dir")).unwrap();
        std::os::unix::fs::symlink("f", lab.join("inside")).unwrap();
        let mut t = Tree::lab(&lab, &lab.join(".vnet"), &["/proc"]).unwrap();
        let mut sp = NoSpecial;
        let mut fs = t.bind(&mut sp);
        let out_mode = mode(&d.join("out"));
        for p in [
            "abs",
            "sub/rel",
            "dir",
            "dir/secret",
            "../out/secret",
            "/etc/passwd",
        ] {
            assert_eq!(code(fs.set_mode(p, 0o4777)), Some(EACCES), "{p}");
        }
        assert_eq!(code(fs.set_mode(".vnet/lab.json", 0o777)), Some(EACCES));
        assert_eq!(code(fs.set_mode("/proc", 0o777)), Some(EPERM));
        assert_eq!(mode(&secret), 0o600);
        assert_eq!(mode(&d.join("out")), out_mode);
        // A link inside the tree leads to the lab's file; dirs change too.
        fs.set_mode("inside", 0o4751).unwrap();
        assert_eq!(mode(&lab.join("f")), 0o4751);
        assert_eq!(fs.metadata("f").unwrap().mode, 0o4751);
        fs.set_mode("sub", 0o700).unwrap();
        assert_eq!(fs.metadata("sub").unwrap().mode, 0o700);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_link_over_a_deeper_entry_leads_nowhere() {
        // The lab lives at /x/lab, its /tmp is elsewhere; a link planted
        // in /tmp where the path to a lab under /tmp passes must not lead
        // the host kernel through it.
        let d = scratch("covered");
        let lab = d.join("lab");
        let state = d.join("state");
        std::fs::create_dir_all(state.join("tmp")).unwrap();
        let mut t = Tree::new();
        t.mount(Some("/tmp/x/lab"), &lab, true, false).unwrap();
        t.mount(Some("/tmp"), &state.join("tmp"), true, false)
            .unwrap();
        std::os::unix::fs::symlink(d.join("out"), state.join("tmp/x")).unwrap();
        let mut sp = NoSpecial;
        let mut fs = t.bind(&mut sp);
        fs.write("/tmp/x/lab/f", b"ok", false).unwrap();
        assert_eq!(code(fs.read("/tmp/x/secret")), Some(EACCES));
        assert_eq!(code(fs.write("/tmp/x/new", b"x", false)), Some(EACCES));
        assert_eq!(code(fs.read_dir("/tmp/x/.")), Some(EACCES));
        assert!(!d.join("out/new").exists());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn fifos_and_devices_in_the_lab_are_refused_not_waited_on() {
        let d = scratch("fifo");
        let lab = d.join("lab");
        let fifo = std::ffi::CString::new(lab.join("fifo").to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        let mut t = Tree::lab(&lab, &lab.join(".vnet"), &[]).unwrap();
        let mut sp = NoSpecial;
        let mut fs = t.bind(&mut sp);
        assert_eq!(code(fs.read("fifo")), Some(EACCES));
        assert_eq!(code(fs.write("fifo", b"x", false)), Some(EACCES));
        assert_eq!(fs.metadata("fifo").unwrap().kind, Kind::CharDev);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn skeleton_lists_entries_and_mounts_can_be_read_only() {
        let d = scratch("skel");
        let lab = d.join("lab");
        let mut t = Tree::lab(&lab, &lab.join(".vnet"), &["/proc", "/etc/hosts"]).unwrap();
        t.mount(None, &d.join("out"), false, false).unwrap();
        let mut sp = NoSpecial;
        let mut fs = t.bind(&mut sp);
        let root = fs.read_dir("/").unwrap();
        assert!(root.contains(&"proc".to_string()) && root.contains(&"tmp".to_string()));
        assert_eq!(fs.read_dir("/etc").unwrap(), vec!["hosts"]);
        let secret = d.join("out/secret");
        assert_eq!(fs.read(secret.to_str().unwrap()).unwrap(), b"CANARY");
        assert_eq!(
            code(fs.write(secret.to_str().unwrap(), b"x", false)),
            Some(EACCES)
        );
        // Outside the table: refused where it exists, missing where not.
        assert_eq!(code(fs.set_cwd("/nonexistent")), Some(ENOENT));
        fs.set_cwd("/etc").unwrap();
        assert_eq!(code(fs.read("/etc/passwd")), Some(EACCES));
        assert_eq!(code(fs.read("/etc/nonexistent")), Some(ENOENT));
        assert_eq!(code(fs.write("/etc/new", b"x", false)), Some(EACCES));
        assert_eq!(
            code(fs.write("/nonexistent/new", b"x", false)),
            Some(ENOENT)
        );
        fs.set_cwd("/").unwrap();
        assert_eq!(code(fs.read("/proc/x")), Some(ENOENT));
        let _ = std::fs::remove_dir_all(&d);
    }
}
