# Dumps the nodes the procfs test compares, as JSON: path -> {"file": text}
# | {"hex": bytes of a binary file} | {"dir": [names]} | {"link": target}
# | {"errno": n}. Run inside the
# sandbox after scenario.sh (see record.sh).
import json, os, sys

def node(p):
    if os.path.islink(p):
        return {"link": os.readlink(p)}
    if os.path.isdir(p):
        return {"dir": sorted(os.listdir(p))}
    try:
        with open(p, "rb") as f:
            data = f.read()
        if p.endswith("/brforward"):
            return {"hex": data.hex()}
        return {"file": data.decode()}
    except OSError as e:
        return {"errno": e.errno}

out = {}
def add(p):
    out[p] = node(p)

for f in ["dev", "route", "arp", "if_inet6", "ipv6_route", "tcp", "udp", "tcp6",
          "udp6", "raw", "raw6", "unix", "packet", "sockstat", "sockstat6",
          "snmp", "snmp6", "netstat", "igmp", "igmp6", "dev_mcast"]:
    add("/proc/net/" + f)
for p in ["/proc/sys/net/ipv4/conf", "/proc/sys/net/ipv4/neigh",
          "/proc/sys/net/ipv4/conf/v0", "/proc/sys/net/ipv6/conf/v0",
          "/proc/sys/net/ipv4/neigh/v0", "/proc/sys/net/ipv4",
          "/proc/sys/net/ipv4/ip_forward", "/proc/sys/net/ipv4/conf/v2/forwarding",
          "/proc/sys/net/ipv6/conf/v0/mtu", "/proc/sys/net/ipv4/ip_local_port_range",
          "/sys/class/net", "/sys/devices/virtual/net"]:
    add(p)
for d in sorted(os.listdir("/sys/class/net")):
    base = "/sys/class/net/" + d
    add(base)
    for e in sorted(os.listdir(base + "/")):
        p = base + "/" + e
        if e in ("power", "queues"):
            continue
        add(p)
        if os.path.isdir(p) and not os.path.islink(p):
            for x in sorted(os.listdir(p)):
                add(p + "/" + x)
json.dump(out, sys.stdout, indent=0, sort_keys=True)
