//! `vnet web`: the JSON API over real HTTP, the lab followed live, and the
//! page in a real browser (headless Chromium: the drawing's nodes and a
//! step of the timeline read from the DOM, a screenshot kept as
//! target/web-screenshot.png).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// A `vnet web` process, killed when dropped.
struct Web {
    child: Child,
    addr: String,
}

impl Drop for Web {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str], dir: &Path) -> Web {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .arg("web")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("http://")
        .and_then(|s| s.strip_suffix('/'))
        .unwrap_or_else(|| panic!("no URL printed: {line:?}"))
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    Web { child, addr }
}

/// One HTTP/1.0 request: status code and body.
fn http(addr: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut r = String::new();
    s.read_to_string(&mut r).unwrap();
    let (head, body) = r.split_once("\r\n\r\n").unwrap_or((&r, ""));
    let code = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, body.to_string())
}

fn json(addr: &str, path: &str) -> serde_json::Value {
    let (code, body) = http(addr, "GET", path, "");
    assert_eq!(code, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("vnet-web-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn have_chromium() -> bool {
    Command::new("chromium").arg("--version").output().is_ok()
}

/// Chromium run headless on `url` with extra flags; its stdout.
fn chromium(url: &str, flags: &[&str], profile: &Path) -> String {
    let o = Command::new("timeout")
        .args([
            "120",
            "chromium",
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--virtual-time-budget=5000", "--window-size=1280,800"])
        .args(flags)
        .arg(url)
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn nat_seed_is_served_drawn_and_stepped_in_a_browser() {
    let dir = tmp("seed");
    let script = root().join("examples/seed000_nat.sh");
    let w = start(&[script.to_str().unwrap()], &dir);

    // The model: the three namespaces, the two veth pairs, the chains.
    let lab = json(&w.addr, "/api/lab");
    let names: Vec<&str> = lab["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["host", "host2", "myspace"]);
    let links = lab["links"].to_string();
    assert!(
        links.contains(r#"{"kind":"veth","a":"host:veth1","b":"myspace:veth2"}"#),
        "{links}"
    );
    assert!(
        links.contains(r#"{"kind":"veth","a":"host:eth0","b":"host2:eth0"}"#),
        "{links}"
    );
    let host = &lab["namespaces"][0];
    let fwd = host["iptables"].to_string();
    assert!(fwd.contains(r#""name":"FORWARD","policy":"DROP""#), "{fwd}");
    // The ping went through: its rule counted one packet.
    assert!(
        fwd.contains(r#"{"packets":1,"bytes":84,"rule":"-A FORWARD -i veth1 -o eth0 -j ACCEPT"}"#),
        "{fwd}"
    );
    assert_eq!(host["conntrack"].as_array().unwrap().len(), 1);

    // The trace: the echo request arriving at the router.
    let trace = json(&w.addr, "/api/trace");
    let events = trace["events"].as_array().unwrap();
    let step = events
        .iter()
        .position(|e| {
            e["event"] == "rx"
                && e["ns"] == "host"
                && e["packet"]
                    .as_str()
                    .unwrap_or("")
                    .contains("ICMP echo request")
        })
        .expect("the echo request reaches the router")
        + 1;
    let pkt = events[step - 1]["pkt"].as_u64().unwrap();
    assert!(trace["output"]
        .as_str()
        .unwrap()
        .contains("1 packets transmitted, 1 received"));

    // The explain form's endpoint: the probe on a copy of the lab.
    let (code, body) = http(
        &w.addr,
        "POST",
        "/api/explain",
        r#"{"src":"myspace","dst":"192.168.1.15","proto":"icmp"}"#,
    );
    assert_eq!(code, 200, "{body}");
    let ex: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        ex["verdict"]
            .as_str()
            .unwrap()
            .starts_with("delivered: 192.168.1.15 answered"),
        "{ex}"
    );
    let roles: Vec<&str> = ex["journey"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["role"].as_str().unwrap())
        .collect();
    assert!(
        roles.contains(&"probe") && roles.contains(&"answer"),
        "{roles:?}"
    );
    let (code, body) = http(
        &w.addr,
        "POST",
        "/api/explain",
        r#"{"src":"nowhere","dst":"10.0.0.1"}"#,
    );
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("no namespace 'nowhere'"), "{body}");
    // The probe did not change the lab.
    assert_eq!(json(&w.addr, "/api/lab")["namespaces"], lab["namespaces"]);
    assert_eq!(http(&w.addr, "GET", "/nothing", "").0, 404);

    if !have_chromium() {
        eprintln!("SKIPPED: the browser half needs chromium (scripts/install-deps.sh installs it)");
        return;
    }
    let url = format!("http://{}/#step={step}", w.addr);
    let dom = chromium(&url, &["--dump-dom"], &dir.join("profile"));
    // A node per namespace and per device, the veth pairs as links.
    for ns in ["host", "host2", "myspace"] {
        // Only the namespaces' groups carry data-host.
        assert!(
            dom.contains(&format!(r#"data-ns="{ns}" data-host="h1""#)),
            "{ns}: {dom}"
        );
    }
    for dev in ["host:eth0", "host:veth1", "host2:eth0", "myspace:veth2"] {
        assert!(
            dom.contains(&format!(r#"data-dev="{dev}" data-kind="veth""#)),
            "{dev}: {dom}"
        );
    }
    assert!(
        dom.contains(r#"data-kind="veth" data-a="host:veth1" data-b="myspace:veth2""#),
        "{dom}"
    );
    // The step: the frame on the router's veth1, highlighted, with the
    // decisions taken about it there.
    let want = format!(
        r#"<div id="step" data-step="{step}" data-pkt="{pkt}" data-event="rx" data-ns="host" data-dev="host:veth1">"#
    );
    assert!(dom.contains(&want), "{want}\n{dom}");
    assert!(
        dom.contains(r#"<g class="dev hl" data-dev="host:veth1""#),
        "{dom}"
    );
    assert!(
        dom.contains("route 192.168.1.15: 192.168.1.0/24 dev eth0 proto kernel scope link"),
        "{dom}"
    );
    assert!(
        dom.contains("filter/FORWARD rule 2: -A FORWARD -i veth1 -o eth0 -j ACCEPT: ACCEPT"),
        "{dom}"
    );
    assert!(
        dom.contains("forward 192.168.45.3 -&gt; 192.168.1.15 out eth0"),
        "{dom}"
    );
    // The panel shows the router: its FORWARD chain and its conntrack entry.
    assert!(dom.contains(r#"<div id="panel" data-ns="host">"#), "{dom}");
    assert!(dom.contains("filter/FORWARD  policy DROP"), "{dom}");
    assert!(dom.contains("src=192.168.45.3 dst=192.168.1.15"), "{dom}");

    // The form sent from the page: its verdict, and the journey as the
    // timeline, first step on the drawing.
    let url2 = format!("http://{}/#explain=myspace,192.168.1.15,icmp", w.addr);
    let dom = chromium(&url2, &["--dump-dom"], &dir.join("profile"));
    assert!(dom.contains(r#"data-outcome="delivered""#), "{dom}");
    assert!(
        dom.contains("delivered: 192.168.1.15 answered (echo reply back via host)"),
        "{dom}"
    );
    assert!(
        dom.contains(r#"data-step="1" data-pkt="#) && dom.contains("probe  [1.0"),
        "{dom}"
    );

    let shot = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/web-screenshot.png"
    ));
    let _ = std::fs::remove_file(shot);
    chromium(
        &url,
        &[&format!("--screenshot={}", shot.display())],
        &dir.join("profile"),
    );
    let png = std::fs::read(shot).expect("screenshot written");
    assert_eq!(&png[1..4], b"PNG");
    drop(w);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn lab_on_disk_is_followed_live() {
    let dir = tmp("live");
    let vnet = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
            .args(["--lab", "lab"])
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    vnet(&["ip", "netns", "add", "a"]);
    let w = start(&["--lab", "lab"], &dir);
    let first = json(&w.addr, "/api/lab");
    assert_eq!(first["source"], "lab");
    assert_eq!(first["namespaces"].as_array().unwrap().len(), 2);
    // Unchanged lab, unchanged version.
    assert_eq!(json(&w.addr, "/api/lab")["version"], first["version"]);
    vnet(&[
        "ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", "a",
    ]);
    let next = json(&w.addr, "/api/lab");
    assert_ne!(next["version"], first["version"]);
    assert_eq!(next["links"][0]["a"], "host:v0");
    assert_eq!(next["links"][0]["b"], "a:v1");
    // No trace in this mode.
    assert_eq!(json(&w.addr, "/api/trace")["events"], serde_json::json!([]));
    // A corrupt lab file is reported, and the server keeps serving.
    std::fs::write(dir.join("lab/lab.json"), "{").unwrap();
    let bad = json(&w.addr, "/api/lab");
    assert!(
        bad["error"]
            .as_str()
            .unwrap_or("")
            .contains("corrupt lab file"),
        "{bad}"
    );
    assert_eq!(http(&w.addr, "GET", "/", "").0, 200);
    drop(w);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn topo_dot_draws_the_bridge_seed() {
    let dir = tmp("topo");
    let script = root().join("examples/seed004_2_4_bridge.sh");
    let o = Command::new(env!("CARGO_BIN_EXE_vnet"))
        .args(["topo", "--dot"])
        .arg(&script)
        .current_dir(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dot = String::from_utf8_lossy(&o.stdout);
    assert!(dot.starts_with("graph lab {"), "{dot}");
    // Four namespaces each on a veth into the bridge's ports.
    for i in 1..=4 {
        assert!(dot.contains(&format!("subgraph cluster_h0_n{i}")), "{dot}");
        assert!(
            dot.contains(&format!(
                "\"host:tap{i}_peer\" -- \"ns{i}:tap{i}\" [label=\"veth\"]"
            )),
            "{dot}"
        );
        assert!(
            dot.contains(&format!(
                "\"host:tap{i}_peer\" -- \"host:br1\" [style=bold]"
            )),
            "{dot}"
        );
    }
    assert!(
        dot.contains("\"host:br1\" [label=\"br1 (bridge)\", shape=hexagon]"),
        "{dot}"
    );
}
