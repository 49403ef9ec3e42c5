//! The lab kept on disk for one-shot invocations (`vnet ip ...`): the whole
//! world as JSON, written atomically (temp file + fsync + rename) under an
//! exclusive lock, so concurrent invocations serialise and a killed process
//! leaves either the old or the new lab, never a torn one.

use anyhow::{Context, Result};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};
use vnet_core::{Time, World};

/// A lab file (its version is checked first: [`VersionOnly`]).
#[derive(serde::Deserialize)]
struct Saved {
    /// Wall-clock seconds when saved: the virtual clock catches up on load.
    saved_at: f64,
    world: World,
}

/// [`Saved`] as written, borrowing the world.
#[derive(serde::Serialize)]
struct SavedRef<'a> {
    version: u32,
    saved_at: f64,
    world: &'a World,
}

const VERSION: u32 = 1;

pub struct Lab {
    dir: PathBuf,
    _lock: File,
}

fn wall() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Opens a file of the lab without following a symlink in its place (a
/// planted `lab.json.tmp -> victim` must not make vnet write the victim).
fn open_nofollow(path: &Path, opts: &mut OpenOptions) -> std::io::Result<File> {
    opts.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

/// Just the version of a lab file, read before the rest: a newer vnet's
/// file is a version mismatch, not a corrupt file.
#[derive(serde::Deserialize)]
struct VersionOnly {
    version: u32,
}

impl Lab {
    /// Opens (creating) the lab directory and takes its lock.
    pub fn open(dir: &Path) -> Result<Lab> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create lab directory {}", dir.display()))?;
        let lock_path = dir.join("lock");
        let lock = match open_nofollow(
            &lock_path,
            OpenOptions::new().create(true).truncate(false).write(true),
        ) {
            Ok(lock) => {
                lock.lock()
                    .with_context(|| format!("cannot lock {}", lock_path.display()))?;
                lock
            }
            // A read-only lab still answers read-only commands: they take
            // the lock shared and never save (see oneshot.rs).
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                let lock = open_nofollow(&lock_path, OpenOptions::new().read(true))
                    .with_context(|| format!("cannot open {}", lock_path.display()))?;
                lock.lock_shared()
                    .with_context(|| format!("cannot lock {}", lock_path.display()))?;
                lock
            }
            Err(e) => {
                return Err(e).with_context(|| format!("cannot open {}", lock_path.display()))
            }
        };
        Ok(Lab {
            dir: dir.to_path_buf(),
            _lock: lock,
        })
    }

    fn file(&self) -> PathBuf {
        self.dir.join("lab.json")
    }

    /// Whether a lab has been saved here.
    pub fn exists(&self) -> bool {
        self.file().exists()
    }

    /// Loads the world, or boots a new one; virtual time advances by the
    /// wall-clock time since the last save (at most an hour), so timers a
    /// person waits for (DAD, ARP ageing) run as they would on a real host.
    pub fn load(&self, seed: u64) -> Result<World> {
        let f = self.file();
        let Some(text) = read_nofollow(&f)? else {
            return Ok(World::new(seed));
        };
        let saved = parse(&f, &text)?;
        let mut w = saved.world;
        let gap = (wall() - saved.saved_at).clamp(0.0, 3600.0);
        let to = w.now() + Time((gap * 1e9) as u64);
        w.advance(to);
        Ok(w)
    }

    /// Loads the world as it was saved, without the catch-up of [`Lab::load`]
    /// (`vnet explain` sends its probe at the moment the lab was saved, so
    /// the same lab always explains the same way); None when no lab has
    /// been saved here.
    pub fn load_as_saved(&self) -> Result<Option<World>> {
        let f = self.file();
        let Some(text) = read_nofollow(&f)? else {
            return Ok(None);
        };
        Ok(Some(parse(&f, &text)?.world))
    }

    /// Writes the world atomically (see [`write_atomic`]).
    pub fn save(&self, world: &World) -> Result<()> {
        let saved = SavedRef {
            version: VERSION,
            saved_at: wall(),
            world,
        };
        let text = serde_json::to_string(&saved)?;
        write_atomic(&self.file(), text.as_bytes())
    }
}

/// The world saved in `dir` without taking its lock (a live `vnet shell`
/// holds it for its whole session): saves replace the file by a rename,
/// so a reader sees the old lab or the new one, never half of one. Its
/// clock is the one saved. None when no lab was saved there.
pub fn peek(dir: &Path) -> Result<Option<World>> {
    let f = dir.join("lab.json");
    let Some(text) = read_nofollow(&f)? else {
        return Ok(None);
    };
    Ok(Some(parse(&f, &text)?.world))
}

