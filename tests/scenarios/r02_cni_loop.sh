# area: realistic
# What the CNI bridge plugin does for each pod, written as a loop the way
# people try it out: one namespace per pod, host-local style addresses,
# and a check that every pod reaches every other one.

ip link add cni0 type bridge
ip link set cni0 up
ip addr add 10.22.0.1/24 dev cni0
N=3
for i in $(seq 1 $N); do
    ns="pod$i"
    ip netns add "$ns"
    ip link add "veth$i" type veth peer name eth0 netns "$ns"
    ip link set "veth$i" master cni0 up
    ip -n "$ns" addr add "10.22.0.$((i + 1))/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route add default via 10.22.0.1 dev eth0
done
ip netns list | sort
sleep 3
ok=0; fail=0
for i in $(seq 1 $N); do
    for j in $(seq 1 $N); do
        [ "$i" -eq "$j" ] && continue
        if ip netns exec "pod$i" ping -c 1 -W 1 "10.22.0.$((j + 1))" >/dev/null 2>&1; then
            ok=$((ok + 1))
        else
            fail=$((fail + 1))
        fi
    done
done
echo "reachable: $ok unreachable: $fail"
for i in $(seq 1 $N); do
    printf '%s %s\n' "pod$i" "$(ip -n pod$i -4 -o addr show dev eth0 | awk '{print $4}')"
done
ip -4 route show dev cni0
brctl show cni0 | tail -n +2 | awk '{print $NF}' | sort
ip -s -s neigh flush all >/dev/null 2>&1 || true
wc -l < /proc/net/dev
grep -c veth /proc/net/dev
