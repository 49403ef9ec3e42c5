//! The annotated pcapng of `vnet run --pcap` (and `vnet explain --pcap`),
//! fed from the same event stream as `--trace` and `--explain`.

use anyhow::{Context, Result};
use std::cell::RefCell;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::rc::Rc;
use vnet_core::trace::{Traced, Tracer};
use vnet_core::World;
use vnet_tools::capture_ng::PcapngStory;

/// The pcapng being written, shared by the tracer and whoever finishes it
/// (the end of the run, or the budget's halt).
#[derive(Clone)]
pub struct Capture(Rc<RefCell<Option<PcapngStory<BufWriter<File>>>>>);

impl Capture {
    pub fn create(path: &Path) -> Result<Capture> {
        let f = File::create(path).with_context(|| format!("{}", path.display()))?;
        let s = PcapngStory::new(BufWriter::new(f)).map_err(|e| anyhow::anyhow!(e))?;
        Ok(Capture(Rc::new(RefCell::new(Some(s)))))
    }
}

/// Installs one tracer feeding the others asked for (`--trace`,
/// `--explain`) and the capture (none when nothing is asked).
pub fn install(world: &mut World, others: Option<Tracer>, capture: Option<Capture>) {
    let Some(capture) = capture else {
        world.set_tracer(others);
        return;
    };
    let mut others = others;
    world.set_tracer(Some(Box::new(move |t: &Traced| {
        if let Some(o) = others.as_mut() {
            o(t);
        }
        if let Some(p) = capture.0.borrow_mut().as_mut() {
            p.event(t);
        }
    })));
}

/// Writes what the capture still holds and closes the file (once).
pub fn finish(capture: Option<Capture>) -> Result<()> {
    let Some(c) = capture else { return Ok(()) };
    let Some(p) = c.0.borrow_mut().take() else {
        return Ok(());
    };
    let mut w = p.finish().map_err(|e| anyhow::anyhow!(e))?;
    std::io::Write::flush(&mut w).context("pcapng")?;
    Ok(())
}

/// Writes events already collected (an explain probe's) as a pcapng.
pub fn write_events(path: &Path, events: &[Traced]) -> Result<()> {
    let c = Capture::create(path)?;
    if let Some(p) = c.0.borrow_mut().as_mut() {
        for t in events {
            p.event(t);
        }
    }
    finish(Some(c))
}
