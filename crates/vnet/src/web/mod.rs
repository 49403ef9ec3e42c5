//! `vnet web [--lab DIR | SCRIPT]`: the lab drawn in a browser, served on
//! 127.0.0.1 by tiny_http (one thread, requests in turn).
//!
//! - `/` — the page (`page.html`, inline JS and CSS, no build step, no
//!   network): an SVG drawing of hosts, namespaces, devices and links, a
//!   panel per namespace, the packet timeline and the explain form.
//! - `/api/lab` — the lab as [`vnet_tools::topo::model`] describes it, plus
//!   a `version` that changes when the lab does; the page polls it.
//! - `/api/trace` — the script's trace events (one object each, the
//!   `--trace-format=json` schema) and what the script printed.
//! - `POST /api/explain` — `vnet explain`'s JSON for a probe sent on a
//!   copy of the lab.
//!
//! With `--lab DIR` (or ./.vnet) the lab file is read without its lock
//! (saves are atomic renames) and read again whenever its modification
//! time changes, so a `vnet shell --lab DIR` in another terminal is
//! followed live. With SCRIPT the script runs first in a fresh lab, its
//! trace collected, and the lab it leaves is served.

use crate::lab;
use anyhow::{Context, Result};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::io::Write;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::SystemTime;
use tiny_http::{Header, Method, Response, Server};
use vnet_core::World;
use vnet_shell::{Shell, Sink};
use vnet_tools::explain::Probe;
use vnet_tools::story::{Format, Story};
use vnet_tools::Machine;

const PAGE: &str = include_str!("page.html");

/// Trace bytes kept for the timeline: a long script's trace is cut here
/// (the page says so) rather than filling memory.
const MAX_TRACE_BYTES: usize = 64 << 20;
/// Request bodies read (the explain form's fields).
const MAX_BODY: u64 = 64 << 10;

/// What `vnet web` was asked for.
pub struct Opts {
    pub lab: PathBuf,
    pub script: Option<PathBuf>,
    pub port: u16,
    pub trace: Option<String>,
    pub seed: u64,
}

