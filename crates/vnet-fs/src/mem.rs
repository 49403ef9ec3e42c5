//! An in-memory file tree, for tests of the tools that read and write files.

use crate::{err, normalize, Fs, Kind, Meta};
use std::collections::BTreeMap;
use std::io;

/// Files and directories in memory; `/` exists, the working directory starts there.
#[derive(Debug, Clone)]
pub struct MemFs {
    cwd: String,
    /// Normalised path → `Some(content)` for a file, `None` for a directory.
    nodes: BTreeMap<String, Option<Vec<u8>>>,
    /// Modes set by `set_mode`; a node without one has the default
    /// (0644 for a file, 0755 for a directory).
    modes: BTreeMap<String, u32>,
}

impl Default for MemFs {
    fn default() -> Self {
        let mut nodes = BTreeMap::new();
        nodes.insert("/".to_string(), None);
        MemFs {
            cwd: "/".into(),
            nodes,
            modes: BTreeMap::new(),
        }
    }
}

const ENOENT: i32 = 2;
const EEXIST: i32 = 17;
const ENOTDIR: i32 = 20;
const EISDIR: i32 = 21;
const ENOTEMPTY: i32 = 39;

fn parent(p: &str) -> String {
    match p.rfind('/') {
        Some(0) | None => "/".into(),
        Some(i) => p[..i].into(),
    }
}

impl MemFs {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file (and its directories) for a test.
    pub fn with_file(mut self, path: &str, data: &[u8]) -> Self {
        let p = normalize(&self.cwd, path);
        let mut d = parent(&p);
        let mut dirs = vec![];
        while d != "/" {
            dirs.push(d.clone());
            d = parent(&d);
        }
        for d in dirs {
            self.nodes.insert(d, None);
        }
        self.nodes.insert(p, Some(data.to_vec()));
        self
    }

    fn path(&self, p: &str) -> String {
        normalize(&self.cwd, p)
    }

    fn dir_must_exist(&self, p: &str) -> io::Result<()> {
        match self.nodes.get(p) {
            Some(None) => Ok(()),
            Some(Some(_)) => Err(err(ENOTDIR)),
            None => Err(err(ENOENT)),
        }
    }

    fn children(&self, p: &str) -> Vec<String> {
        let prefix = if p == "/" {
            "/".into()
        } else {
            format!("{p}/")
        };
        self.nodes
            .keys()
            .filter_map(|k| k.strip_prefix(prefix.as_str()))
            .filter(|rest| !rest.is_empty() && !rest.contains('/'))
            .map(String::from)
            .collect()
    }
}

