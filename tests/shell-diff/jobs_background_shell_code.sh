# Builtins, functions and child shells in the background: $!, wait and
# jobs give their status; `%N` names them.
false & wait $!; echo "false: $?"
f() { echo "in f"; return 5; }
f & wait $!; echo "f: $?"
sh -c 'echo child; exit 4' & wait $!; echo "sh: $?"
bash -c 'exit 0' &
wait $!; echo "bash: $?"
f & false &
wait $!; echo "last: $?"
sleep 1 & f &
wait %2; echo "w2: $?"
jobs
wait; echo "all: $?"
