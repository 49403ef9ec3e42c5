#!/usr/bin/env python3
"""udpflood.py SRC DST[,DST...] FLOWS SECONDS: sends 64-byte-frame UDP
datagrams (20 IPv4 + 8 UDP + 22 payload) from SRC to DST:9.. for SECONDS,
cycling through the destinations and FLOWS source/destination port pairs, through a raw socket (the
packets take the kernel's ip_local_out path like any datagram). Prints the
number sent. Used by kernel-bench.sh inside its sandbox only."""

import socket
import struct
import sys
import time

PAYLOAD = 64 - 14 - 20 - 8
SPORTS = 50000


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def packet(src, dst, sport, dport):
    udp = struct.pack("!HHHH", sport, dport, 8 + PAYLOAD, 0) + b"\0" * PAYLOAD
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + udp


def main():
    src, dst, flows, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    dsts = dst.split(",")
    pkts = [(packet(src, d, 1024 + f % SPORTS, 9 + f // SPORTS), (d, 0))
            for f in range(flows) for d in dsts]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    sent = 0
    end = time.monotonic() + secs
    send = s.sendto
    n = len(pkts)
    while time.monotonic() < end:
        for _ in range(1000):
            p, a = pkts[sent % n]
            try:
                send(p, a)
            except OSError:
                pass  # ENOBUFS under load: counted as not sent
            else:
                sent += 1
    print(sent)


if __name__ == "__main__":
    main()
