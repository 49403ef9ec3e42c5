set -e; f() { return 1; }; if f; then :; fi; echo ok
x=$(false; echo hi); echo "x=$x"
false && true; echo reached
