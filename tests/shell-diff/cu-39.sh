{ echo a; echo; echo b; } > f
nl f
nl -ba f
nl -ba -w3 -s: f
nl -nrz -v 5 f