/// A writer appending to a shared, bounded buffer.
#[derive(Clone, Default)]
struct Buf(Rc<RefCell<Vec<u8>>>, usize);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let mut v = self.0.borrow_mut();
        if v.len() + b.len() <= self.1 {
            v.extend_from_slice(b);
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where the lab comes from, and what was last read of it.
enum Source {
    Script {
        model: Value,
        trace: Value,
        /// The lab the script left, serialised: explain probes run on copies.
        world: String,
    },
    Lab {
        dir: PathBuf,
        seed: u64,
        seen: Option<(SystemTime, u64)>,
        model: Value,
        version: u64,
    },
}

impl Source {
    /// The model, read again first when the lab file changed.
    fn lab(&mut self) -> Value {
        match self {
            Source::Script { model, .. } => {
                let mut v = model.clone();
                v["version"] = json!(0);
                v["source"] = json!("script");
                v
            }
            Source::Lab {
                dir,
                seed,
                seen,
                model,
                version,
            } => {
                // The modification time and size: a save within the same
                // clock tick still changes one of them, almost always.
                let mtime = std::fs::metadata(dir.join("lab.json"))
                    .and_then(|m| Ok((m.modified()?, m.len())))
                    .ok();
                if mtime != *seen || model.is_null() {
                    *seen = mtime;
                    *version += 1;
                    *model = match lab::peek(dir) {
                        Ok(w) => model_of(w.unwrap_or_else(|| World::new(*seed))),
                        Err(e) => json!({ "error": format!("{e:#}") }),
                    };
                }
                let mut v = model.clone();
                v["version"] = json!(*version);
                v["source"] = json!("lab");
                v["lab"] = json!(dir.display().to_string());
                v
            }
        }
    }

    /// A copy of the lab, for a probe to run on.
    fn copy(&self) -> Result<World, String> {
        match self {
            Source::Script { world, .. } => {
                serde_json::from_str(world).map_err(|e| format!("cannot copy the lab: {e}"))
            }
            Source::Lab { dir, seed, .. } => match lab::peek(dir) {
                Ok(w) => Ok(w.unwrap_or_else(|| World::new(*seed))),
                Err(e) => Err(format!("{e:#}")),
            },
        }
    }

    fn trace(&self) -> Value {
        match self {
            Source::Script { trace, .. } => trace.clone(),
            Source::Lab { .. } => json!({ "events": [], "output": "" }),
        }
    }
}

fn model_of(world: World) -> Value {
    let mut m = Machine::new(world, Box::new(std::io::sink()));
    vnet_tools::topo::model(&mut m)
}

/// `vnet topo [--lab DIR | SCRIPT] [--dot]`: the model as JSON, or as a
/// Graphviz graph.
pub fn topo(o: Opts, dot: bool, fs: vnet_fs::Tree) -> Result<i32> {
    let mut source = match &o.script {
        Some(s) => run_script(s, false, None, o.seed, fs)?,
        None => Source::Lab {
            dir: o.lab.clone(),
            seed: o.seed,
            seen: None,
            model: Value::Null,
            version: 0,
        },
    };
    let model = source.lab();
    if let Some(e) = model["error"].as_str() {
        anyhow::bail!("{e}");
    }
    if dot {
        print!("{}", vnet_tools::topo::dot(&model));
    } else {
        println!("{}", serde_json::to_string_pretty(&model)?);
    }
    Ok(0)
}

/// Runs `script` on a fresh lab, collecting its output and, with
/// `traced`, its trace (the packets `filter` keeps).
fn run_script(
    path: &Path,
    traced: bool,
    filter: Option<&str>,
    seed: u64,
    fs: vnet_fs::Tree,
) -> Result<Source> {
    let src = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let mut world = World::new(seed);
    let events = Buf(Rc::default(), MAX_TRACE_BYTES);
    if traced {
        let mut story = Story::new(Format::Json, filter, Box::new(events.clone()))
            .map_err(|e| anyhow::anyhow!(e))?;
        world.set_tracer(Some(Box::new(move |t: &vnet_core::trace::Traced| {
            story.event(t)
        })));
    }
    let output = Buf(Rc::default(), 1 << 20);
    let mut m = Machine::new(world, Box::new(output.clone()));
    m.fs = fs;
    let mut sh = Shell::new(&path.display().to_string());
    sh.set_cwd(m.fs.cwd());
    let status = sh.run_script_to(&src, &mut m, &mut Sink::Terminal, &mut Sink::Terminal);
    m.kill_all();
    let halted = m.halted().map(str::to_string);
    let mut world = m.world;
    world.set_tracer(None);
    let text = String::from_utf8_lossy(&events.0.borrow()).into_owned();
    let list: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let cut = events.0.borrow().len() + 4096 > MAX_TRACE_BYTES;
    let trace = json!({
        "script": path.display().to_string(),
        "status": status,
        "halted": halted,
        "truncated": cut,
        "output": String::from_utf8_lossy(&output.0.borrow()),
        "events": list,
    });
    let saved = serde_json::to_string(&world)?;
    Ok(Source::Script {
        model: model_of(world),
        trace,
        world: saved,
    })
}

pub fn main(o: Opts, fs: vnet_fs::Tree) -> Result<i32> {
    let mut source = match &o.script {
        Some(s) => run_script(s, true, o.trace.as_deref(), o.seed, fs)?,
        None => Source::Lab {
            dir: o.lab.clone(),
            seed: o.seed,
            seen: None,
            model: Value::Null,
            version: 0,
        },
    };
    let server = Server::http(("127.0.0.1", o.port))
        .map_err(|e| anyhow::anyhow!("cannot listen on 127.0.0.1:{}: {e}", o.port))?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .unwrap_or(o.port);
    println!("http://127.0.0.1:{port}/");
    let _ = std::io::stdout().flush();
    for mut req in server.incoming_requests() {
        let path = req.url().split(['?', '#']).next().unwrap_or("").to_string();
        let (code, ctype, body) = match (req.method(), path.as_str()) {
            (Method::Get, "/") | (Method::Get, "/index.html") => {
                (200, "text/html; charset=utf-8", PAGE.to_string())
            }
            (Method::Get, "/api/lab") => (200, "application/json", source.lab().to_string()),
            (Method::Get, "/api/trace") => (200, "application/json", source.trace().to_string()),
            (Method::Post, "/api/explain") => {
                let mut body = String::new();
                let _ = std::io::Read::read_to_string(
                    &mut std::io::Read::take(req.as_reader(), MAX_BODY),
                    &mut body,
                );
                let (code, v) = explain(&source, &body);
                (code, "application/json", v.to_string())
            }
            _ => (404, "text/plain", "not found\n".to_string()),
        };
        let header = Header::from_bytes(&b"Content-Type"[..], ctype.as_bytes())
            .map_err(|_| anyhow::anyhow!("bad header"))?;
        let nocache = Header::from_bytes(&b"Cache-Control"[..], &b"no-store"[..])
            .map_err(|_| anyhow::anyhow!("bad header"))?;
        let resp = Response::from_string(body)
            .with_status_code(code)
            .with_header(header)
            .with_header(nocache);
        let _ = req.respond(resp);
    }
    Ok(0)
}

/// The explain form's answer: `{src, dst, proto, port}` in, the explain
/// engine's JSON out (verdict, journey in the trace schema, hints), the
/// probe sent on a copy of the lab (the lab itself is not changed).
fn explain(source: &Source, body: &str) -> (u16, Value) {
    let bad = |msg: String| (400, json!({ "error": msg }));
    let asked: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(e) => return bad(format!("the request is not JSON: {e}")),
    };
    let field = |k: &str| asked[k].as_str().unwrap_or("").trim().to_string();
    let src = field("src");
    if src.is_empty() {
        return bad("say where the probe starts (a namespace, host, or HOST:NS)".into());
    }
    let Ok(dst) = field("dst").parse::<Ipv4Addr>() else {
        return bad(format!("'{}' is not an IPv4 address", field("dst")));
    };
    let mut p = Probe::new(&src, dst);
    p.proto = match field("proto").as_str() {
        "" | "icmp" => 1,
        "tcp" => 6,
        "udp" => 17,
        other => return bad(format!("unknown protocol '{other}' (icmp, tcp, udp)")),
    };
    let port = field("port");
    if !port.is_empty() {
        match port.parse::<u16>() {
            Ok(n) if n > 0 && p.proto != 1 => p.port = Some(n),
            Ok(_) if p.proto == 1 => {}
            _ => return bad(format!("'{port}' is not a port")),
        }
    }
    let world = match source.copy() {
        Ok(w) => w,
        Err(e) => return (500, json!({ "error": e })),
    };
    match vnet_tools::explain::explain(world, &p) {
        Ok(ex) => {
            let mut v = ex.json();
            v["text"] = json!(ex.text());
            (200, v)
        }
        Err(e) => bad(e),
    }
}
