#!/bin/bash
conf=$(cat <<'CONF'
# comment
iface=eth0
addr=192.168.1.10
mask=24
CONF
)
declare -a keys=()
while IFS='=' read -r k v; do
  [[ -z $k || $k == \#* ]] && continue
  keys+=("$k")
  printf -v "cfg_$k" '%s' "$v"
done <<< "$conf"
echo "keys: ${keys[*]}"
echo "iface=$cfg_iface addr=$cfg_addr/$cfg_mask"
ip=${cfg_addr}
IFS=. read -r o1 o2 o3 o4 <<< "$ip"
net="$o1.$o2.$o3.0"
echo "network $net, host part $o4"
if (( o4 > 1 && o4 < 255 )); then echo valid; fi
case $cfg_iface in eth*|ens*) echo ethernet;; wl*) echo wifi;; *) echo other;; esac
