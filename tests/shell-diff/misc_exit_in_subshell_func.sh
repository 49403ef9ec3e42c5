f() { (exit 5); echo "sub=$?"; }
f