impl Fs for MemFs {
    fn cwd(&self) -> String {
        self.cwd.clone()
    }
    fn set_cwd(&mut self, path: &str) -> io::Result<()> {
        let p = self.path(path);
        self.dir_must_exist(&p)?;
        self.cwd = p;
        Ok(())
    }
    fn read(&mut self, path: &str) -> io::Result<Vec<u8>> {
        match self.nodes.get(&self.path(path)) {
            Some(Some(d)) => Ok(d.clone()),
            Some(None) => Err(err(EISDIR)),
            None => Err(err(ENOENT)),
        }
    }
    fn write(&mut self, path: &str, data: &[u8], append: bool) -> io::Result<()> {
        let p = self.path(path);
        self.dir_must_exist(&parent(&p))?;
        match self.nodes.entry(p).or_insert_with(|| Some(Vec::new())) {
            None => Err(err(EISDIR)),
            Some(f) => {
                if !append {
                    f.clear();
                }
                f.extend_from_slice(data);
                Ok(())
            }
        }
    }
    fn metadata(&mut self, path: &str) -> io::Result<Meta> {
        let p = self.path(path);
        let set = self.modes.get(&p).copied();
        match self.nodes.get(&p) {
            Some(Some(d)) => Ok(Meta {
                kind: Kind::File,
                len: d.len() as u64,
                mode: set.unwrap_or(0o644),
            }),
            Some(None) => Ok(Meta {
                kind: Kind::Dir,
                len: 4096,
                mode: set.unwrap_or(0o755),
            }),
            None => Err(err(ENOENT)),
        }
    }
    fn read_dir(&mut self, path: &str) -> io::Result<Vec<String>> {
        let p = self.path(path);
        self.dir_must_exist(&p)?;
        Ok(self.children(&p))
    }
    fn create_dir(&mut self, path: &str) -> io::Result<()> {
        let p = self.path(path);
        if self.nodes.contains_key(&p) {
            return Err(err(EEXIST));
        }
        self.dir_must_exist(&parent(&p))?;
        self.nodes.insert(p, None);
        Ok(())
    }
    fn remove_file(&mut self, path: &str) -> io::Result<()> {
        let p = self.path(path);
        match self.nodes.get(&p) {
            Some(Some(_)) => {
                self.nodes.remove(&p);
                self.modes.remove(&p);
                Ok(())
            }
            Some(None) => Err(err(EISDIR)),
            None => Err(err(ENOENT)),
        }
    }
    fn remove_dir(&mut self, path: &str) -> io::Result<()> {
        let p = self.path(path);
        self.dir_must_exist(&p)?;
        if !self.children(&p).is_empty() {
            return Err(err(ENOTEMPTY));
        }
        if p != "/" {
            self.nodes.remove(&p);
            self.modes.remove(&p);
        }
        Ok(())
    }
    fn rename(&mut self, from: &str, to: &str) -> io::Result<()> {
        let (f, t) = (self.path(from), self.path(to));
        let node = self.nodes.get(&f).cloned().ok_or_else(|| err(ENOENT))?;
        self.dir_must_exist(&parent(&t))?;
        // Move the node and, for a directory, everything under it.
        let prefix = format!("{f}/");
        let moved: Vec<String> = self
            .nodes
            .keys()
            .filter(|k| k.starts_with(&prefix))
            .cloned()
            .collect();
        for k in moved {
            let v = self.nodes.remove(&k).unwrap_or(None);
            let to = format!("{t}{}", &k[f.len()..]);
            match self.modes.remove(&k) {
                Some(m) => self.modes.insert(to.clone(), m),
                None => self.modes.remove(&to),
            };
            self.nodes.insert(to, v);
        }
        self.nodes.remove(&f);
        match self.modes.remove(&f) {
            Some(m) => self.modes.insert(t.clone(), m),
            None => self.modes.remove(&t),
        };
        self.nodes.insert(t, node);
        Ok(())
    }
    fn set_mode(&mut self, path: &str, mode: u32) -> io::Result<()> {
        let p = self.path(path);
        if !self.nodes.contains_key(&p) {
            return Err(err(ENOENT));
        }
        self.modes.insert(p, mode & 0o7777);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_dirs() {
        let mut fs = MemFs::new().with_file("/a/b.txt", b"hi\n");
        assert_eq!(fs.read("/a/b.txt").unwrap(), b"hi\n");
        fs.set_cwd("/a").unwrap();
        fs.write("c", b"x", false).unwrap();
        fs.write("c", b"y", true).unwrap();
        assert_eq!(fs.read("/a/c").unwrap(), b"xy");
        assert_eq!(fs.read_dir(".").unwrap(), vec!["b.txt", "c"]);
        assert_eq!(fs.remove_dir("/a").unwrap_err().raw_os_error(), Some(39));
        fs.rename("/a", "/z").unwrap();
        assert_eq!(fs.read("/z/c").unwrap(), b"xy");
        assert!(fs.read("/nope").is_err());
        fs.set_mode("/z/c", 0o4711).unwrap();
        assert_eq!(fs.metadata("/z/c").unwrap().mode, 0o4711);
        fs.rename("/z/c", "/z/d").unwrap();
        assert_eq!(fs.metadata("/z/d").unwrap().mode, 0o4711);
        fs.write("/z/c", b"", false).unwrap();
        assert_eq!(fs.metadata("/z/c").unwrap().mode, 0o644);
        assert_eq!(
            fs.set_mode("/nope", 0o755).unwrap_err().raw_os_error(),
            Some(2)
        );
    }
}
