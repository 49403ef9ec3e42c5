#!/usr/bin/env bash
# Installs the reference tools the differential/golden-recording tests use
# (and the userland the shell differential compares with: bash, grep, sed, mawk).
# Only on Linux as root with apt; elsewhere those tests skip with a message.
set -uo pipefail
if [ "$(uname -s)" != Linux ] || [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-deps: not root on Debian-like Linux; reference tools not installed (kernel tests will skip)"
  exit 0
fi
need=""
for t in ip:iproute2 iptables:iptables nft:nftables ifconfig:net-tools brctl:bridge-utils \
         ping:iputils-ping tunctl:uml-utilities conntrack:conntrack tcpdump:tcpdump nc:netcat-openbsd \
         modinfo:kmod unshare:util-linux tshark:tshark chromium:chromium mawk:mawk sed:sed grep:grep; do
  command -v "${t%%:*}" >/dev/null || need="$need ${t#*:}"
done
if [ -n "$need" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
fi
echo "install-deps: reference tools present"
