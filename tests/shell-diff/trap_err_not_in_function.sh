trap 'echo err' ERR; f() { false; echo inside; }; f
g() { return 3; }; g
