f() { echo x; }
type f
