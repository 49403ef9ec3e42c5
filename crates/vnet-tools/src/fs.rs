//! The file view commands see: `/proc/sys/net/...` maps onto the sysctls of
//! the namespace the command runs in; everything else is the real file
//! system, relative to the machine's working directory.

use std::io::{Error, ErrorKind};
use std::path::PathBuf;
use vnet_core::{Errno, NsId, World};

/// The dotted sysctl key for a /proc/sys path, if it is one.
pub fn proc_sys_key(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/proc/sys/")?;
    Some(rest.trim_end_matches('/').replace('/', "."))
}

pub fn resolve(cwd: &str, path: &str) -> PathBuf {
    let p = PathBuf::from(path);
    if p.is_absolute() {
        p
    } else {
        PathBuf::from(cwd).join(p)
    }
}

pub fn read(w: &World, ns: NsId, cwd: &str, path: &str) -> std::io::Result<Vec<u8>> {
    if path == "/proc/net/nf_conntrack" {
        return Ok(crate::conntrack::proc_file(w, ns).into_bytes());
    }
    if path == "/proc/sys/net/netfilter/nf_conntrack_count" {
        return Ok(format!("{}\n", crate::conntrack::live_count(w, ns)).into_bytes());
    }
    if let Some(key) = proc_sys_key(path) {
        let n = w.ns(ns);
        let devs = n.dev_names();
        return match n.sysctl().get(&key, &devs) {
            Some(v) => Ok(format!("{v}\n").into_bytes()),
            None => Err(Error::from(ErrorKind::NotFound)),
        };
    }
    if path.starts_with("/proc/") || path.starts_with("/sys/") {
        return Err(Error::from(ErrorKind::NotFound));
    }
    std::fs::read(resolve(cwd, path))
}

pub fn write(
    w: &mut World,
    ns: NsId,
    cwd: &str,
    path: &str,
    data: &[u8],
    append: bool,
) -> std::io::Result<()> {
    if let Some(key) = proc_sys_key(path) {
        if w.sysctl_read(ns, &key).is_none() {
            return Err(Error::from(ErrorKind::NotFound));
        }
        if data.is_empty() {
            return Ok(()); // an open for writing
        }
        let s = String::from_utf8_lossy(data);
        return w.sysctl_write(ns, &key, &s).map_err(|e| match e {
            Errno::EINVAL => Error::from(ErrorKind::InvalidInput),
            _ => Error::from(ErrorKind::NotFound),
        });
    }
    if path.starts_with("/proc/") || path.starts_with("/sys/") {
        return Err(Error::from(ErrorKind::NotFound));
    }
    if path == "/dev/null" {
        return Ok(());
    }
    use std::io::Write;
    let p = resolve(cwd, path);
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(append)
        .truncate(!append)
        .open(p)?;
    f.write_all(data)
}

/// The text of an io::Error as the C library prints it.
pub fn strerror(e: &Error) -> &'static str {
    match e.kind() {
        ErrorKind::NotFound => "No such file or directory",
        ErrorKind::PermissionDenied => "Permission denied",
        ErrorKind::InvalidInput => "Invalid argument",
        ErrorKind::AlreadyExists => "File exists",
        _ => "Input/output error",
    }
}

/// The file tree of a command running in namespace `ns`, as the userland
/// tools ([`vnet_userland`]) see it.
pub struct View<'a> {
    pub world: &'a mut World,
    pub ns: NsId,
    pub cwd: &'a mut String,
}

impl vnet_fs::Fs for View<'_> {
    fn cwd(&self) -> String {
        self.cwd.clone()
    }
    fn set_cwd(&mut self, path: &str) -> std::io::Result<()> {
        let p = vnet_fs::normalize(self.cwd, path);
        if !std::fs::metadata(&p)?.is_dir() {
            return Err(vnet_fs::err(20));
        }
        *self.cwd = p;
        Ok(())
    }
    fn read(&mut self, path: &str) -> std::io::Result<Vec<u8>> {
        read(self.world, self.ns, self.cwd, path)
    }
    fn write(&mut self, path: &str, data: &[u8], append: bool) -> std::io::Result<()> {
        write(self.world, self.ns, self.cwd, path, data, append)
    }
    fn metadata(&mut self, path: &str) -> std::io::Result<vnet_fs::Meta> {
        use std::os::unix::fs::PermissionsExt;
        // /run/netns holds the named namespaces' bind mounts.
        let abs = vnet_fs::normalize(self.cwd, path);
        if let Some(rest) = abs.strip_prefix("/run/netns") {
            let name = rest.trim_start_matches('/');
            let kind = if name.is_empty() {
                vnet_fs::Kind::Dir
            } else if self.world.names().iter().any(|(n, _)| n == name) {
                vnet_fs::Kind::File
            } else {
                return Err(vnet_fs::err(2));
            };
            let mode = if kind == vnet_fs::Kind::Dir {
                0o755
            } else {
                0o444
            };
            return Ok(vnet_fs::Meta { kind, len: 0, mode });
        }
        let m = std::fs::metadata(resolve(self.cwd, path))?;
        let kind = if m.is_dir() {
            vnet_fs::Kind::Dir
        } else {
            vnet_fs::Kind::File
        };
        Ok(vnet_fs::Meta {
            kind,
            len: m.len(),
            mode: m.permissions().mode() & 0o7777,
        })
    }
    fn read_dir(&mut self, path: &str) -> std::io::Result<Vec<String>> {
        if vnet_fs::normalize(self.cwd, path) == "/run/netns" {
            let mut v: Vec<String> = self.world.names().iter().map(|(n, _)| n.clone()).collect();
            v.sort();
            return Ok(v);
        }
        let mut v: Vec<String> = std::fs::read_dir(resolve(self.cwd, path))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        Ok(v)
    }
    fn create_dir(&mut self, path: &str) -> std::io::Result<()> {
        std::fs::create_dir(resolve(self.cwd, path))
    }
    fn remove_file(&mut self, path: &str) -> std::io::Result<()> {
        std::fs::remove_file(resolve(self.cwd, path))
    }
    fn remove_dir(&mut self, path: &str) -> std::io::Result<()> {
        std::fs::remove_dir(resolve(self.cwd, path))
    }
    fn rename(&mut self, from: &str, to: &str) -> std::io::Result<()> {
        std::fs::rename(resolve(self.cwd, from), resolve(self.cwd, to))
    }
}
