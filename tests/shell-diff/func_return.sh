f() { return 3; }
f; echo $?
g() { true; return; }
g; echo $?
h() { false; }
h; echo $?
k() { echo before; return 0; echo after; }
k
