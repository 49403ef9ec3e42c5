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

#[derive(serde::Serialize, serde::Deserialize)]
struct Saved {
    version: u32,
    /// Wall-clock seconds when saved: the virtual clock catches up on load.
    saved_at: f64,
    world: World,
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
        let lock = open_nofollow(
            &lock_path,
            OpenOptions::new().create(true).truncate(false).write(true),
        )
        .with_context(|| format!("cannot open {}", lock_path.display()))?;
        lock.lock()
            .with_context(|| format!("cannot lock {}", lock_path.display()))?;
        Ok(Lab {
            dir: dir.to_path_buf(),
            _lock: lock,
        })
    }

    fn file(&self) -> PathBuf {
        self.dir.join("lab.json")
    }

    /// Loads the world, or boots a new one; virtual time advances by the
    /// wall-clock time since the last save (at most an hour), so timers a
    /// person waits for (DAD, ARP ageing) run as they would on a real host.
    pub fn load(&self, seed: u64) -> Result<World> {
        let f = self.file();
        let mut text = String::new();
        match open_nofollow(&f, OpenOptions::new().read(true)) {
            Ok(mut file) => {
                file.read_to_string(&mut text)
                    .with_context(|| format!("cannot read {}", f.display()))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(World::new(seed)),
            Err(e) => return Err(e).with_context(|| format!("cannot open {}", f.display())),
        }
        let v: VersionOnly = serde_json::from_str(&text)
            .with_context(|| format!("corrupt lab file {}", f.display()))?;
        if v.version != VERSION {
            anyhow::bail!(
                "lab file {} has version {}, this vnet reads version {}",
                f.display(),
                v.version,
                VERSION
            );
        }
        let saved: Saved = serde_json::from_str(&text)
            .with_context(|| format!("corrupt lab file {}", f.display()))?;
        let mut w = saved.world;
        let gap = (wall() - saved.saved_at).clamp(0.0, 3600.0);
        let to = w.now() + Time((gap * 1e9) as u64);
        w.advance(to);
        Ok(w)
    }

    /// Writes the world atomically: a fresh temporary file (never one
    /// found in place: a stale one is removed first, and create_new with
    /// O_NOFOLLOW refuses anything put back), synced, renamed over
    /// lab.json. On any error the temporary file is removed.
    pub fn save(&self, world: World) -> Result<()> {
        let saved = Saved {
            version: VERSION,
            saved_at: wall(),
            world,
        };
        let text = serde_json::to_string(&saved)?;
        let tmp = self.dir.join("lab.json.tmp");
        let file = self.file();
        let r = (|| -> std::io::Result<()> {
            match std::fs::remove_file(&tmp) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            let mut f = open_nofollow(&tmp, OpenOptions::new().write(true).create_new(true))?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&tmp, &file)?;
            // The rename itself reaches the disk with the directory.
            File::open(&self.dir)?.sync_all()
        })();
        if let Err(e) = r {
            let _ = std::fs::remove_file(&tmp);
            return Err(e).with_context(|| format!("cannot save lab file {}", file.display()));
        }
        Ok(())
    }
}
