f() { echo one; }; f; g() { echo two; }; g
