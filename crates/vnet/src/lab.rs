//! The lab kept on disk for one-shot invocations (`vnet ip ...`): the whole
//! world as JSON, written atomically (temp file + fsync + rename) under an
//! exclusive lock, so concurrent invocations serialise and a killed process
//! leaves either the old or the new lab, never a torn one.

use anyhow::{Context, Result};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};
use vnet_core::{Time, World};

#[derive(serde::Deserialize)]
struct Saved {
    version: u32,
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

impl Lab {
    /// Opens (creating) the lab directory and takes its lock.
    pub fn open(dir: &Path) -> Result<Lab> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create lab directory {}", dir.display()))?;
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join("lock"))?;
        lock.lock().context("cannot lock the lab")?;
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
        if !f.exists() {
            return Ok(World::new(seed));
        }
        let text =
            std::fs::read_to_string(&f).with_context(|| format!("cannot read {}", f.display()))?;
        let saved: Saved = serde_json::from_str(&text)
            .with_context(|| format!("corrupt lab file {}", f.display()))?;
        if saved.version != VERSION {
            anyhow::bail!(
                "lab file {} has version {}, expected {}",
                f.display(),
                saved.version,
                VERSION
            );
        }
        let mut w = saved.world;
        let gap = (wall() - saved.saved_at).clamp(0.0, 3600.0);
        let to = w.now() + Time((gap * 1e9) as u64);
        w.advance(to);
        Ok(w)
    }

    pub fn save(&self, world: &World) -> Result<()> {
        let saved = SavedRef {
            version: VERSION,
            saved_at: wall(),
            world,
        };
        let text = serde_json::to_string(&saved)?;
        let tmp = self.dir.join("lab.json.tmp");
        {
            let mut f = File::create(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, self.file())?;
        Ok(())
    }
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
            std::fs::copy(lab.file(), &to)
                .with_context(|| format!("cannot write {}", to.display()))?;
        }
        LabOp::Load { name } => {
            let from = snapshot(dir, &name)?;
            if !from.exists() {
                anyhow::bail!("no snapshot {name} in {}", dir.display());
            }
            let text = std::fs::read_to_string(&from)?;
            let saved: Saved = serde_json::from_str(&text)
                .with_context(|| format!("corrupt snapshot {}", from.display()))?;
            lab.save(&saved.world)?;
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
