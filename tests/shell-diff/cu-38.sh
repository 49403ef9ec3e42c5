echo hello | rev
{ echo abc; echo xy; } > f
rev f
rev nofile; echo rc=$?
