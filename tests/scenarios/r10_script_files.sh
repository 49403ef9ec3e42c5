# area: realistic
# A lab that writes its own helper scripts with here-docs and runs them
# with bash and inside namespaces, passing arguments; and a loop over
# `ip -o` output with read.
cat > mkns.sh <<'SCRIPT'
#!/bin/bash
# usage: mkns.sh NAME ADDR
name=$1 addr=$2
ip netns add "$name" || exit 1
ip link add "v-$name" type veth peer name eth0 netns "$name"
ip link set "v-$name" up
ip -n "$name" addr add "$addr" dev eth0
ip -n "$name" link set eth0 up
echo "made $name with $addr"
SCRIPT
chmod +x mkns.sh
bash mkns.sh red 10.5.0.2/24
bash mkns.sh blue 10.6.0.2/24
bash mkns.sh red 10.5.0.3/24; echo "exit $?"
ip addr add 10.5.0.1/24 dev v-red
ip addr add 10.6.0.1/24 dev v-blue
cat > show.sh <<'SCRIPT'
ip -o -4 addr show | while read -r idx dev fam addr rest; do
    echo "$dev $addr"
done
SCRIPT
ip netns exec red bash show.sh
ip netns exec blue sh show.sh
bash show.sh | sort
ip -o link show | awk -F': ' '{print $2}' | grep -c '^v-'
sleep 3
ip netns exec red ping -c 1 -W 1 10.5.0.1 | grep -o '1 received'
ip netns exec red ping -c 1 -W 1 10.6.0.2 2>&1 | tail -1