/// Writes `file` atomically: a fresh temporary file beside it (never one
/// found in place: a stale one is removed first, and create_new with
/// O_NOFOLLOW refuses anything put back), synced, renamed over `file`
/// (which replaces a symlink there rather than writing through it). On
/// any error the temporary file is removed and the error names `file`.
fn write_atomic(file: &Path, data: &[u8]) -> Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut tmp = file.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let r = (|| -> std::io::Result<()> {
        match std::fs::remove_file(&tmp) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut f = open_nofollow(&tmp, OpenOptions::new().write(true).create_new(true))?;
        f.write_all(data)?;
        f.sync_all()?;
        std::fs::rename(&tmp, file)?;
        // The rename itself reaches the disk with the directory.
        File::open(dir)?.sync_all()
    })();
    if let Err(e) = r {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot save lab file {}", file.display()));
    }
    Ok(())
}

/// The text of a lab file, read without following a symlink; None when
/// there is none.
fn read_nofollow(f: &Path) -> Result<Option<String>> {
    let mut text = String::new();
    match open_nofollow(f, OpenOptions::new().read(true)) {
        Ok(mut file) => {
            file.read_to_string(&mut text)
                .with_context(|| format!("cannot read {}", f.display()))?;
            Ok(Some(text))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot open {}", f.display())),
    }
}

/// A lab file's content: its version checked first (a newer vnet's file
/// is a version mismatch, not a corrupt file).
fn parse(f: &Path, text: &str) -> Result<Saved> {
    let v: VersionOnly =
        serde_json::from_str(text).with_context(|| format!("corrupt lab file {}", f.display()))?;
    if v.version != VERSION {
        anyhow::bail!(
            "lab file {} has version {}, this vnet reads version {}",
            f.display(),
            v.version,
            VERSION
        );
    }
    let saved: Saved =
        serde_json::from_str(text).with_context(|| format!("corrupt lab file {}", f.display()))?;
    // Well-formed JSON can still name namespaces, devices or sockets that
    // are not there: refuse it here rather than panic on first use.
    saved
        .world
        .validate()
        .map_err(|e| anyhow::anyhow!("corrupt lab file {}: {e}", f.display()))?;
    Ok(saved)
}

/// `vnet lab OP`.
#[derive(clap::Subcommand)]
pub enum LabOp {
    /// Forget the lab: the next command starts on a freshly booted host.
    Reset,
    /// Keep a copy of the lab as snapshot NAME.
    Save { name: String },
    /// Make snapshot NAME the lab.
    Load { name: String },
    /// The snapshots, one per line.
    List,
}

/// A snapshot's file: a plain name, so it stays in the snapshot directory.
fn snapshot(dir: &Path, name: &str) -> Result<PathBuf> {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && !name.starts_with('.');
    if !plain {
        anyhow::bail!("invalid snapshot name {name:?} (letters, digits, '-', '_', '.')");
    }
    Ok(dir.join("snapshots").join(format!("{name}.json")))
}

pub fn main(dir: &Path, op: LabOp) -> Result<i32> {
    let lab = Lab::open(dir)?;
    match op {
        LabOp::Reset => {
            if lab.exists() {
                std::fs::remove_file(lab.file())
                    .with_context(|| format!("cannot remove {}", lab.file().display()))?;
            }
        }
        LabOp::Save { name } => {
            let to = snapshot(dir, &name)?;
            if !lab.exists() {
                anyhow::bail!("no lab to save in {}", dir.display());
            }
            std::fs::create_dir_all(to.parent().expect("snapshots dir"))?;
            let Some(text) = read_nofollow(&lab.file())? else {
                anyhow::bail!("no lab to save in {}", dir.display());
            };
            write_atomic(&to, text.as_bytes())?;
        }
        LabOp::Load { name } => {
            let from = snapshot(dir, &name)?;
            if !from.exists() {
                anyhow::bail!("no snapshot {name} in {}", dir.display());
            }
            let Some(text) = read_nofollow(&from)? else {
                anyhow::bail!("no snapshot {name} in {}", dir.display());
            };
            parse(&from, &text)?;
            write_atomic(&lab.file(), text.as_bytes())?;
        }
        LabOp::List => {
            let mut names: Vec<String> = std::fs::read_dir(dir.join("snapshots"))
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok())
                .filter_map(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    n.strip_suffix(".json").map(String::from)
                })
                .collect();
            names.sort();
            for n in names {
                println!("{n}");
            }
        }
    }
    Ok(0)
}
