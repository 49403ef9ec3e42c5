//! The tracers `vnet run` installs: the story on stderr (`--trace`) and
//! the annotated pcapng (`--pcap`), fed from the one event stream.

use anyhow::{Context, Result};
use std::cell::RefCell;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::rc::Rc;
use vnet_core::trace::Traced;
use vnet_core::World;
use vnet_tools::capture_ng::PcapngStory;
use vnet_tools::story::Story;

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

/// Installs one tracer feeding what is asked for (none when nothing is).
pub fn install(world: &mut World, story: Option<Story>, capture: Option<Capture>) {
    if story.is_none() && capture.is_none() {
        return;
    }
    let mut story = story;
    world.set_tracer(Some(Box::new(move |t: &Traced| {
        if let Some(s) = story.as_mut() {
            s.event(t);
        }
        if let Some(c) = &capture {
            if let Some(p) = c.0.borrow_mut().as_mut() {
                p.event(t);
            }
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
